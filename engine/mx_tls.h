/*
 * mx_tls: the STARTTLS layer.  Probes every address of every MX host at
 * once, as senders may connect to any of them (TLS-8), verifies each
 * presented chain as an MTA-STS sender does, and judges the lot.
 *
 * Call order: mx_tls_probe() (blocks, bounded by the per-step timeouts),
 * then mx_tls_judge() (pure) once the policy mode is known, and
 * mx_tls_summary() (layer_mx_tls.h) for one line per address.
 *
 * Per address, smtp_probe runs the judged probe (SNI, TLS >= 1.2); when it
 * got as far as TLS, a second handshake without SNI (TLS-6); when it got as
 * far as STARTTLS, a handshake offering only TLS 1.0/1.1 (TLS-2: "also
 * accepts" is a warning, "accepts only" makes a failed modern handshake a
 * tls_version finding).  The three are tasks of their own on the shared
 * pool (pool.h), taken in order, at most BUDGET_MX_TLS_WORKERS at once (so
 * at most that many connections are open), one at a time with serial.  At most BUDGET_MX_MAX_ADDRS_HOST
 * addresses per host and BUDGET_MX_MAX_ADDRS_CHECK in all are probed; the
 * others are listed, marked capped and not examined.  Every probe ends at
 * the layer's absolute deadline_ms at the latest, and an item whose turn
 * comes after it is not started (marked cut), so mx_tls_probe() returns
 * shortly after deadline_ms whatever the servers do.  Chains are verified
 * with certinfo after the workers are done, on the calling thread, with
 * one trust store.  Each state's timeout is its budget.h value scaled by
 * timeout_scale (smtp_probe does it).
 *
 * With a share (mx_tls_options.share) each (host, address, port, kind)
 * is probed once per run and the result shared by reference; the chain is
 * still verified per check, against the run's one trust store.
 *
 * Threads: no global state; safe to call from a worker thread.  The caller
 * has called gnutls_global_init() once.
 *
 * Ownership: the result owns everything in it; free it with
 * mx_tls_result_free().  Read-only for clients.
 */
#ifndef MTASTS_MX_TLS_H
#define MTASTS_MX_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "budget.h"
#include "finding.h"

#define MX_TLS_EXPIRY_WARN_DAYS 14

struct certinfo_chain;
struct certinfo_verify;
struct finding_list;
struct mx_set;
struct pool;
struct share;
struct smtp_probe_result;

struct mx_tls_options {
	const char	  *ca_file;	  /* NULL: the system trust store */
	const char	  *ehlo_name;	  /* NULL: smtp_probe_ehlo_default() */
	int		   family;	  /* 0 both, 4 or 6 */
	unsigned	   port;	  /* 0: 25; other ports for tests */
	double		   timeout_scale; /* 0: 1; multiplies every timeout */
	time_t		   now;		  /* 0: time(NULL) */
	int		   expiry_warn_days; /* 0: MX_TLS_EXPIRY_WARN_DAYS */
	const char *const *skip;	     /* --skip-mx host names */
	size_t		   nskip;
	int		   serial;	/* debugging: one address at a time */
	int64_t		   deadline_ms; /* absolute clock_ms(); 0: none */
	size_t		   max_addrs;	/* 0: BUDGET_MX_MAX_ADDRS_CHECK */
	struct pool	  *pool;  /* the fan-out's pool; NULL: pool_default() */
	struct share	  *share; /* a run's probe cache, trust store and
				     per-address cap (share.h); NULL: none */
};

/* One address of one host; read-only for clients. */
struct mx_tls_addr {
	char			 *address;
	struct smtp_probe_result *probe;  /* the judged probe */
	struct smtp_probe_result *nosni;  /* NULL: not run */
	struct smtp_probe_result *legacy; /* NULL: not run */
	struct certinfo_verify	 *verify; /* NULL: no chain seen */
	int			  capped; /* over an address cap: not probed */
	int			  cut;	  /* the judged probe did not start
					     before the layer's deadline */
};

struct mx_tls_host {
	char		   *name;
	unsigned	    pref;
	int		    skipped;
	char		   *skip_reason; /* set when skipped */
	struct mx_tls_addr *addrs;	 /* after the family filter;
						   not probed when skipped */
	size_t		    naddrs;
};

struct mx_tls_result {
	struct mx_tls_host *hosts; /* as in the mx_set */
	size_t		    nhosts;
	char		   *trust_source; /* certinfo_trust_source() */
	time_t		    now;
	int		    expiry_warn_days;
	long		    elapsed_ms;
	size_t		    ncapped; /* addresses over the caps */
	size_t		    ncut;    /* judged probes cut or not started */
};

/*
 * Probes every address of every host in mx.  Returns the result, or NULL
 * with *cause set (caller frees) when nothing can be probed at all: the
 * trust store cannot be loaded or the EHLO name is invalid.
 */
struct mx_tls_result *mx_tls_probe(const struct mx_set *mx,
    const struct mx_tls_options *, char **cause);
void		      mx_tls_result_free(struct mx_tls_result *);

/*
 * Adds the mx_tls.* findings to fl (subject "HOST ADDRESS").
 * policy_mode: 0 no policy or mode none, 1 testing, 2 enforce.  What would
 * stop an enforce sender is an error with a policy in testing or enforce
 * and a warning without one (TLS-9).  When every probed address timed out
 * on connect, the only finding is mx_tls.port25_blocked.  Skipped hosts
 * get mx_tls.skipped (info) and nothing else.
 */
void mx_tls_judge(const struct mx_tls_result *, int policy_mode,
    struct finding_list *fl);

/* What an MTA-STS sender's session with one address gives. */
enum mx_tls_outcome {
	MX_TLS_OUTCOME_OK = 0,	    /* STARTTLS, TLS >= 1.2, valid chain */
	MX_TLS_OUTCOME_BAD,	    /* speaks SMTP; fails MTA-STS checks */
	MX_TLS_OUTCOME_UNREACHABLE, /* no SMTP service (refused, silent) */
	MX_TLS_OUTCOME_UNKNOWN	    /* not probed */
};

/*
 * The outcome of one address, with the finding code and a line on why
 * (borrowed from a) when it is not OK.
 */
enum mx_tls_outcome mx_tls_addr_outcome(const struct mx_tls_addr *,
    enum finding_code *code, const char **why);
/* 1 when every probed address timed out on connect (TLS-8 port 25). */
int mx_tls_port25_blocked(const struct mx_tls_result *);

/* Shared with the layer's summary (layer_mx_tls.c). */
/* The step a failed probe stopped at: "connect", "EHLO", ... */
const char *mx_tls_where(const struct smtp_probe_result *);
/* 1 when the TLS 1.0/1.1-only handshake completed. */
int mx_tls_legacy_ok(const struct mx_tls_addr *);
/* Fewest days left among the judged path's certificates; *idx which. */
long mx_tls_min_days(const struct certinfo_chain *,
    const struct certinfo_verify *, size_t *idx);

#endif
