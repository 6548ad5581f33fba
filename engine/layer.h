/*
 * layer: what one layer of a check is, as data: a class per layer, in the
 * manner of curl's protocol handlers and htop's MeterClass.  The registry
 * (layers.h) lists the classes; check.c schedules them and summary.c and
 * report_json.c render them, all through this table, knowing nothing of
 * any one layer.
 *
 * Each engine/layer_<x>.c defines one class: its network work, how it
 * judges the result, its data and the accessors for it (check.h), its
 * summary lines and its JSON.  The second half of this header is what a
 * layer may do to the check that runs it (engine only; the TUI and the
 * commands use check.h).
 */
#ifndef MTASTS_LAYER_H
#define MTASTS_LAYER_H

#include <stdint.h>
#include <time.h>

#include "check.h"
#include "dns.h"
#include "finding.h"
#include "layers.h"
#include "mx_tls.h"

struct json_t;
struct jsonw;
struct summary;

#define LAYER_BIT(l) (1u << (l))
/* Every layer of the registry. */
#define LAYER_ALL (LAYER_BIT(CHECK_LAYER__COUNT) - 1)

/* The layer that judges all the others (the verdict): shown apart. */
#define LAYER_FINAL 0x1
/*
 * Runs only when asked (check_options.optional); otherwise it is done at
 * once with nothing and not shown anywhere (check_layer_shown).
 */
#define LAYER_OPTIONAL 0x2

/*
 * The check's settings, read-only and shared with the workers (they
 * outlive the check when it is freed with work still out).
 */
struct layer_env {
	char		     *domain;
	struct dns_options    dns;
	char		     *ca_file;
	int		      family;
	unsigned	      fetch_port;
	double		      scale;
	long		      deadline_ms; /* the overall budget */
	int64_t		      deadline;	   /* absolute, set by check_start */
	time_t		      now;
	int		      no_mx_tls;
	struct mx_tls_options tls; /* strings owned by the check */
	int		      no_history;
	char		     *history_dir;
	char		     *reports;
	struct share	     *share; /* NULL: none (share.h) */
};

/* One layer's network work: made in the client thread, run on a worker. */
struct layer_job {
	const struct layer_env *env;
	void		       *in;    /* from prepare(); freed by free_in */
	void		       *out;   /* the work's result; freed by free */
	char		       *cause; /* why there is no result, or NULL */
	struct finding_list    *fl;
	int64_t			deadline; /* the layer's, absolute */
	unsigned		elapsed_ms;
};

/*
 * The scheduler's rules (doc/architecture.md): a layer starts once every
 * layer in needs has a result (a status past running) and, for its judge,
 * every layer in after is done; its work runs on the worker pool, its
 * judge in the client thread; late() runs once the layer is judged and
 * every layer in late_needs has a result.  A layer is done once judged,
 * its late step run and its status set.
 */
struct layer_class {
	const char *name; /* JSON, catalog and screen name */
	unsigned    flags;
	unsigned    needs;	/* LAYER_BIT()s: results it starts from */
	unsigned    after;	/* LAYER_BIT()s: layers done before it judges */
	unsigned    late_needs; /* LAYER_BIT()s: results late() uses */
	long	    budget_ms; /* its own deadline (budget.h); 0: the check's */
	/*
	 * At the check's deadline: the finding a layer still waiting on the
	 * network gets and the step it names.  cut_step NULL: the layer is
	 * never cut; work of its still out is dropped and it is judged with
	 * job NULL.  cut_unstarted: why it never started.
	 */
	enum finding_code cut_code;
	const char	 *cut_step;
	const char	 *cut_unstarted;

	/*
	 * Client thread, before the work: its inputs in job->in.  Returns 0,
	 * or -1 when the layer is skipped (it called check_layer_skip).
	 */
	int (*prepare)(struct check *, struct layer_job *);
	/* Worker thread: the blocking network work.  NULL: none. */
	void (*work)(struct layer_job *);
	/*
	 * Client thread: takes job->out as the layer's data (job is NULL for
	 * a layer without work) and judges.  Returns 1 when the layer's
	 * status changed (the caller's callback runs).
	 */
	int (*judge)(struct check *, struct layer_job *);
	/* Client thread: what it learns from later layers; 1 as judge. */
	int (*late)(struct check *);
	void (*free)(void *data);
	void (*free_in)(void *in);

	/* The lines that matter (summary.h); NULL: only why it was skipped. */
	void (*summary)(struct summary *, const struct check *, int ascii);
	/* Members of the layer's "data" object in --json; NULL: none. */
	void (*json)(struct jsonw *, const struct check *);
	/*
	 * The mirror of json, for a check rebuilt from a stored document
	 * (check_json.h): the layer's data from its "data" object, or from
	 * doc for a layer whose JSON lives at the top level.  Both are
	 * hostile: every member's type is checked, every array bounded.  c
	 * holds the layers loaded before this one (registry order).  Returns
	 * the data (freed by free), or NULL when the document does not hold
	 * enough; NULL op: the snapshot keeps no data for this layer.
	 */
	void *(*load)(const struct json_t *data, const struct json_t *doc,
	    const struct check *c);
};

#define LAYERS_EXTERN(e, cls) extern const struct layer_class cls;
CHECK_LAYERS(LAYERS_EXTERN)
#undef LAYERS_EXTERN

/* The class of a layer (never NULL for a valid layer). */
const struct layer_class *layer_class(enum check_layer);

/* What a layer may do to its check (client thread only). */
const struct layer_env *check_env(const struct check *);
/* The layer's data (owned by the check, freed with its class's free). */
void *check_layer_data(const struct check *, enum check_layer);
void  check_layer_set_data(struct check *, enum check_layer, void *);
/* Makes job->out the layer's data and returns it. */
void *check_layer_take(struct check *, enum check_layer, struct layer_job *);
struct finding_list *check_layer_fl(struct check *, enum check_layer);
/* Sorts the findings and sets the status from the worst of them. */
void check_layer_finish(struct check *, enum check_layer, unsigned ms);
void check_layer_skip(struct check *, enum check_layer, const char *why);
void check_layer_set_status(struct check *, enum check_layer,
    enum check_status);
/* Milliseconds since t0 (CLOCK_MONOTONIC). */
unsigned check_ms_since(const struct timespec *t0);
/* Why the check could not be made; the first reason given stays. */
void check_set_failure(struct check *, char *why);
/* 1 once the overall deadline has cut the check. */
int check_was_cut(const struct check *);
/*
 * A check rebuilt from a document (check_json.c): marks it done (it never
 * starts) and hands it snap, freed with snap_free by check_free().
 */
void  check_set_snapshot(struct check *, void *snap, void (*snap_free)(void *),
     unsigned total_ms);
void *check_snapshot(const struct check *);

#endif
