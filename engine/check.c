#include "config.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <gnutls/gnutls.h>

#include "budget.h"
#include "clock.h"
#include "layer.h"
#include "pool.h"
#include "share.h"
#include "xmalloc.h"

/*
 * The scheduler: it knows layers only through their classes (layer.h).
 * Work goes to the worker pool; a finished job comes back through a queue
 * and a pipe, and the client thread takes it in check_process().
 */

/*
 * State shared by the client and the workers, under lock.  It outlives the
 * check when check_free() abandons running work: the last job to finish
 * frees it.
 */
struct check_core {
	pthread_mutex_t	  lock;
	int		  refs;
	int		  cancelled;
	int		  pipe[2];
	struct check_run *done; /* finished, not yet taken */
	struct layer_env  env;
	char		 *resolver;
	char		 *ehlo_name;
	char		**skip_mx;
	size_t		  nskip_mx;
};

/* One layer's job on its way through the pool. */
struct check_run {
	struct check_core *core;
	enum check_layer   layer;
	struct check_run  *next;
	struct layer_job   job;
};

struct check_layer_state {
	enum check_status    status;
	unsigned	     elapsed_ms;
	char		    *skip_reason;
	struct finding_list *fl;
	void		    *data;
	struct check_run    *arrived; /* its job, back, waiting for after */
	int		     started;
	int		     out;    /* its job is on the pool */
	int		     judged; /* judge ran, or skipped or cut */
	int		     late_done;
	int dropped; /* its job was abandoned at the deadline */
};

struct check {
	struct check_core	*core;
	struct pool		*pool;
	int			 own_pool; /* --serial: one private thread */
	struct check_layer_state layer[CHECK_LAYER__COUNT];
	struct timespec		 start;
	unsigned		 total_ms;
	int			 started;
	int			 finished;
	int			 cut; /* the overall deadline passed */
	char			*failure;
	unsigned		 off;  /* optional layers not asked for */
	void			*snap; /* check_json.c: what a document kept */
	void (*snap_free)(void *);
};

