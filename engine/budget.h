/*
 * budget: every time limit and size cap of a check, in one place.
 *
 * A check has ONE overall deadline (BUDGET_CHECK_MS, `--deadline`).  Each
 * layer gets a deadline of its own when it starts: now + its budget, but
 * never later than the check's deadline less BUDGET_RESERVE_MS, so that a
 * layer cut short still hands its partial result back in time.  Inside a
 * layer every blocking wait (a DNS query over UDP or TCP, a libcurl
 * transfer, each state of an SMTP probe) ends at the earlier of its own
 * step limit and the layer's deadline; the step limits of one probe add up
 * to less than the layer's budget (a static assertion in budget.c).  doc/decisions.md ("Time and size budgets") says why each value.
 *
 * `--timeout SECONDS` scales every step and layer budget by
 * SECONDS / BUDGET_TIMEOUT_BASE_S through budget_ms() and nowhere else; the
 * overall deadline is set by `--deadline` alone.  All values are in
 * milliseconds.
 */
#ifndef MTASTS_BUDGET_H
#define MTASTS_BUDGET_H

#include <stdint.h>

#define BUDGET_TIMEOUT_BASE_S 10.0  /* the --timeout that means scale 1 */
#define BUDGET_CHECK_MS	      60000 /* default overall deadline (FETCH-11) */
#define BUDGET_CHECK_MIN_MS   1000
#define BUDGET_CHECK_MAX_MS   3600000
#define BUDGET_RESERVE_MS     400 /* kept back for judging and hand-over */

/* Layers, from the moment each starts. */
#define BUDGET_DNS_LAYER_MS    10000 /* _mta-sts or _smtp._tls TXT */
#define BUDGET_FETCH_LAYER_MS  25000 /* A + AAAA, then every HTTPS GET */
#define BUDGET_MX_LAYER_MS     15000 /* MX, then A/AAAA/CNAME per host */
#define BUDGET_MX_TLS_LAYER_MS 50000 /* every STARTTLS probe */
#define BUDGET_DANE_LAYER_MS   15000 /* MX again, TLSA per host */

/* Steps. */
#define BUDGET_DNS_QUERY_MS	 4000  /* one question: UDP tries and TCP */
#define BUDGET_FETCH_CONNECT_MS	 5000  /* TCP + TLS, per address */
#define BUDGET_FETCH_TOTAL_MS	 10000 /* the whole GET, per address */
#define BUDGET_SMTP_CONNECT_MS	 5000
#define BUDGET_SMTP_BANNER_MS	 20000 /* postscreen greet pauses are ~6 s */
#define BUDGET_SMTP_EHLO_MS	 5000  /* each EHLO, before and after TLS */
#define BUDGET_SMTP_STARTTLS_MS	 5000
#define BUDGET_SMTP_HANDSHAKE_MS 5000
#define BUDGET_SMTP_QUIT_MS	 2000
/* The states of one probe, in order: what one probe can take at most. */
#define BUDGET_SMTP_PROBE_MS                                    \
	(BUDGET_SMTP_CONNECT_MS + BUDGET_SMTP_BANNER_MS +       \
	    2 * BUDGET_SMTP_EHLO_MS + BUDGET_SMTP_STARTTLS_MS + \
	    BUDGET_SMTP_HANDSHAKE_MS + BUDGET_SMTP_QUIT_MS)

/* Caps: what one check examines and how much it runs at once. */
#define BUDGET_FETCH_MAX_ADDRS	  16 /* policy host addresses fetched */
#define BUDGET_MX_MAX_ADDRS_HOST  16 /* addresses probed per MX host */
#define BUDGET_MX_MAX_ADDRS_CHECK 64 /* addresses probed per check */
#define BUDGET_MX_TLS_WORKERS	  16 /* probes (connections) at once */
#define BUDGET_POOL_THREADS	  64 /* worker threads in the process (pool.h) */

/* base scaled by the --timeout scale (0: 1), clamped to [1, 1 hour]. */
long budget_ms(long base, double scale);
/*
 * The absolute clock_ms() deadline of a layer starting now with the given
 * (unscaled) budget, never later than check_deadline - BUDGET_RESERVE_MS
 * (check_deadline 0: no overall deadline).
 */
int64_t budget_layer_deadline(long base, double scale, int64_t check_deadline);
/* Milliseconds left until deadline (0: none, returns fallback). */
long budget_left(int64_t deadline, long fallback);

#endif
