#include "config.h"
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "change.h"
#include "file_out.h"
#include "output.h"
#include "xmalloc.h"
#include "yamlr.h"
#include "yamlw.h"

#define STATE_MAX_BYTES (1024 * 1024)

static int  state_read_file(const char *, char **, size_t *, char **);
static int  state_parse(struct yamlr *, struct state *, char **);
static int  state_parse_change(struct yamlr *, int, struct state *, char **);
static void state_format_change(struct yamlw *, const struct change_params *);
static int  state_parse_list(struct yamlr *, int, const char *,
     int (*)(struct gen_spec *, const char *), struct gen_spec *, char **);

char *
state_dir(const char *dir)
{
	const char *x, *home;

	if (dir != NULL)
		return xstrdup(dir);
	if ((x = getenv("XDG_STATE_HOME")) != NULL && *x == '/')
		return xasprintf("%s/mtasts-tui/rollouts", x);
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		home = ".";
	return xasprintf("%s/.local/state/mtasts-tui/rollouts", home);
}

char *
state_path(const char *dir, const char *domain)
{
	char *d, *p;

	d = state_dir(dir);
	p = xasprintf("%s/%s.yaml", d, domain);
	free(d);
	return p;
}

struct state *
state_new(const struct gen_spec *spec, long today)
{
	struct state *st;

	st = xcalloc(1, sizeof(*st));
	gen_spec_copy(&st->spec, spec);
	schedule_make(&st->sched, today);
	return st;
}

struct state *
state_new_change(const struct gen_spec *spec, const struct change_params *p,
    long today)
{
	struct state *st;

	st = state_new(spec, today);
	st->change = xcalloc(1, sizeof(*st->change));
	change_params_copy(st->change, p);
	return st;
}

void
state_free(struct state *st)
{
	size_t i;

	if (st == NULL)
		return;
	if (st->change != NULL) {
		change_params_free(st->change);
		free(st->change);
	}
	gen_spec_free(&st->spec);
	for (i = 0; i < st->nids; i++)
		free(st->ids[i].id);
	free(st->ids);
	free(st);
}

void
state_add_id(struct state *st, const char *id, enum policy_mode mode,
    long long max_age, long day)
{
	struct state_id *s;

	if (st->nids == STATE_MAX_IDS) {
		/* Drop the oldest; ids are timestamps, so no clash follows. */
		free(st->ids[0].id);
		memmove(&st->ids[0], &st->ids[1],
		    (st->nids - 1) * sizeof(*st->ids));
		st->nids--;
	}
	st->ids = xreallocarray(st->ids, st->nids + 1, sizeof(*st->ids));
	s = &st->ids[st->nids++];
	s->id = xstrdup(id);
	s->mode = mode;
	s->max_age = max_age;
	s->day = day;
	gen_spec_set_id(&st->spec, id);
}

const char **
state_ids(const struct state *st, size_t *n)
{
	const char **v;
	size_t	     i;

	v = xcalloc(st->nids + 1, sizeof(*v));
	for (i = 0; i < st->nids; i++)
		v[i] = st->ids[i].id;
	*n = st->nids;
	return v;
}

const struct state_id *
state_last_id(const struct state *st, enum policy_mode mode)
{
	size_t i;

	for (i = st->nids; i > 0; i--)
		if (st->ids[i - 1].mode == mode)
			return &st->ids[i - 1];
	return NULL;
}