unsigned
check_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (unsigned)((t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

int
check_global_init(char **cause)
{
	CURLcode rc;

	*cause = NULL;
	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		*cause = xasprintf("libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	if (gnutls_global_init() < 0) {
		*cause = xstrdup("GnuTLS initialisation failed");
		curl_global_cleanup();
		return -1;
	}
	return 0;
}

void
check_global_cleanup(void)
{
	gnutls_global_deinit();
	curl_global_cleanup();
}

const char *
check_layer_name(enum check_layer l)
{
	return (unsigned)l < CHECK_LAYER__COUNT ? layer_class(l)->name : "?";
}

int
check_layer_final(enum check_layer l)
{
	return (layer_class(l)->flags & LAYER_FINAL) != 0;
}

int
check_layer_optional(enum check_layer l)
{
	return (layer_class(l)->flags & LAYER_OPTIONAL) != 0;
}

int
check_option_layer(struct check_options *o, const char *name)
{
	int l;

	for (l = 0; l < CHECK_LAYER__COUNT; l++)
		if (check_layer_optional(l) &&
		    strcmp(layer_class(l)->name, name) == 0) {
			o->optional |= LAYER_BIT(l);
			return l;
		}
	return -1;
}

int
check_options_layer_on(const struct check_options *o, enum check_layer l)
{
	return !check_layer_optional(l) || (o->optional & LAYER_BIT(l)) != 0;
}

int
check_layer_shown(const struct check *c, enum check_layer l)
{
	return (c->off & LAYER_BIT(l)) == 0;
}

const char *
check_status_name(enum check_status s)
{
	static const char *names[] = { "pending", "running", "pass", "warn",
		"fail", "skip", "cut" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static void
check_core_unref(struct check_core *core)
{
	int last;

	pthread_mutex_lock(&core->lock);
	last = --core->refs == 0;
	pthread_mutex_unlock(&core->lock);
	if (!last)
		return;
	close(core->pipe[0]);
	close(core->pipe[1]);
	pthread_mutex_destroy(&core->lock);
	free(core->env.domain);
	free(core->resolver);
	free(core->env.ca_file);
	free(core->env.history_dir);
	free(core->env.reports);
	free(core->ehlo_name);
	share_free(core->env.share);
	while (core->nskip_mx > 0)
		free(core->skip_mx[--core->nskip_mx]);
	free(core->skip_mx);
	free(core);
}

static void
check_run_free(struct check_run *run)
{
	const struct layer_class *k = layer_class(run->layer);

	if (run->job.in != NULL && k->free_in != NULL)
		k->free_in(run->job.in);
	if (run->job.out != NULL && k->free != NULL)
		k->free(run->job.out);
	finding_list_free(run->job.fl);
	free(run->job.cause);
	free(run);
}

/* A pool task: the layer's work, then the job goes back to the check. */
static void
check_run_work(void *arg)
{
	struct check_run	 *run = arg;
	struct check_core	 *core = run->core;
	const struct layer_class *k = layer_class(run->layer);
	struct timespec		  t0;
	ssize_t			  w;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* The layer's own deadline counts from when it really starts. */
	run->job.deadline = k->budget_ms > 0
	    ? budget_layer_deadline(k->budget_ms, core->env.scale,
		  core->env.deadline)
	    : core->env.deadline;
	k->work(&run->job);
	run->job.elapsed_ms = check_ms_since(&t0);

	pthread_mutex_lock(&core->lock);
	if (core->cancelled) {
		pthread_mutex_unlock(&core->lock);
		check_run_free(run);
	} else {
		run->next = core->done;
		core->done = run;
		do {
			w = write(core->pipe[1], "", 1);
		} while (w == -1 && errno == EINTR);
		pthread_mutex_unlock(&core->lock);
	}
	check_core_unref(core);
}

struct check *
check_new(const char *domain, const struct check_options *opts)
{
	struct check	  *c;
	struct check_core *core;
	struct layer_env  *env;
	int		   i;

	c = xcalloc(1, sizeof(*c));
	core = xcalloc(1, sizeof(*core));
	env = &core->env;
	pthread_mutex_init(&core->lock, NULL);
	core->refs = 1;
	core->pipe[0] = core->pipe[1] = -1;
	env->domain = xstrdup(domain);
	if (opts->resolver != NULL)
		core->resolver = xstrdup(opts->resolver);
	if (opts->ca_file != NULL)
		env->ca_file = xstrdup(opts->ca_file);
	env->scale = opts->timeout_scale > 0 ? opts->timeout_scale : 1.0;
	env->family = opts->family;
	env->fetch_port = opts->fetch_port;
	env->now = opts->now != 0 ? opts->now : time(NULL);
	env->dns.resolver = core->resolver;
	env->dns.port = opts->resolver_port;
	env->dns.timeout = budget_ms(BUDGET_DNS_QUERY_MS, env->scale) / 1000.0;
	env->deadline_ms = opts->deadline > 0 ? (long)(opts->deadline * 1000)
					      : BUDGET_CHECK_MS;
	if (env->deadline_ms < BUDGET_CHECK_MIN_MS)
		env->deadline_ms = BUDGET_CHECK_MIN_MS;
	if (env->deadline_ms > BUDGET_CHECK_MAX_MS)
		env->deadline_ms = BUDGET_CHECK_MAX_MS;
	env->dns.dnssec = 1;
	env->no_mx_tls = opts->no_mx_tls;
	if (opts->ehlo_name != NULL)
		core->ehlo_name = xstrdup(opts->ehlo_name);
	core->skip_mx = xcalloc(opts->nskip_mx + 1, sizeof(*core->skip_mx));
	for (i = 0; i < (int)opts->nskip_mx; i++)
		core->skip_mx[core->nskip_mx++] = xstrdup(opts->skip_mx[i]);
	env->tls.ca_file = env->ca_file;
	env->tls.ehlo_name = core->ehlo_name;
	env->tls.family = env->family;
	env->tls.port = opts->smtp_port;
	env->tls.timeout_scale = env->scale;
	env->tls.now = env->now;
	env->tls.expiry_warn_days = opts->expiry_warn_days;
	env->tls.skip = (const char *const *)core->skip_mx;
	env->tls.nskip = core->nskip_mx;
	env->tls.serial = opts->serial;
	env->no_history = opts->no_history;
	if (opts->history_dir != NULL)
		env->history_dir = xstrdup(opts->history_dir);
	if (opts->reports != NULL)
		env->reports = xstrdup(opts->reports);
	c->core = core;
	/* --serial: one private thread runs every job in turn. */
	c->own_pool = opts->serial;
	if (opts->share != NULL) {
		env->share = share_ref(opts->share);
		/*
		 * Every layer's questions go through the run's answers, its
		 * probes through the run's probe cache, and every fan-out
		 * runs on the run's pool.
		 */
		env->dns.cache = share_dns_cache(env->share);
		env->dns.pool = share_pool(env->share);
		env->tls.share = env->share;
		env->tls.pool = share_pool(env->share);
	}
	c->pool = c->own_pool ? pool_new(1)
	    : env->share      ? share_pool(env->share)
			      : pool_default();
	for (i = 0; i < CHECK_LAYER__COUNT; i++) {
		c->layer[i].status = CHECK_PENDING;
		c->layer[i].fl = finding_list_new();
		if (!check_options_layer_on(opts, i))
			c->off |= LAYER_BIT(i);
	}
	return c;
}

/* Layers with a result: a status past running. */
static unsigned
check_have(const struct check *c)
{
	unsigned m = 0;
	int	 l;

	for (l = 0; l < CHECK_LAYER__COUNT; l++)
		if (c->layer[l].status > CHECK_RUNNING)
			m |= LAYER_BIT(l);
	return m;
}

/* Layers done: judged, their late step run and their status set. */
static unsigned
check_finished(const struct check *c)
{
	const struct check_layer_state *ls;
	unsigned			m = 0;
	int				l;

	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		ls = &c->layer[l];
		if (ls->judged && ls->status > CHECK_RUNNING &&
		    (layer_class(l)->late == NULL || ls->late_done))
			m |= LAYER_BIT(l);
	}
	return m;
}

/*
 * 1 when every layer in mask is in set, less l itself and, unless l is
 * final, the final layers: they come last whatever others ask for.
 */
static int
check_ready(unsigned mask, unsigned set, enum check_layer l)
{
	int i;

	mask &= ~LAYER_BIT(l);
	for (i = 0; !check_layer_final(l) && i < CHECK_LAYER__COUNT; i++)
		if (check_layer_final(i))
			mask &= ~LAYER_BIT(i);
	return (mask & ~set) == 0;
}

/* Starts layer l's work on the pool; 1 when it was skipped instead. */
static int
check_submit(struct check *c, enum check_layer l)
{
	const struct layer_class *k = layer_class(l);
	struct check_core	 *core = c->core;
	struct check_run	 *run;

	/* After the deadline no work starts: it is judged without. */
	if (c->cut) {
		c->layer[l].dropped = 1;
		return 0;
	}
	run = xcalloc(1, sizeof(*run));
	run->core = core;
	run->layer = l;
	run->job.env = &core->env;
	run->job.fl = finding_list_new();
	if (k->prepare != NULL && k->prepare(c, &run->job) != 0) {
		check_run_free(run);
		c->layer[l].judged = 1;
		return 1;
	}
	pthread_mutex_lock(&core->lock);
	core->refs++;
	pthread_mutex_unlock(&core->lock);
	c->layer[l].out = 1;
	pool_submit(c->pool, check_run_work, run);
	return 0;
}

/* Judges layer l with its job (NULL: it had no work, or it was dropped). */
static void
check_judge(struct check *c, enum check_layer l, struct check_run *run,
    check_layer_cb cb, void *arg)
{
	const struct layer_class *k = layer_class(l);
	struct check_layer_state *ls = &c->layer[l];
	int			  changed;

	if (run != NULL) {
		ls->elapsed_ms = run->job.elapsed_ms;
		finding_list_move(ls->fl, run->job.fl);
	}
	changed = k->judge(c, run != NULL ? &run->job : NULL);
	ls->judged = 1;
	if (run != NULL)
		check_run_free(run);
	if (changed && cb != NULL)
		cb(c, l, arg);
}

/* A finished job: judged now unless the layer waits for others. */
static void
check_take(struct check *c, struct check_run *run, check_layer_cb cb, void *arg)
{
	struct check_layer_state *ls = &c->layer[run->layer];

	ls->out = 0;
	if (!check_ready(layer_class(run->layer)->after, check_finished(c),
		run->layer)) {
		ls->arrived = run;
		return;
	}
	check_judge(c, run->layer, run, cb, arg);
}

/*
 * The overall deadline passed: every layer still waiting on the network is
 * cut, with its class's finding naming the step and when, and the check
 * ends with what it has.  Work still out is abandoned: it ends on its
 * layer's deadline (never later than the check's) and its result is
 * dropped.  A layer never cut (no cut_step) is judged without its work.
 */
static void
check_cut(struct check *c, check_layer_cb cb, void *arg)
{
	const struct layer_class *k;
	struct check_layer_state *ls;
	unsigned		  ms = check_ms_since(&c->start);
	int			  l, never;

	c->cut = 1;
	pthread_mutex_lock(&c->core->lock);
	c->core->cancelled = 1;
	pthread_mutex_unlock(&c->core->lock);
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		k = layer_class(l);
		ls = &c->layer[l];
		if (ls->out && k->cut_step == NULL) {
			ls->out = 0;
			ls->dropped = 1;
			continue;
		}
		/* A result in hand waits only for its judging input. */
		if (k->cut_step == NULL || ls->judged || ls->arrived != NULL ||
		    (ls->status != CHECK_RUNNING &&
			ls->status != CHECK_PENDING))
			continue;
		never = !ls->started;
		finding_add(ls->fl, k->cut_code, c->core->env.domain, 0,
		    "%s %s%s%s: cut at the check's deadline (%.1f s), %.1f s "
		    "after the check started",
		    k->cut_step, never ? "never started (" : "did not finish",
		    never && k->cut_unstarted != NULL ? k->cut_unstarted
			: never			      ? "nothing it needs came"
						      : "",
		    never ? ")" : "", c->core->env.deadline_ms / 1000.0,
		    ms / 1000.0);
		finding_list_sort(ls->fl);
		ls->status = CHECK_CUT;
		ls->elapsed_ms = ms;
		ls->started = ls->judged = 1;
		ls->out = 0;
		if (cb != NULL)
			cb(c, (enum check_layer)l, arg);
	}
}

/*
 * Moves every layer on as far as it can go: starts the work of layers
 * whose inputs exist, judges those that wait for nothing else, runs late
 * steps.  start_only (check_start): only hand work to the pool.
 */
static void
check_advance(struct check *c, int start_only, check_layer_cb cb, void *arg)
{
	const struct layer_class *k;
	struct check_layer_state *ls;
	struct check_run	 *run;
	int			  l, moved;

	do {
		moved = 0;
		for (l = 0; l < CHECK_LAYER__COUNT; l++) {
			k = layer_class(l);
			ls = &c->layer[l];
			if (!ls->started &&
			    check_ready(k->needs, check_have(c), l) &&
			    (k->work != NULL ||
				check_ready(k->after, check_finished(c), l))) {
				if (k->work == NULL && start_only)
					continue;
				ls->started = moved = 1;
				if (k->work != NULL)
					check_submit(c, l);
				else
					check_judge(c, l, NULL, cb, arg);
			}
			if (start_only)
				continue;
			if (!ls->judged &&
			    (ls->arrived != NULL || ls->dropped) &&
			    check_ready(k->after, check_finished(c), l)) {
				run = ls->arrived;
				ls->arrived = NULL;
				check_judge(c, l, run, cb, arg);
				moved = 1;
			}
			if (ls->judged && !ls->late_done && k->late != NULL &&
			    check_ready(k->late_needs, check_have(c), l)) {
				ls->late_done = moved = 1;
				if (k->late(c) && cb != NULL)
					cb(c, (enum check_layer)l, arg);
			}
		}
	} while (moved);
	if (!start_only && check_finished(c) == LAYER_ALL && !c->finished) {
		c->finished = 1;
		c->total_ms = check_ms_since(&c->start);
	}
}

/* Returns -1 only when the wake-up pipe cannot be made: work never fails. */
int
check_start(struct check *c, char **cause)
{
	struct check_core *core = c->core;
	int		   i;

	*cause = NULL;
	if (c->started)
		return 0;
	if (pipe(core->pipe) == -1) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		fcntl(core->pipe[i], F_SETFL,
		    fcntl(core->pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(core->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	c->started = 1;
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	core->env.deadline = clock_ms() + core->env.deadline_ms;
	/* Waiting for finished layers shows as pending, the rest running. */
	for (i = 0; i < CHECK_LAYER__COUNT; i++)
		c->layer[i].status =
		    layer_class(i)->after != 0 ? CHECK_PENDING : CHECK_RUNNING;
	/* An optional layer not asked for is done before anything starts. */
	for (i = 0; i < CHECK_LAYER__COUNT; i++)
		if (c->off & LAYER_BIT(i)) {
			c->layer[i].status = CHECK_SKIP;
			c->layer[i].started = c->layer[i].judged = 1;
			c->layer[i].late_done = 1;
		}
	check_advance(c, 1, NULL, NULL);
	return 0;
}

int
check_fd(const struct check *c)
{
	return c->core->pipe[0];
}

int
check_process(struct check *c, check_layer_cb cb, void *arg)
{
	struct check_core *core = c->core;
	struct check_run  *list, *run, *rev = NULL;
	char		   buf[64];

	if (!c->started || check_done(c))
		return check_done(c);
	while (read(core->pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&core->lock);
	list = core->done;
	core->done = NULL;
	pthread_mutex_unlock(&core->lock);
	/* The queue is LIFO; take jobs in the order they finished. */
	while (list != NULL) {
		run = list;
		list = run->next;
		run->next = rev;
		rev = run;
	}
	while ((run = rev) != NULL) {
		rev = run->next;
		check_take(c, run, cb, arg);
	}
	if (!c->cut && clock_ms() >= core->env.deadline)
		check_cut(c, cb, arg);
	check_advance(c, 0, cb, arg);
	return check_done(c);
}

void
check_wait(struct check *c, check_layer_cb cb, void *arg)
{
	struct timeval tv;
	fd_set	       rfds;
	int64_t	       left;
	int	       fd = check_fd(c);

	/* Each wait ends at the overall deadline: check_process cuts there. */
	while (!check_process(c, cb, arg)) {
		left = c->core->env.deadline - clock_ms();
		if (left < 0)
			left = 0;
		tv.tv_sec = (time_t)(left / 1000);
		tv.tv_usec = (suseconds_t)(left % 1000) * 1000;
		FD_ZERO(&rfds);
		FD_SET(fd, &rfds);
		if (select(fd + 1, &rfds, NULL, NULL, &tv) == -1 &&
		    errno != EINTR)
			break;
	}
}

struct check *
check_run_sync(const char *domain, const struct check_options *opts,
    check_layer_cb cb, void *arg, char **cause)
{
	struct check *c = check_new(domain, opts);

	if (check_start(c, cause) != 0) {
		check_free(c);
		return NULL;
	}
	check_wait(c, cb, arg);
	return c;
}

int
check_layer_cut(const struct check *c, enum check_layer l)
{
	return c->layer[l].status == CHECK_CUT;
}

unsigned
check_deadline_ms(const struct check *c)
{
	return (unsigned)c->core->env.deadline_ms;
}

int
check_done(const struct check *c)
{
	return c->finished;
}

void
check_free(struct check *c)
{
	struct check_run *run;
	int		  i;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->core->lock);
	c->core->cancelled = 1;
	while ((run = c->core->done) != NULL) {
		c->core->done = run->next;
		check_run_free(run);
	}
	pthread_mutex_unlock(&c->core->lock);
	if (c->own_pool)
		pool_free(c->pool);
	for (i = 0; i < CHECK_LAYER__COUNT; i++) {
		if (c->layer[i].arrived != NULL)
			check_run_free(c->layer[i].arrived);
		if (c->layer[i].data != NULL && layer_class(i)->free != NULL)
			layer_class(i)->free(c->layer[i].data);
		finding_list_free(c->layer[i].fl);
		free(c->layer[i].skip_reason);
	}
	if (c->snap != NULL)
		c->snap_free(c->snap);
	check_core_unref(c->core);
	free(c->failure);
	free(c);
}

const char *
check_domain(const struct check *c)
{
	return c->core->env.domain;
}

time_t
check_time(const struct check *c)
{
	return c->core->env.now;
}

enum check_status
check_layer_status(const struct check *c, enum check_layer l)
{
	return c->layer[l].status;
}

unsigned
check_layer_elapsed_ms(const struct check *c, enum check_layer l)
{
	return c->layer[l].elapsed_ms;
}

const char *
check_layer_skip_reason(const struct check *c, enum check_layer l)
{
	return c->layer[l].skip_reason;
}

const struct finding_list *
check_layer_findings(const struct check *c, enum check_layer l)
{
	return c->layer[l].fl;
}

unsigned
check_elapsed_ms(const struct check *c)
{
	if (!c->started)
		return 0;
	return check_done(c) ? c->total_ms : check_ms_since(&c->start);
}

const char *
check_failure(const struct check *c)
{
	return c->failure;
}

/* What layers may do to their check (layer.h). */

const struct layer_env *
check_env(const struct check *c)
{
	return &c->core->env;
}

void *
check_layer_data(const struct check *c, enum check_layer l)
{
	return c->layer[l].data;
}

void
check_layer_set_data(struct check *c, enum check_layer l, void *data)
{
	c->layer[l].data = data;
}

void *
check_layer_take(struct check *c, enum check_layer l, struct layer_job *job)
{
	c->layer[l].data = job->out;
	job->out = NULL;
	return c->layer[l].data;
}

struct finding_list *
check_layer_fl(struct check *c, enum check_layer l)
{
	return c->layer[l].fl;
}

void
check_layer_finish(struct check *c, enum check_layer l, unsigned ms)
{
	struct check_layer_state *ls = &c->layer[l];

	finding_list_sort(ls->fl);
	ls->elapsed_ms = ms;
	switch (finding_list_worst(ls->fl)) {
	case FINDING_ERROR:
		ls->status = CHECK_FAIL;
		break;
	case FINDING_WARNING:
		ls->status = CHECK_WARN;
		break;
	default:
		ls->status = CHECK_PASS;
	}
}

void
check_layer_skip(struct check *c, enum check_layer l, const char *why)
{
	free(c->layer[l].skip_reason);
	c->layer[l].skip_reason = xstrdup(why);
	c->layer[l].status = CHECK_SKIP;
}

void
check_layer_set_status(struct check *c, enum check_layer l,
    enum check_status st)
{
	c->layer[l].status = st;
}

void
check_set_failure(struct check *c, char *why)
{
	if (c->failure == NULL)
		c->failure = why;
	else
		free(why);
}

int
check_was_cut(const struct check *c)
{
	return c->cut;
}

void
check_set_snapshot(struct check *c, void *snap, void (*snap_free)(void *),
    unsigned total_ms)
{
	/* Never started, yet done: nothing runs, the accessors answer. */
	c->snap = snap;
	c->snap_free = snap_free;
	c->started = c->finished = 1;
	c->total_ms = total_ms;
}

void *
check_snapshot(const struct check *c)
{
	return c->snap;
}
