/*
 * draft: the answers of the rollout wizard while they are being made,
 * with no screen.  A draft starts from the live check (edit what exists,
 * not replace it), keeps a copy of what the check saw (so it outlives a
 * re-run), and knows the rules of each answer: the
 * validators of typed values, the max_age that goes with a mode, the
 * wildcard offered when MX hosts share a parent, keeping or making the
 * policy id, and writing the files and the plan.
 *
 * The screens (tui/view_wizard*.c) read the fields and change them only
 * through these functions.
 */
#ifndef MTASTS_WIZARD_DRAFT_H
#define MTASTS_WIZARD_DRAFT_H

#include <stddef.h>
#include <time.h>

#include "change.h"
#include "gen.h"
#include "output.h"

struct check;
struct mx_tls_result;
struct state;

enum wizard_seen {
	WIZARD_SEEN_NONE = 0, /* no record / not served */
	WIZARD_SEEN_INVALID,  /* present, not valid (or not usable) */
	WIZARD_SEEN_VALID
};

enum wizard_hosting {
	WIZARD_HOSTING_NONE = 0, /* leave the mta-sts record out */
	WIZARD_HOSTING_ADDR,	 /* A/AAAA records */
	WIZARD_HOSTING_CNAME
};

/* What the live check saw, copied from it. */
struct wizard_live {
	enum wizard_seen sts;
	char		*sts_id; /* when valid */
	enum wizard_seen policy;
	enum policy_mode mode; /* when valid */
	long long	 max_age;
	char	       **patterns; /* the valid policy's mx patterns */
	size_t		 npatterns;
	enum wizard_seen tlsrpt;
	char		*delivery; /* the verdict's lines, or NULL */
	char		*next;
	char	       **mx;	 /* MX host names (no IP literals) */
	int		*mx_bad; /* the STARTTLS probe failed on it */
	size_t		 nmx;
	int		 enforce_ready;
	int		 fixable; /* every blocker is an MX no pattern covers */
	int		 deployed; /* a TXT or a policy exists */
};

struct wizard_draft {
	char		   *domain;
	struct gen_spec	    spec;
	struct gen_spec	    base;     /* what the defaults started from */
	int		    has_base; /* a plan or a live policy */
	struct wizard_live  live;
	struct state	   *prev; /* the existing plan, or NULL */
	char		   *state_path;
	char		   *dir; /* where the files go */
	int		    force;
	long		    today;
	time_t		    now;
	char		   *wildcard;	 /* "*.parent" when MX share a parent */
	int		    max_age_set; /* the user typed a max_age */
	enum wizard_hosting hosting;
	int		    id_kept;

	/*
	 * A change plan (draft_change.c): what is served, as settings
	 * (valid when served_cause is NULL), the only MX host or NULL,
	 * and the change being typed.
	 */
	struct gen_spec	     served;
	char		    *served_cause;
	char		    *only_mx;
	long long	     served_held; /* change_history_held() */
	struct change_params change;
};

/* Validates a typed value: 0, or -1 with *cause (caller frees). */
typedef int (*wizard_valid_fn)(const char *, char **cause);

/*
 * A draft for domain with today's date and the plan under state_dir
 * (NULL: the default); out_dir NULL: ./mtasts-DOMAIN.  Returns NULL with
 * *cause (caller frees) when the date or the plan cannot be read.
 */
struct wizard_draft *wizard_draft_new(const char *domain, const char *state_dir,
    const char *out_dir, int force, char **cause);
void		     wizard_draft_free(struct wizard_draft *);
/*
 * The one set of defaults (the wizard, export, rollout start): the saved
 * plan's settings when there is a plan, else what is deployed, keeping
 * what is good: the mode (enforce stays enforce), max_age, the patterns
 * with their wildcards and the rua.  c is a finished check (copied: it
 * may go away after), or NULL when nothing was read live.  The result is
 * also the base that wizard_draft_weakened() measures against.
 */
void wizard_draft_prefill(struct wizard_draft *, const struct check *c);
/*
 * How the spec now weakens the base (a lower mode, a shorter max_age, a
 * wildcard dropped), one sentence a line; NULL when it does not.  The
 * caller frees; front ends say it where the user sees it.
 */
char *wizard_draft_weakened(const struct wizard_draft *);

/*
 * 1 when the STARTTLS probe failed on some address of the MX host named
 * host (an MTA-STS sender could not deliver there): per-address results,
 * never the finding subjects (so "mx1" is not "mx10").  0 when it worked,
 * was not probed, or every probe timed out on connect (port 25 blocked
 * here, not a fault of the host).
 */
int wizard_mx_failing(const struct mx_tls_result *, const char *host);