char *
state_format(const struct state *st, size_t *len, char **cause)
{
	const struct gen_spec *s = &st->spec;
	struct yamlw	      *w;
	char		       date[16];
	size_t		       i;

	w = yamlw_new();
	yamlw_comment(w,
	    "mtasts-tui rollout state; written by the program, "
	    "edit with care.");
	yamlw_map_begin(w, NULL);
	/* A fix plan is judged as a change but written as before. */
	yamlw_int(w, "version",
	    st->change != NULL && st->kind != STATE_KIND_FIX
		? STATE_VERSION
		: STATE_VERSION_ROLLOUT);
	yamlw_str(w, "domain", s->domain);
	schedule_date_format(st->sched.created, date, sizeof(date));
	yamlw_str(w, "created", date);
	/* Optional (absent: a rollout), so older readers still read it. */
	if (st->kind == STATE_KIND_FIX)
		yamlw_str(w, "kind", "fix");

	yamlw_map_begin(w, "settings");
	yamlw_str(w, "mode", policy_mode_name(s->mode));
	yamlw_int(w, "max_age", s->max_age);
	yamlw_int(w, "ttl", s->ttl);
	if (s->id != NULL)
		yamlw_str(w, "id", s->id);
	yamlw_seq_begin(w, "mx", 0);
	for (i = 0; i < s->nmx; i++)
		yamlw_str(w, NULL, s->mx[i]);
	yamlw_seq_end(w);
	yamlw_seq_begin(w, "rua", 0);
	for (i = 0; i < s->nrua; i++)
		yamlw_str(w, NULL, s->rua[i]);
	yamlw_seq_end(w);
	yamlw_seq_begin(w, "policy_host_address", 0);
	for (i = 0; i < s->naddr; i++)
		yamlw_str(w, NULL, s->addr[i]);
	yamlw_seq_end(w);
	if (s->cname != NULL)
		yamlw_str(w, "policy_host_cname", s->cname);
	yamlw_map_end(w);

	yamlw_seq_begin(w, "phases", 0);
	for (i = 0; i < SCHEDULE__COUNT; i++) {
		yamlw_map_begin(w, NULL);
		yamlw_str(w, "phase", schedule_phase_key(i));
		schedule_date_format(st->sched.phase[i].start, date,
		    sizeof(date));
		yamlw_str(w, "start", date);
		schedule_date_format(st->sched.phase[i].end, date,
		    sizeof(date));
		yamlw_str(w, "end", date);
		yamlw_map_end(w);
	}
	yamlw_seq_end(w);

	yamlw_seq_begin(w, "ids", 0);
	for (i = 0; i < st->nids; i++) {
		yamlw_map_begin(w, NULL);
		yamlw_str(w, "id", st->ids[i].id);
		yamlw_str(w, "mode", policy_mode_name(st->ids[i].mode));
		yamlw_int(w, "max_age", st->ids[i].max_age);
		schedule_date_format(st->ids[i].day, date, sizeof(date));
		yamlw_str(w, "date", date);
		yamlw_map_end(w);
	}
	yamlw_seq_end(w);
	if (st->change != NULL && st->kind != STATE_KIND_FIX)
		state_format_change(w, st->change);
	/* Last, so that a file cut short anywhere lacks it. */
	yamlw_str(w, "end", STATE_END_MARK);
	yamlw_map_end(w);
	return yamlw_finish(w, len, cause);
}

static void
state_format_change(struct yamlw *w, const struct change_params *p)
{
	char   date[16];
	size_t i;

	yamlw_map_begin(w, "change");
	yamlw_str(w, "kind", change_kind_name(p->kind));
	if (p->new_mx != NULL)
		yamlw_str(w, "new_mx", p->new_mx);
	if (p->old_mx != NULL)
		yamlw_str(w, "old_mx", p->old_mx);
	if (p->new_cname != NULL)
		yamlw_str(w, "new_host_cname", p->new_cname);
	if (p->new_addr != NULL)
		yamlw_str(w, "new_host_address", p->new_addr);
	yamlw_int(w, "new_max_age", p->new_max_age);
	yamlw_int(w, "old_max_age", p->old_max_age);
	if (p->start_id != NULL)
		yamlw_str(w, "start_id", p->start_id);
	yamlw_seq_begin(w, "steps", 0);
	for (i = 0; i < change_nsteps(p->kind); i++) {
		yamlw_map_begin(w, NULL);
		yamlw_str(w, "step", change_step_key(p->kind, i));
		if (p->step_id[i] != NULL)
			yamlw_str(w, "id", p->step_id[i]);
		if (p->seen[i] != -1) {
			schedule_date_format(p->seen[i], date, sizeof(date));
			yamlw_str(w, "seen", date);
		}
		yamlw_map_end(w);
	}
	yamlw_seq_end(w);
	yamlw_map_end(w);
}

