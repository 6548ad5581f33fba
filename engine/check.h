/*
 * check: runs every validation layer for one domain and reports each as it
 * finishes.
 *
 * Call order: check_new(), check_start(); then either check_wait() (the
 * plain commands) or, in an event loop, poll check_fd() for reading and
 * call check_process() whenever it is readable and at least once a second
 * (the TUI).  check_free() may be called at any time: layers still running
 * are abandoned, their threads finish on their own timeouts and their
 * results are dropped.
 *
 * Time: the check has one overall deadline (check_options.deadline), and
 * each layer one of its own inside it (budget.h).  Once the overall
 * deadline has passed, check_process() marks every layer still waiting on
 * the network CHECK_CUT, with a *.cut finding that names the step and the
 * time, and finishes the check with what it has; check_wait() never waits
 * past it.
 *
 * The layers are listed in layers.h and described by their classes
 * (layer.h).  Each starts as soon as the layers it needs have results: its
 * blocking ldns/libcurl work (or reading --reports files) runs on the
 * worker pool, its judging in the caller's thread inside check_process().
 * Everything the accessors return belongs to the check, is read-only and
 * stays valid until check_free().
 */
#ifndef MTASTS_CHECK_H
#define MTASTS_CHECK_H

#include <stddef.h>
#include <time.h>

#include "finding.h"
#include "layers.h" /* enum check_layer: the registry */

enum check_status {
	CHECK_PENDING, /* waiting for its inputs */
	CHECK_RUNNING,
	CHECK_PASS,
	CHECK_WARN,
	CHECK_FAIL,
	CHECK_SKIP, /* its input cannot exist; see skip reason */
	CHECK_CUT   /* the check's deadline passed first; see its findings */
};

struct share;

struct check_options {
	const char	  *resolver; /* NULL: /etc/resolv.conf */
	unsigned	   resolver_port;
	const char	  *ca_file;	  /* NULL: the system trust store */
	double		   timeout_scale; /* 1.0: the defaults */
	int		   family;	  /* 0, 4 or 6 */
	int		   no_history;
	const char	  *history_dir; /* NULL: $XDG_CACHE_HOME/mtasts-tui */
	time_t		   now;		/* 0: time(NULL) */
	int		   serial;	/* run layers one after another */
	unsigned	   fetch_port;	/* 0: 443 (tests use others) */
	unsigned	   smtp_port;	/* 0: 25 (tests use others) */
	const char	  *ehlo_name;	/* NULL: the machine's FQDN */
	int		   expiry_warn_days; /* 0: 14 */
	const char *const *skip_mx; /* hosts not to probe (nolisting) */
	size_t		   nskip_mx;
	int		   no_mx_tls; /* do not probe port 25 at all */
	const char	  *reports;   /* TLS-RPT reports: file or directory */
	double		   deadline;  /* seconds for the whole check; 0:
					 BUDGET_CHECK_MS (budget.h) */
	struct share	  *share;     /* a run's shared work (share.h); NULL:
				     none.  The check takes a reference. */
	unsigned	   optional;  /* LAYER_OPTIONAL layers asked for:
					 1 << layer (check_option_layer) */
};

struct check;

/*
 * Once per process, before the first check (libcurl and GnuTLS global
 * state); returns 0, or -1 with *cause set (caller frees).
 */
int  check_global_init(char **cause);
void check_global_cleanup(void);

/* Called from check_process() for each layer whose status changed. */
typedef void (*check_layer_cb)(struct check *, enum check_layer, void *arg);

/* domain must be a validated A-label name (see domain.h). */
struct check *check_new(const char *domain, const struct check_options *);
void	      check_free(struct check *);
/*
 * Hands the layers' work to the worker pool (pool.h; --serial: a private
 * pool of one thread, so nothing overlaps).  Returns 0, or -1 with *cause
 * set (caller frees) when the wake-up pipe cannot be made.
 */
