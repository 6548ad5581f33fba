/*
 * state: the rollout plan of one domain, kept in a versioned YAML file,
 * $XDG_STATE_HOME/mtasts-tui/rollouts/DOMAIN.yaml by default.
 *
 * The file holds the settings the plan was made with (a gen_spec), the
 * schedule, and every policy id ever handed out for the domain, so ids are
 * never reused.  A file that does not parse, lacks a field or its end
 * mark (cut short), is not a regular file, or that a newer version wrote,
 * is reported and never written over.  Writes are atomic.
 */
#ifndef MTASTS_WIZARD_STATE_H
#define MTASTS_WIZARD_STATE_H

#include <stddef.h>

#include "gen.h"
#include "schedule.h"

/*
 * 2: every field required and an end mark last; 1 is still read.  3: a
 * change plan (a "change" map); plain rollout plans are still written as
 * 2, so older programs keep reading them and refuse change plans.
 */
#define STATE_VERSION	      3
#define STATE_VERSION_ROLLOUT 2
#define STATE_END_MARK	      "mtasts-tui plan complete"
#define STATE_MAX_IDS	      1024

struct state_id {
	char		*id;
	enum policy_mode mode;
	long long	 max_age;
	long		 day; /* when it was made */
};

/*
 * What the plan is for: a rollout (the default, no "kind" in the file),
 * or a fix of a broken enforce policy in place ("kind: fix": serve the
 * new body, then publish the new id, then verify; no phases to wait).
 * Loading a fix plan gives it a change of kind fix (change.h), which is
 * how it is judged; it is still written as version 2 with "kind: fix".
 */
enum state_kind {
	STATE_KIND_ROLLOUT = 0,
	STATE_KIND_FIX
};

struct change_params;

struct state {
	struct gen_spec	 spec; /* settings of the plan */
	struct schedule	 sched;
	struct state_id *ids; /* oldest first */
	size_t		 nids;
	enum state_kind	 kind;
	/* A change plan (change.h); NULL for the rollout or fix plan. */
	struct change_params *change;
};

/*
 * The state directory: dir if not NULL, else $XDG_STATE_HOME/mtasts-tui/
 * rollouts or ~/.local/state/mtasts-tui/rollouts.  Caller frees.
 */
char *state_dir(const char *dir);
/* The file of domain in state_dir(dir).  Caller frees. */
char *state_path(const char *dir, const char *domain);

/* A new plan starting on day today, taking a copy of spec. */
struct state *state_new(const struct gen_spec *, long today);
/* A new change plan: a copy of spec (what is served) and of the change. */
struct state *state_new_change(const struct gen_spec *,
    const struct change_params *, long today);
void	      state_free(struct state *);
/*
 * Reads path.  Returns 0 with *out set, 1 if the file does not exist, or
 * -1 with *cause set (caller frees) if it cannot be used.
 */
int state_load(const char *path, struct state **out, char **cause);
/*
 * The same for the len bytes of a file already read; name is the file's
 * name in causes.  Returns 0 or -1 (never 1).
 */
int state_load_buffer(const char *buf, size_t len, const char *name,
    struct state **out, char **cause);
/* Creates the directory if needed, then writes atomically. */
int state_save(const struct state *, const char *path, char **cause);
/* Renders the file (caller frees); NULL with *cause on failure. */
char *state_format(const struct state *, size_t *len, char **cause);
/* Records an id; the spec's id becomes it. */
void state_add_id(struct state *, const char *id, enum policy_mode,
    long long max_age, long day);
/* The ids as an array for id_new() (caller frees the array only). */
const char **state_ids(const struct state *, size_t *n);
/* The most recent id recorded with that mode, or NULL. */
const struct state_id *state_last_id(const struct state *, enum policy_mode);

#endif