int
state_save(const struct state *st, const char *path, char **cause)
{
	char  *text, *dir, *slash;
	size_t len;
	int    rc;

	if ((text = state_format(st, &len, cause)) == NULL)
		return -1;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (file_out_mkdirs(dir, 0700, cause) != 0) {
			free(dir);
			free(text);
			return -1;
		}
	}
	free(dir);
	rc = file_out_write(path, text, len, 1, cause);
	free(text);
	return rc == 0 ? 0 : -1;
}

static int
state_read_file(const char *path, char **buf, size_t *len, char **cause)
{
	struct stat sb;
	ssize_t	    n;
	int	    fd;

	/*
	 * O_NONBLOCK: a FIFO in its place must not hang us in open() or
	 * read(); O_NOFOLLOW: the file is ours and is replaced by rename(),
	 * so a symbolic link there is not something we made.
	 */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)) ==
	    -1) {
		if (errno == ENOENT)
			return 1;
		*cause = xasprintf("%s: %s; it was left untouched", path,
		    errno == ELOOP ? "a symbolic link, not a plan file"
				   : strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > STATE_MAX_BYTES) {
		*cause = xasprintf("%s: not a regular file of at most %d "
				   "bytes; it was left untouched",
		    path, STATE_MAX_BYTES);
		close(fd);
		return -1;
	}
	*buf = xmalloc((size_t)sb.st_size + 1);
	*len = 0;
	while (*len < (size_t)sb.st_size) {
		n = read(fd, *buf + *len, (size_t)sb.st_size - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	(*buf)[*len] = '\0';
	close(fd);
	if (*len != (size_t)sb.st_size) {
		*cause = xasprintf("%s: could read only %zu of its %lld bytes; "
				   "it was left untouched",
		    path, *len, (long long)sb.st_size);
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

static int
state_parse_list(struct yamlr *r, int map, const char *key,
    int (*add)(struct gen_spec *, const char *), struct gen_spec *s,
    char **cause)
{
	int	    seq = yamlr_get(r, map, key);
	const char *v;
	size_t	    i;

	if (!yamlr_is_seq(r, seq)) {
		*cause = xasprintf("settings.%s is %s", key,
		    seq == 0 ? "missing" : "not a list");
		return -1;
	}
	for (i = 0; i < yamlr_len(r, seq); i++) {
		if ((v = yamlr_str(r, yamlr_item(r, seq, i))) == NULL ||
		    add(s, v) != 0) {
			*cause = xasprintf("settings.%s: bad or too many "
					   "entries",
			    key);
			return -1;
		}
	}
	return 0;
}

static char *
state_opt_str(struct yamlr *r, int map, const char *key)
{
	const char *v = yamlr_get_str(r, map, key);

	return v != NULL ? xstrdup(v) : NULL;
}

/* The "change" map of a version 3 file; absent: a rollout plan. */
static int
state_parse_change(struct yamlr *r, int root, struct state *st, char **cause)
{
	struct change_params *p;
	const char	     *v;
	long long	      a, b;
	int		      map = yamlr_get(r, root, "change"), seq, item, k;
	size_t		      i, j;
	long		      day;

	if (map == 0)
		return 0;
	if (!yamlr_is_map(r, map) ||
	    (v = yamlr_get_str(r, map, "kind")) == NULL ||
	    (k = change_kind_lookup(v)) == -1 ||
	    yamlr_int(r, yamlr_get(r, map, "new_max_age"), &a) != 0 ||
	    yamlr_int(r, yamlr_get(r, map, "old_max_age"), &b) != 0) {
		*cause = xstrdup("change missing or malformed");
		return -1;
	}
	p = st->change = xcalloc(1, sizeof(*p));
	change_params_init(p, k);
	p->new_max_age = a;
	p->old_max_age = b;
	p->new_mx = state_opt_str(r, map, "new_mx");
	p->old_mx = state_opt_str(r, map, "old_mx");
	p->new_cname = state_opt_str(r, map, "new_host_cname");
	p->new_addr = state_opt_str(r, map, "new_host_address");
	p->start_id = state_opt_str(r, map, "start_id");
	seq = yamlr_get(r, map, "steps");
	if (!yamlr_is_seq(r, seq)) {
		*cause = xstrdup("change.steps missing or not a list");
		return -1;
	}
	for (i = 0; i < yamlr_len(r, seq); i++) {
		item = yamlr_item(r, seq, i);
		if ((v = yamlr_get_str(r, item, "step")) == NULL) {
			*cause = xasprintf("change.steps[%zu] malformed", i);
			return -1;
		}
		for (j = 0; j < change_nsteps(p->kind); j++)
			if (strcmp(v, change_step_key(p->kind, j)) == 0)
				break;
		if (j == change_nsteps(p->kind))
			continue;
		p->step_id[j] = state_opt_str(r, item, "id");
		if ((v = yamlr_get_str(r, item, "seen")) != NULL) {
			if (schedule_date_parse(v, &day) != 0) {
				*cause = xasprintf("change.steps[%zu].seen "
						   "malformed",
				    i);
				return -1;
			}
			p->seen[j] = day;
		}
	}
	return 0;
}

static int
state_parse(struct yamlr *r, struct state *st, char **cause)
{
	const char *v, *mode, *k, *a, *b;
	long long   n, version;
	long	    day, d1, d2;
	int	    root = yamlr_root(r), set, seq, item, ph, m;
	int	    seen[SCHEDULE__COUNT] = { 0 };
	size_t	    i;

	if (!yamlr_is_map(r, root)) {
		*cause = xstrdup("not a mapping");
		return -1;
	}
	if (yamlr_int(r, yamlr_get(r, root, "version"), &version) != 0) {
		*cause = xstrdup("no version");
		return -1;
	}
	if (version > STATE_VERSION) {
		*cause = xasprintf("written by a newer mtasts-tui (state "
				   "version %lld; this one reads %d)",
		    version, STATE_VERSION);
		return -1;
	}
	if (version < 1) {
		*cause = xasprintf("unknown state version %lld", version);
		return -1;
	}
	/*
	 * Version 2 ends with the end mark: without it the file was cut
	 * short (a crash, a full disk) and what is left cannot be trusted,
	 * even if it parses.  Version 1 files have no mark and are read
	 * with every field required; the next save writes version 2.
	 */
	if (version >= 2 &&
	    ((v = yamlr_get_str(r, root, "end")) == NULL ||
		strcmp(v, STATE_END_MARK) != 0)) {
		*cause = xasprintf("the file is incomplete (no 'end: %s' "
				   "line: cut short while it was written?)",
		    STATE_END_MARK);
		return -1;
	}
	if ((v = yamlr_get_str(r, root, "domain")) == NULL ||
	    (k = yamlr_get_str(r, root, "created")) == NULL ||
	    schedule_date_parse(k, &day) != 0) {
		*cause = xstrdup("domain or created missing or malformed");
		return -1;
	}
	gen_spec_init(&st->spec, v);
	schedule_make(&st->sched, day);
	if ((k = yamlr_get_str(r, root, "kind")) != NULL) {
		if (strcmp(k, "fix") != 0) {
			*cause = xasprintf("unknown kind of plan '%s'", k);
			return -1;
		}
		st->kind = STATE_KIND_FIX;
	}

	set = yamlr_get(r, root, "settings");
	if (!yamlr_is_map(r, set) ||
	    (mode = yamlr_get_str(r, set, "mode")) == NULL ||
	    (m = gen_mode_lookup(mode)) == -1 ||
	    yamlr_int(r, yamlr_get(r, set, "max_age"), &n) != 0) {
		*cause = xstrdup("settings missing or malformed");
		return -1;
	}
	st->spec.mode = m;
	st->spec.max_age = n;
	if (yamlr_int(r, yamlr_get(r, set, "ttl"), &n) != 0 || n <= 0 ||
	    n >= 86400 * 7) {
		*cause = xstrdup("settings.ttl missing or malformed");
		return -1;
	}
	st->spec.ttl = (unsigned)n;
	if ((v = yamlr_get_str(r, set, "id")) != NULL)
		gen_spec_set_id(&st->spec, v);
	if ((v = yamlr_get_str(r, set, "policy_host_cname")) != NULL)
		gen_spec_set_cname(&st->spec, v);
	if (state_parse_list(r, set, "mx", gen_spec_add_mx, &st->spec, cause) !=
		0 ||
	    state_parse_list(r, set, "rua", gen_spec_add_rua, &st->spec,
		cause) != 0 ||
	    state_parse_list(r, set, "policy_host_address", gen_spec_add_addr,
		&st->spec, cause) != 0)
		return -1;

	/* Planned dates as stored: a plan outlives changes to the table. */
	seq = yamlr_get(r, root, "phases");
	if (!yamlr_is_seq(r, seq)) {
		*cause = xstrdup("phases missing or not a list");
		return -1;
	}
	for (i = 0; i < yamlr_len(r, seq); i++) {
		item = yamlr_item(r, seq, i);
		if ((k = yamlr_get_str(r, item, "phase")) == NULL ||
		    (a = yamlr_get_str(r, item, "start")) == NULL ||
		    (b = yamlr_get_str(r, item, "end")) == NULL ||
		    schedule_date_parse(a, &d1) != 0 ||
		    schedule_date_parse(b, &d2) != 0 || d2 < d1) {
			*cause = xasprintf("phases[%zu] malformed", i);
			return -1;
		}
		if ((ph = schedule_phase_lookup(k)) == -1)
			continue;
		st->sched.phase[ph].start = d1;
		st->sched.phase[ph].end = d2;
		seen[ph] = 1;
	}
	for (i = 0; i < SCHEDULE__COUNT; i++)
		if (!seen[i]) {
			*cause = xasprintf("phase '%s' missing",
			    schedule_phase_key(i));
			return -1;
		}

	seq = yamlr_get(r, root, "ids");
	if (!yamlr_is_seq(r, seq)) {
		*cause = xstrdup("ids missing or not a list");
		return -1;
	}
	for (i = 0; i < yamlr_len(r, seq); i++) {
		item = yamlr_item(r, seq, i);
		if ((v = yamlr_get_str(r, item, "id")) == NULL ||
		    (mode = yamlr_get_str(r, item, "mode")) == NULL ||
		    (m = gen_mode_lookup(mode)) == -1 ||
		    yamlr_int(r, yamlr_get(r, item, "max_age"), &n) != 0 ||
		    (k = yamlr_get_str(r, item, "date")) == NULL ||
		    schedule_date_parse(k, &day) != 0) {
			*cause = xasprintf("ids[%zu] malformed", i);
			return -1;
		}
		state_add_id(st, v, m, n, day);
	}
	/* state_add_id moved the spec's id; put back the recorded one. */
	if ((v = yamlr_get_str(r, set, "id")) != NULL)
		gen_spec_set_id(&st->spec, v);
	if (version >= 3 && state_parse_change(r, root, st, cause) != 0)
		return -1;
	if (st->kind == STATE_KIND_FIX) {
		if (st->change != NULL) {
			*cause = xstrdup("a fix plan has no change map");
			return -1;
		}
		/* Followed as a change plan of kind fix (change.h). */
		change_plan_fix(st);
	}
	return 0;
}

int
state_load(const char *path, struct state **out, char **cause)
{
	char  *buf = NULL;
	size_t len;
	int    rc;

	*out = NULL;
	*cause = NULL;
	if ((rc = state_read_file(path, &buf, &len, cause)) != 0)
		return rc;
	rc = state_load_buffer(buf, len, path, out, cause);
	free(buf);
	return rc;
}

int
state_load_buffer(const char *buf, size_t len, const char *name,
    struct state **out, char **cause)
{
	struct yamlr *r;
	struct state *st;
	char	     *why = NULL;

	*out = NULL;
	*cause = NULL;
	if ((r = yamlr_load(buf, len, &why)) == NULL) {
		*cause = xasprintf("%s is not valid YAML (%s); it was left "
				   "untouched",
		    name, why);
		free(why);
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	if (state_parse(r, st, &why) != 0) {
		*cause = xasprintf("%s cannot be used: %s; it was left "
				   "untouched",
		    name, why);
		free(why);
		yamlr_free(r);
		state_free(st);
		return -1;
	}
	yamlr_free(r);
	*out = st;
	return 0;
}
