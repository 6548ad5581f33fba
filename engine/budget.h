/*
 * budget: every time limit and size cap of a check, in one table.
 *
 * A check has ONE overall deadline (BUDGET_CHECK_MS, `--deadline`).  Each
 * layer gets a deadline of its own when it starts: now + its budget, but
 * never later than the check's deadline less BUDGET_RESERVE_MS, so that a
 * layer cut short still hands its partial result back in time.  Inside a
 * layer every blocking wait (a DNS query over UDP or TCP, a libcurl
 * transfer, each state of an SMTP probe) ends at the earlier of its own
 * step limit and the layer's deadline; the step limits of one probe add up
 * to less than the layer's budget (a static assertion in budget.c).
 * doc/decisions.md ("Time and size budgets") says why each value.
 *
 * `--timeout SECONDS` scales every step and layer budget by
 * SECONDS / BUDGET_TIMEOUT_BASE_MS through budget_ms() and nowhere else;
 * the overall deadline is set by `--deadline` alone.  Times are in
 * milliseconds.
 *
 * The table is data: BUDGET_TABLE(X) expands X(NAME, value, KIND, what) for
 * every row, which makes the constant BUDGET_NAME, the row of budget_table[]
 * and, through scripts/gen-budgets.sh, the list in the manual and in
 * doc/decisions.md.  Values are plain numbers so that the script can print
 * them as the compiler sees them.
 */
#ifndef MTASTS_BUDGET_H
#define MTASTS_BUDGET_H

#include <stddef.h>
#include <stdint.h>

/* What scales a row: the documentation says it per kind. */
enum budget_kind {
	BUDGET_KIND_CHECK, /* the overall deadline: --deadline replaces it */
	BUDGET_KIND_FIXED, /* never scaled */
	BUDGET_KIND_LAYER, /* a layer's deadline, scaled by --timeout */
	BUDGET_KIND_STEP,  /* one wait inside a layer, scaled by --timeout */
	BUDGET_KIND_CAP	   /* a count, never scaled */
};

/* X(NAME, value, KIND, what): in the order the manual lists them. */
#define BUDGET_TABLE(X)                                                     \
	X(CHECK_MS, 60000, CHECK, "the whole check (FETCH-11)")             \
	X(CHECK_MIN_MS, 1000, FIXED, "the shortest --deadline")             \
	X(CHECK_MAX_MS, 3600000, FIXED, "the longest --deadline")           \
	X(RESERVE_MS, 400, FIXED,                                           \
	    "kept back from every layer for judging and hand-over")         \
	X(TIMEOUT_BASE_MS, 10000, FIXED,                                    \
	    "the --timeout at which every value is as listed")              \
	X(TIMEOUT_MAX_MS, 600000, FIXED, "the longest --timeout")           \
	X(DNS_LAYER_MS, 10000, LAYER, "the _mta-sts or _smtp._tls TXT")     \
	X(FETCH_LAYER_MS, 25000, LAYER,                                     \
	    "the policy host's A and AAAA, then every HTTPS GET")           \
	X(MX_LAYER_MS, 15000, LAYER, "MX, then A, AAAA and CNAME per host") \
	X(MX_TLS_LAYER_MS, 50000, LAYER, "every STARTTLS probe")            \
	X(DANE_LAYER_MS, 15000, LAYER, "MX again, then TLSA per host")      \
	X(AUTH_LAYER_MS, 20000, LAYER,                                      \
	    "--auth: zone apex, NS set, then every name server")            \
	X(DNS_QUERY_MS, 4000, STEP, "one DNS question, UDP tries and TCP")  \
	X(AUTH_SERVER_MS, 3000, STEP,                                       \
	    "--auth: all the questions to one name server address")         \
	X(FETCH_CONNECT_MS, 5000, STEP, "TCP and TLS, per policy address")  \
	X(FETCH_TOTAL_MS, 10000, STEP, "the whole GET, per policy address") \
	X(FETCH_SLACK_MS, 2000, FIXED,                                      \
	    "waited past the GET's own limit for libcurl to end it")        \
	X(SMTP_CONNECT_MS, 5000, STEP, "TCP connect to an MX address")      \
	X(SMTP_BANNER_MS, 20000, STEP,                                      \
	    "the SMTP greeting (postscreen pauses are ~6 s)")               \
	X(SMTP_EHLO_MS, 5000, STEP, "each EHLO, before and after TLS")      \
	X(SMTP_STARTTLS_MS, 5000, STEP, "the reply to STARTTLS")            \
	X(SMTP_HANDSHAKE_MS, 5000, STEP, "the TLS handshake")               \
	X(SMTP_QUIT_MS, 2000, STEP, "QUIT sent; 221 not awaited")           \
	X(FETCH_MAX_ADDRS, 16, CAP, "policy host addresses fetched")        \
	X(MX_MAX_HOSTS, 32, CAP, "MX hosts examined")                       \
	X(MX_MAX_ADDRS_HOST, 16, CAP, "addresses probed per MX host")       \
	X(MX_MAX_ADDRS_CHECK, 64, CAP, "MX addresses probed per check")     \
	X(AUTH_MAX_SERVERS, 8, CAP, "--auth: name server addresses asked")  \
	X(MX_LOOKUP_WORKERS, 32, CAP, "MX hosts' address lookups at once")  \
	X(MX_TLS_WORKERS, 16, CAP, "STARTTLS probes (connections) at once") \
	X(DANE_WORKERS, 16, CAP, "TLSA lookups at once")                    \
	X(POOL_THREADS, 64, CAP, "worker threads in the process")           \
	X(DNS_CACHE_ENTRIES, 4096, CAP, "DNS answers a scan keeps")         \
	X(DNS_CACHE_NEG_MS, 60000, FIXED,                                   \
	    "a scan keeps NODATA and NXDOMAIN answers")                     \
	X(DNS_CACHE_TTL_MAX_MS, 86400000, FIXED,                            \
	    "a scan keeps an answer at most (else its smallest TTL)")       \
	X(PROBE_CACHE_ENTRIES, 256, CAP,                                    \
	    "STARTTLS probe results a scan keeps")                          \
	X(VERIFY_CACHE_ENTRIES, 4096, CAP, "chain verifications a scan keeps")

/* The constants: BUDGET_CHECK_MS, BUDGET_SMTP_BANNER_MS, ... */
#define BUDGET_CONSTANT(name, value, kind, what) BUDGET_##name = (value),
enum {
	BUDGET_TABLE(BUDGET_CONSTANT)
};
#undef BUDGET_CONSTANT

/* The states of one probe, in order: what one probe can take at most. */
#define BUDGET_SMTP_PROBE_MS                                    \
	(BUDGET_SMTP_CONNECT_MS + BUDGET_SMTP_BANNER_MS +       \
	    2 * BUDGET_SMTP_EHLO_MS + BUDGET_SMTP_STARTTLS_MS + \
	    BUDGET_SMTP_HANDSHAKE_MS + BUDGET_SMTP_QUIT_MS)

/* One row of the table, for code that enumerates it. */
struct budget {
	const char	*name; /* "BUDGET_CHECK_MS" */
	long		 value;
	enum budget_kind kind;
	const char	*what;
};

extern const struct budget budget_table[];
extern const size_t	   budget_count;

/* The --timeout scale of timeout_s seconds (0: scale 1). */
double budget_scale(double timeout_s);
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
