/*
 * change: plans for the changes that break mail when done in the wrong
 * order or too early (issue 13): an MX change, removing MTA-STS, moving
 * the policy host, raising max_age; and the wizard's fix plans (a broken
 * enforce policy fixed in place), followed the same way.
 *
 * Each kind is a row of a table: its steps, and for each step what to
 * publish (the settings of its files, through gen.c), the live condition
 * that marks it done (judged on a finished check, reduced to struct
 * change_facts), and the wait before it may start: senders may hold the
 * policy served before the change for its max_age.  The day a step is
 * first seen done is kept in the plan, so waits count from what went live,
 * not from what was written.  Nothing here touches the network or the
 * terminal.
 */
#ifndef MTASTS_WIZARD_CHANGE_H
#define MTASTS_WIZARD_CHANGE_H

#include <time.h>

#include "gen.h"

struct check;
struct state;

enum change_kind {
	CHANGE_MX,
	CHANGE_REMOVE,
	CHANGE_HOST,
	CHANGE_MAX_AGE,
	CHANGE__COUNT, /* the kinds 'rollout start --change' makes */
	/*
	 * A fix plan: the wizard's, saved as "kind: fix" in a version 2
	 * file (state.h); loading it gives it this kind.
	 */
	CHANGE_FIX = CHANGE__COUNT,
	CHANGE__ALL
};

#define CHANGE_MAX_STEPS 4
#define CHANGE_SHORT_AGE 86400 /* removal: mode none's max_age */

/* The parameters of a change plan, kept in the plan file. */
struct change_params {
	enum change_kind kind;
	char		*new_mx;	 /* mx: the new MX host */
	char		*old_mx;	 /* mx: the pattern to drop, or NULL */
	char		*new_cname;	 /* host: the new policy host target */
	char		*new_addr;	 /* host: or its address */
	long long	 new_max_age;	 /* remove, max-age */
	long long	 old_max_age;	 /* the longest served before */
	char		*start_id;	 /* the id served when it was made */
	char *step_id[CHANGE_MAX_STEPS]; /* the id of a step's files */
	long  seen[CHANGE_MAX_STEPS];	 /* first seen done, -1 */
};

/* What a finished check (and the host probe) saw. */
struct change_facts {
	int		 checked;
	int		 txt_present; /* any _mta-sts TXT record */
	char		 txt_id[40];  /* "" if none valid */
	int		 policy_valid;
	enum policy_mode mode;
	long long	 max_age; /* -1: none */
	char		*pattern[GEN_MAX_MX];
	size_t		 npattern;
	char		*mx[GEN_MAX_MX]; /* the MX hosts */
	size_t		 nmx;
	int		 mx_uncovered;	  /* some MX host not in the policy */
	int		 enforce_healthy; /* verdict: enforce is safe */
	char		*body;		  /* the served policy body */
	char		*host_cname;	  /* policy host's first CNAME */
	char		*host_addr[GEN_MAX_ADDR];
	size_t		 nhost_addr;
	/* host: the new host, probed with SNI mta-sts.DOMAIN; -1 unknown */
	int   new_same_body;
	int   new_cert_ok;
	char *new_detail; /* what the probe saw, one line, or NULL */
	/* the verdict says mail is refused now (exit status 2) */
	int refused;
};

enum change_status {
	CHANGE_NOT_DONE,
	CHANGE_DONE,
	CHANGE_WAITING
};

struct change_report {
	long		   today;
	size_t		   nsteps;
	enum change_status status[CHANGE_MAX_STEPS];
	char		  *why[CHANGE_MAX_STEPS];
	int		   next;   /* step, -1: all done */
	long		   ready;  /* day the next step may start */
	char		  *fixnow; /* mail is refused now: what to do */
	char		  *warn;   /* a hazard that refuses no mail */
	char		  *hold;   /* "until WHEN: what must not change" */
};

/* "mx", "remove", "host", "max-age"; -1 if unknown (or "fix"). */
int	    change_kind_lookup(const char *);
const char *change_kind_name(enum change_kind);
const char *change_kind_title(enum change_kind);
size_t	    change_nsteps(enum change_kind);
const char *change_step_key(enum change_kind, size_t);
const char *change_step_title(enum change_kind, size_t);
/* 1 when the step has files to publish. */
int change_step_publishes(enum change_kind, size_t);

