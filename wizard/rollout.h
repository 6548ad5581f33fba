/*
 * rollout: judges a rollout plan against what a live check sees, says what
 * to do next and when, and prepares the settings of the next step.
 *
 * Every front end judges through rollout_judge_run(): the saved plan, the
 * finished check, the report gate and today in, the per-phase status and
 * the next step out.  Underneath: fill struct rollout_facts
 * (rollout_facts_from_check() after a check, then rollout_facts_hooks() for
 * what the check cannot see yet), then rollout_judge().  Nothing here
 * touches the network or the terminal.
 *
 * The plan is the source of truth: a phase is done only when what is live
 * is what the plan's own files of that phase say (the served mode, mx
 * lines and max_age against the phase's planned mta-sts.txt, the TXT id
 * against the id the plan handed out for that body).  A served policy
 * stricter than the phase allows (enforce before the plan's enforce step)
 * is a deviation, reported with its risk, never "done".  Whatever refuses
 * mail now (the check's verdict exits 2) is a "fix now" block that comes
 * before every phase.
 *
 * Phase 1 is judged by the STARTTLS probe of every MX address: an address
 * that refuses the connection does not pass.  Phase 4 needs the number of
 * consecutive clean days of TLS-RPT reports, which no check can see: it
 * comes through the report gate or struct rollout_hooks (a hook may also
 * override the MX TLS verdict); without either the phase is "cannot judge
 * yet".
 */
#ifndef MTASTS_WIZARD_ROLLOUT_H
#define MTASTS_WIZARD_ROLLOUT_H

#include <time.h>

#include "gen.h"
#include "schedule.h"

struct check;
struct report_gate;
struct state;

enum rollout_status {
	ROLLOUT_NOT_DONE,
	ROLLOUT_DONE,
	ROLLOUT_UNKNOWN,  /* no check can judge it (yet) */
	ROLLOUT_DEVIATION /* live is stricter than the phase allows */
};

/* Returns 1 (every MX passes), 0 (one fails) or -1 (unknown). */
typedef int (*rollout_mx_tls_cb)(const char *domain, void *arg);
/* Returns consecutive clean report days up to today, or -1 (unknown). */
typedef int (*rollout_clean_days_cb)(const char *domain, long today, void *arg);

struct rollout_hooks {
	rollout_mx_tls_cb     mx_tls;
	rollout_clean_days_cb clean_days;
	void		     *arg;
};

struct rollout_facts {
	int		 checked; /* a live check ran */
	int		 txt_valid;
	char		 txt_id[40]; /* "" if none */
	int		 policy_fetched;
	int		 policy_valid;
	enum policy_mode mode;
	long long	 max_age;	      /* -1: none */
	char		 mx[GEN_MAX_MX][256]; /* served mx lines */
	size_t		 nmx; /* all of them, even past GEN_MAX_MX */
	int		 tlsrpt_usable;
	int		 enforce_ready;
	int		 refused;	  /* the verdict: mail is refused now */
	int		 mx_tls;	  /* 1, 0, -1 unknown */
	char		 mx_tls_why[320]; /* mx_tls 0: which MX, why */
	int		 clean_days;	  /* -1 unknown */
	/* What the --reports given held (reports_given 0: none given). */
	int    reports_given;
	size_t reports_read;   /* distinct reports, every domain */
	size_t reports_domain; /* of this domain */
	size_t reports_future; /* of this domain, dated after today */
};

/* A finding that refuses mail now, with its fix (a verdict blocker). */
struct rollout_fix {
	char *code;
	char *subject; /* NULL: none */
	char *why;
	char *fix;
};

struct rollout_report {
	long		    today;
	enum rollout_status status[SCHEDULE__COUNT];
	char		   *why[SCHEDULE__COUNT];
	int		    next;      /* phase, -1: all done */
	char		   *next_text; /* what to do and when */
	/* Fix now: mail is refused; filled by rollout_judge_run(). */
	int		    fix_now;
	int		    fix_files;	  /* the policy refuses: files help */
	char		   *fix_delivery; /* the verdict's delivery line */
	struct rollout_fix *fixes;
	size_t		    nfixes;
};

void rollout_facts_init(struct rollout_facts *);
void rollout_facts_from_check(struct rollout_facts *, const struct check *);
void rollout_facts_hooks(struct rollout_facts *, const struct rollout_hooks *,
    const char *domain, long today);
struct rollout_report *rollout_judge(const struct state *,
    const struct rollout_facts *, long today);
/*
 * The one judging of a plan: st, the finished check c (NULL: none could
 * run), the domain's report gate (NULL: no reports were given) and today.
 * Fills *f with the facts used and returns the per-phase status and the
 * next step (rollout_report_free()).
 */
struct rollout_report *rollout_judge_run(const struct state *st,
    const struct check *c, const struct report_gate *gate, long today,
    struct rollout_facts *f);
void		       rollout_report_free(struct rollout_report *);
const char	      *rollout_status_name(enum rollout_status);
/* Plain text and JSON renderings (caller frees). */
char *rollout_report_text(const struct state *, const struct rollout_report *);
char *rollout_report_json(const struct state *, const struct rollout_report *);

/*
 * Fix now: the directory whose files stop the refusals, when `rollout
 * next` writes them (./mtasts-DOMAIN/testing: a policy that refuses
 * nothing, with a new id when the body changes).  NULL when the policy is
 * not the cause or the next files are enforce ones, which would refuse
 * the same mail.  Caller frees.
 */
char *rollout_fix_dir(const struct state *, const struct rollout_report *);
/* The exit status of `rollout status`: 2 fix now, 1 deviation, else 0. */
int rollout_report_exit(const struct rollout_report *);
/*
 * The planned mta-sts.txt of a phase: testing and records serve the
 * plan's own settings, enforce and max-age their own mode and max_age.
 */
void rollout_phase_body(const struct state *, int phase, enum policy_mode *,
    long long *max_age);

/*
 * The phase whose artifacts "rollout next" writes: the first of testing,
 * records, enforce and max-age that is not done; -1 when none is left.
 */
int rollout_next_phase(const struct rollout_report *);
/*
 * Fills out (gen_spec_init'ed by the call) with the settings of phase's
 * artifacts, taking a new id (recorded in the state) when the policy body
 * differs from the one of the last id, or when live (NULL: not known)
 * publishes the last id over another body.  Returns 1 if a new id was
 * made.
 */
int rollout_phase_spec(struct state *, int phase, struct gen_spec *out,
    long today, time_t now, const struct rollout_facts *live);

#endif