/* The mode, and the max_age that goes with it unless one was typed. */
void wizard_draft_set_mode(struct wizard_draft *, enum policy_mode);
/*
 * The setters of typed values (validated already) share one shape, so a
 * screen can keep them in a table: 0, or -1 when the list is full.
 */
typedef int (*wizard_set_fn)(struct wizard_draft *, const char *);
int wizard_draft_set_max_age(struct wizard_draft *, const char *);
int wizard_draft_add_mx(struct wizard_draft *, const char *);
int wizard_draft_add_rua(struct wizard_draft *, const char *);
/* The wildcard replaces the exact names it covers; 0 when none offered. */
int wizard_draft_use_wildcard(struct wizard_draft *);
/*
 * For each live MX host, the index of the first pattern covering it or
 * -1 (caller frees); *uncovered gets how many are not covered.
 */
long *wizard_draft_coverage(const struct wizard_draft *, size_t *uncovered);
/*
 * Enforce re-judged against the edited patterns: 1 when every live MX is
 * covered and none failed the STARTTLS probe, and the live check says
 * ready or its only blockers were MX hosts the policy missed.
 */
int wizard_draft_enforce_offered(const struct wizard_draft *);
/*
 * 1 when the draft fixes a broken enforce policy in place: live is
 * enforce and not ready, the draft stays enforce and enforce is offered.
 * Its plan is a fix (publish the body, then the id, verify), not a
 * rollout.
 */
int wizard_draft_is_fix(const struct wizard_draft *);
/* Whether the patterns may go on: 0, or -1 with *cause (caller frees). */
int wizard_draft_check_mx(const struct wizard_draft *, char **cause);
/*
 * Keeps the live id when the body is the one served, or the plan's id
 * when it is the plan's body (and not served under that id), else makes
 * a new one that no plan or live record has used.
 */
void wizard_draft_choose_id(struct wizard_draft *);
/*
 * Hosting: nothing, addresses (one more, or none yet with addr NULL;
 * -1 when full), or a CNAME.  Values are validated already.
 */
void wizard_draft_host_none(struct wizard_draft *);
int  wizard_draft_host_addr(struct wizard_draft *, const char *);
int  wizard_draft_host_cname(struct wizard_draft *, const char *);
int  wizard_draft_set_dir(struct wizard_draft *, const char *);
/* Removes entry i of a list of the spec (v, *n); nothing if out of range. */
void wizard_list_del(char **v, size_t *n, size_t i);

/* output_existing() for the files the draft would write. */
unsigned wizard_draft_existing(const struct wizard_draft *, unsigned *differ);
/*
 * The plan the draft makes (caller frees): its settings from today, the
 * old plan's ids, and its id unless that one is recorded already.
 */
struct state *wizard_draft_plan(const struct wizard_draft *);
/*
 * Writes the files, then the plan.  ask decides about each file that
 * exists (see output_write_all).  Returns 0, or -1 with *cause.
 */
int wizard_draft_write(struct wizard_draft *, output_replace_cb ask, void *arg,
    char **cause);
/*
 * What was written and the plan's phases, for the terminal once the
 * screen is gone (caller frees).
 */
char *wizard_draft_summary(const struct wizard_draft *);

/*
 * Change plans from the wizard (draft_change.c), as 'rollout start
 * --change' makes them.  wizard_draft_change_served() copies what c
 * serves (wizard_draft_prefill() calls it); _offered() says whether a
 * change plan can start (0, or -1 with *cause, caller frees).
 */
void wizard_draft_change_served(struct wizard_draft *, const struct check *c);
int  wizard_draft_change_offered(const struct wizard_draft *, char **cause);
/* A new change of that kind: its parameters start from their defaults. */
void wizard_draft_change_kind(struct wizard_draft *, enum change_kind);
/* The change's typed values (validated already): wizard_set_fn. */
int wizard_draft_change_new_mx(struct wizard_draft *, const char *);
int wizard_draft_change_old_mx(struct wizard_draft *, const char *);
int wizard_draft_change_cname(struct wizard_draft *, const char *);
int wizard_draft_change_addr(struct wizard_draft *, const char *);
int wizard_draft_change_max_age(struct wizard_draft *, const char *);
/*
 * The change plan (caller frees), checked and refused as the command
 * does; rua of the draft when none is published.  NULL with *cause.
 */
struct state *wizard_draft_change_plan(const struct wizard_draft *,
    char **cause);
/* Saves the plan where the wizard's plan goes: 0, or -1 with *cause. */
int wizard_draft_change_save(const struct wizard_draft *, const struct state *,
    char **cause);

int wizard_valid_addr(const char *, char **cause);
int wizard_valid_cname(const char *, char **cause);
int wizard_valid_max_age(const char *, char **cause);
int wizard_valid_dir(const char *, char **cause);

#endif