/*
 * The one dispatch point: 1 when the plan is judged here (a change plan,
 * or a fix plan), 0 for a rollout (rollout.h).
 */
int change_follows(const struct state *);
/*
 * Makes st, a fix plan (STATE_KIND_FIX), a change plan of kind fix: its
 * settings are the fixed policy and its id the new one.  state_load()
 * does it; the file stays version 2 with "kind: fix".
 */
void change_plan_fix(struct state *);

void change_params_init(struct change_params *, enum change_kind);
void change_params_free(struct change_params *);
void change_params_copy(struct change_params *, const struct change_params *);
/*
 * Checks the parameters against the served deployment (spec, taken from
 * the live check).  Returns 0, or -1 with *cause (caller frees).
 */
int change_params_check(const struct change_params *, const struct gen_spec *,
    char **cause);

void change_facts_init(struct change_facts *);
void change_facts_free(struct change_facts *);
void change_facts_from_check(struct change_facts *, const struct check *);
/*
 * The served deployment as settings: mode, max_age, mx patterns, id and
 * TLS-RPT destinations of the live check (rua may come from the caller
 * when none is published).  Returns 0, or -1 with *cause.
 */
int change_spec_from_facts(struct gen_spec *, const char *domain,
    const struct check *, char				**cause);

/*
 * A new change plan for the domain of the finished check c, with a copy
 * of p: the settings are what is served (rua, when none is published),
 * the old MX is the only MX when p names none, the old max_age is the
 * longest of the served one and those of old's ids (old may be NULL; its
 * ids are kept).  Returns the plan (state_free()), or NULL with *cause
 * (caller frees) and *field, the gen_field at fault or -1.
 */
struct state *change_plan_new(const struct check *c,
    const struct change_params *p, const char *const *rua, size_t nrua,
    const struct state *old, long today, int *field, char **cause);
/*
 * change_plan_new() on what a check saw, copied earlier: served, the
 * settings of the served deployment (change_spec_from_facts(), with its
 * rua), only_mx, the MX host when there is exactly one, else NULL, and
 * held, change_history_held() of the check.
 */
struct state *change_plan_make(const struct gen_spec *served,
    const char *only_mx, long long held, const struct change_params *p,
    const struct state *old, long today, int *field, char **cause);
/*
 * Seconds a sender may still hold a policy this machine saw before the
 * check (its history: fetch time + max_age), past the check; 0: none.
 */
long long change_history_held(const struct check *c);
/*
 * What a new change plan saved at path is, for the terminal: the kind,
 * what is served, the steps and where to look next (caller frees).
 */
char *change_plan_summary(const struct state *, const char *path);
/*
 * gen_validate() for a step's settings: mode none (a removal) is meant,
 * so the other fields are checked as in testing.
 */
int change_validate(const struct gen_spec *, enum gen_field *, char **cause);

/*
 * Judges the plan in st (st->change not NULL) on the facts; records in st
 * the day steps are first seen done.  *dirty is set when st changed.
 */
struct change_report *change_judge(struct state *, const struct change_facts *,
    long today, int *dirty);
void		      change_report_free(struct change_report *);
char *change_report_text(const struct state *, const struct change_report *);
/* What to do next, in one paragraph (caller frees); NULL when done. */
char *change_report_next(const struct state *, const struct change_report *);
char *change_report_json(const struct state *, const struct change_report *);
/* Exit status of status: 2 with fix-now, 1 with a warning, else 0. */
int change_report_exit(const struct change_report *);

/*
 * The settings of step's files (out is gen_spec_init'ed here), with a new
 * id recorded in st when the step takes one.  Returns 1 if a new id was
 * made.
 */
int change_step_spec(struct state *, size_t step, struct gen_spec *out,
    long today, time_t now);
/* The day a step may start at the earliest, from the plan alone; -1
 * while the step before it has not been seen done. */
long change_step_ready(const struct state *, size_t step);
/*
 * The steps as calendar events (ics.h), on the day each may start; a day
 * not known yet is counted as if the steps before went live on time.
 * Returns how many were filled (at most max); the caller frees their
 * title and help.
 */
struct ics_event;
size_t change_milestones(const struct state *, struct ics_event *, size_t max);

#endif
