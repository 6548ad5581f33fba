#include "config.h"
#include "budget.h"

#include "clock.h"

/* One probe's states, one after another, fit in the layer's budget. */
_Static_assert(BUDGET_SMTP_PROBE_MS < BUDGET_MX_TLS_LAYER_MS,
    "SMTP probe states exceed the STARTTLS layer's budget");
/* A DNS question fits in the shortest DNS layer. */
_Static_assert(BUDGET_DNS_QUERY_MS < BUDGET_DNS_LAYER_MS,
    "a DNS question exceeds the DNS layer's budget");

long
budget_ms(long base, double scale)
{
	double d = (double)base * (scale > 0 ? scale : 1.0);

	if (d < 1)
		d = 1;
	if (d > BUDGET_CHECK_MAX_MS)
		d = BUDGET_CHECK_MAX_MS;
	return (long)d;
}

int64_t
budget_layer_deadline(long base, double scale, int64_t check_deadline)
{
	int64_t d = clock_ms() + budget_ms(base, scale);

	if (check_deadline != 0 && d > check_deadline - BUDGET_RESERVE_MS)
		d = check_deadline - BUDGET_RESERVE_MS;
	return d;
}

long
budget_left(int64_t deadline, long fallback)
{
	int64_t left;

	if (deadline == 0)
		return fallback;
	left = deadline - clock_ms();
	return left > 0 ? (long)left : 0;
}
