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
 * Phase 1 is judged by the check's STARTTLS probe layer (mx_tls) when it
 * ran.  Phase 4 needs the number of consecutive clean days of TLS-RPT
 * reports, which no check can see: it comes through struct rollout_hooks
 * (a hook may also override the MX TLS verdict); without a hook the phase
 * is "cannot judge yet".
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
	ROLLOUT_UNKNOWN /* no check can judge it (yet) */
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
	long long	 max_age; /* -1: none */
	int		 tlsrpt_usable;
	int		 enforce_ready;
	int		 mx_tls;     /* 1, 0, -1 unknown */
	int		 clean_days; /* -1 unknown */
};

struct rollout_report {
	long		    today;
	enum rollout_status status[SCHEDULE__COUNT];
	char		   *why[SCHEDULE__COUNT];
	int		    next;      /* phase, -1: all done */
	char		   *next_text; /* what to do and when */
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
 * The phase whose artifacts "rollout next" writes: the first of testing,
 * records, enforce and max-age that is not done; -1 when none is left.
 */
int rollout_next_phase(const struct rollout_report *);
/*
 * Fills out (gen_spec_init'ed by the call) with the settings of phase's
 * artifacts, taking a new id (recorded in the state) when the policy body
 * differs from the one of the last id.  Returns 1 if a new id was made.
 */
int rollout_phase_spec(struct state *, int phase, struct gen_spec *out,
    long today, time_t now);

#endif