int check_start(struct check *, char **cause);
/* Readable whenever check_process() has something to do. */
int check_fd(const struct check *);
/* Returns 1 once every layer is done. */
int  check_process(struct check *, check_layer_cb, void *);
void check_wait(struct check *, check_layer_cb, void *);
/*
 * Every "check and wait" of the commands: check_new(), check_start() and
 * check_wait() in one.  Returns the finished check (caller frees with
 * check_free), or NULL with *cause set (caller frees) when it could not
 * start.
 */
struct check *check_run_sync(const char *domain, const struct check_options *,
    check_layer_cb, void *arg, char **cause);
int	      check_done(const struct check *);

const char *check_domain(const struct check *);
/* When the check was made (options.now, else the time of check_new). */
time_t	    check_time(const struct check *);
const char *check_layer_name(enum check_layer);
/* 1 for the layer that judges all the others (the verdict). */
int check_layer_final(enum check_layer);
/* 1 for a layer that runs only when asked (LAYER_OPTIONAL). */
int check_layer_optional(enum check_layer);
/*
 * Asks for the optional layer called name in o->optional; -1 when there
 * is no optional layer of that name.
 */
int check_option_layer(struct check_options *o, const char *name);
/* 1 when o runs layer l: not optional, or asked for. */
int check_options_layer_on(const struct check_options *o, enum check_layer l);
/* 0 for an optional layer not asked for: reports and panes leave it out. */
int		  check_layer_shown(const struct check *, enum check_layer);
const char	 *check_status_name(enum check_status);
enum check_status check_layer_status(const struct check *, enum check_layer);
unsigned    check_layer_elapsed_ms(const struct check *, enum check_layer);
const char *check_layer_skip_reason(const struct check *, enum check_layer);
/* The layer's findings, worst first once the layer is done. */
const struct finding_list *check_layer_findings(const struct check *,
    enum check_layer);
/* 1 when the layer was cut by the overall deadline. */
int check_layer_cut(const struct check *, enum check_layer);
/* 1 when some MX address probe was cut by its layer's deadline. */
int check_addr_cut(const struct check *);
/* The overall deadline in milliseconds. */
unsigned check_deadline_ms(const struct check *);
/* Total wall time so far, or until the last layer finished. */
unsigned check_elapsed_ms(const struct check *);
/*
 * Non-NULL when the check could not be made at all (the resolver did not
 * answer any query): exit status 3 rather than a verdict on the domain.
 */
const char *check_failure(const struct check *);

/* Layer data; NULL while the layer has not finished or did not run. */
struct dns_answer;
struct sts_record;
struct dns_addrs;
struct policy_fetch_result;
struct provider_result;
struct policy;
struct mx_set;
struct mx_tls_result;
struct dane_result;
struct tlsrpt_record;
struct verdict;
struct history_result;
struct auth_result;

const struct dns_answer		 *check_sts_answer(const struct check *);
const struct sts_record		 *check_sts_record(const struct check *);
const struct dns_addrs		 *check_policy_host_addrs(const struct check *);
const struct policy_fetch_result *check_fetch(const struct check *);
/* Who hosts the policy (provider.h); set once fetch, policy and dns are. */
const struct provider_result *check_delegation(const struct check *);
const struct policy	     *check_policy(const struct check *);
const struct mx_set	     *check_mx(const struct check *);
const struct mx_tls_result   *check_mx_tls(const struct check *);
const struct dane_result     *check_dane(const struct check *);
const struct dns_answer	     *check_tlsrpt_answer(const struct check *);
const struct tlsrpt_record   *check_tlsrpt_record(const struct check *);
const struct history_result  *check_history(const struct check *);
const struct verdict	     *check_verdict(const struct check *);
/* The authoritative view (auth_ns.h); NULL unless --auth asked for it. */
const struct auth_result *check_auth(const struct check *);

/* What senders apply: 0 no policy (or mode none), 1 testing, 2 enforce. */
int check_applied_mode(const struct check *);

/* Exit status by the rules of the plain commands: 0, 1, 2 or 3. */
int check_exit_status(const struct check *);

#endif
