#include "config.h"
#include "budget.h"

#include "clock.h"

/* One probe's states, one after another, fit in the layer's budget. */
_Static_assert(BUDGET_SMTP_PROBE_MS < BUDGET_MX_TLS_LAYER_MS,
    "SMTP probe states exceed the STARTTLS layer's budget");
/* A DNS question fits in the shortest DNS layer. */
_Static_assert(BUDGET_DNS_QUERY_MS < BUDGET_DNS_LAYER_MS,
    "a DNS question exceeds the DNS layer's budget");
/* A fan-out never asks for more threads than the process has. */
_Static_assert(BUDGET_MX_TLS_WORKERS <= BUDGET_POOL_THREADS &&
	BUDGET_MX_LOOKUP_WORKERS <= BUDGET_POOL_THREADS &&
	BUDGET_DANE_WORKERS <= BUDGET_POOL_THREADS,
    "a fan-out's cap exceeds the pool");

#define BUDGET_ROW(name, value, kind, what) \
	{ "BUDGET_" #name, (value), BUDGET_KIND_##kind, (what) },
const struct budget budget_table[] = { BUDGET_TABLE(BUDGET_ROW) };
#undef BUDGET_ROW
const size_t budget_count = sizeof(budget_table) / sizeof(budget_table[0]);

double
budget_scale(double timeout_s)
{
	return timeout_s > 0 ? timeout_s * 1000.0 / BUDGET_TIMEOUT_BASE_MS
			     : 1.0;
}

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
