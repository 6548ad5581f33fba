#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "domain_list.h"
#include "fleet.h"
#include "fleet_table.h"
#include "jsonl.h"
#include "jsonw.h"
#include "keys.h"
#include "prompt.h"
#include "report_json.h"
#include "run_config.h"
#include "scan.h"
#include "scan_db.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "xmalloc.h"

/*
 * The fleet table: one row per domain of a scan, run here (-f FILE) or
 * read from its JSON Lines (SCAN.jsonl...).  Rows live in a fleet_table
 * (the model, no curses); this view draws only the rows on screen, so a
 * frame costs the same at 10 rows or 100,000.  Documents are not kept:
 * Enter reads the row's line again from its file and hands it to
 * app_open_snapshot() (the snapshot screen, tui/app.h).
 *
 * Both ways of filling the table are one event source of the loop
 * (app.h, struct app_source): files are read a slice at a time while a
 * byte waits in a pipe, so keys are served between slices; a scan is
 * scan_fd()/scan_process() (engine/scan.h).
 *
 * What changed since the previous scan is scan_db_changes_set()'s answer
 * (engine/scan_db.h), asked once the rows are all in: the documents are
 * kept as a scan_db_set meanwhile, the history is opened read-only, and
 * every change marks its row (fleet_table.h).  A history that cannot be
 * read is a note on the change line and the status line, nothing more.
 */

#define FLEET_DOMAIN_MIN    20 /* a wider layout only if the domain keeps this */
#define FLEET_LOAD_SLICE_MS 40 /* reading files: at most this per wake-up */
#define FLEET_MAX_COLS	    (16 + CHECK_LAYER__COUNT)
#define FLEET_TOP_ROWS	    2	  /* the count line and the headings */
#define FLEET_DB_BUSY_MS    300	  /* a locked history: a note, not a wait */
#define FLEET_META_MAX	    65536 /* the mtasts_scan line read for its time */
#define FLEET_EXPIRY_WARN   14	  /* days, as the check's default */
#define FLEET_SCAN_VERSION  1	  /* the mtasts_scan line's, as scan writes */
#define FLEET_FDS_PER_CHECK 16

struct fview_src {
	char *name;
	FILE *f; /* kept open: Enter reads documents again from it */
};

struct fview_col;
typedef void fview_cell_fn(const struct fview_col *, const struct ftable_row *,
    char *, size_t, attr_t *);

/* The layouts, narrowest first: the widest whose domain keeps its room. */
enum fview_fit {
	FIT_NARROW,
	FIT_MEDIUM,
	FIT_WIDE,
	FIT__COUNT
};

/* A column: heading, what it sorts by, width per layout (0: hidden). */
struct fview_col {
	const char	*name; /* NULL: the layer's name */
	enum ftable_key	 key;
	int		 widths[FIT__COUNT];
	fview_cell_fn	*cell;
	enum check_layer layer;
	int		 width; /* in the current layout */
};

struct fview {
	struct view	 *v;
	struct app	 *app;
	struct ftable	 *t;
	unsigned	  seen; /* ftable_layers_seen() at the last layout */
	struct fview_src *src;
	size_t		  nsrc;
	char		 *error; /* the input could not be read */
	unsigned long	  skipped;

	/* reading files */
	size_t	      load_i;
	struct jsonl *rd;
	int	      wake[2];
	int	      loading;
	long long     load_bytes, load_total;

	/* a scan (-f) */
	struct domain_list  *dl;
	struct scan	    *scan;
	struct check_options co;
	struct scan_progress prog;
	int		     scanning;
	int		     out_fd;
	long long	     out_pos;
	char		    *out_name;

	/* the table on screen */
	struct fview_col cols[FLEET_MAX_COLS];
	size_t		 ncols;
	size_t		 sort; /* index in cols */
	enum ftable_key	 sort_key;
	enum check_layer sort_layer;
	int		 reverse;
	size_t		 cur, top;
	char		*cur_domain;
	int	      moved; /* until then the cursor stays on the first row */
	struct prompt input;
	char	      filter_before[PROMPT_MAX];
	char	      header[256];
	char	      keys[512];

	/* what changed since the previous scan */
	int		    chg_on;    /* not --no-db */
	int		    chg_state; /* 0 not yet, 1 compared, -1 failed */
	struct scan_db_set *chg_set;   /* the documents, until compared */
	char		   *chg_note;  /* "since scan N, DATE" or why not */
	time_t		    started;   /* this scan's, 0: unknown */
};

static fview_cell_fn fview_cell_domain, fview_cell_answer, fview_cell_mode,
    fview_cell_layer, fview_cell_blockers, fview_cell_expiry,
    fview_cell_classes, fview_cell_elapsed, fview_cell_mx, fview_cell_change;

/*
 * The columns in order; FTABLE_LAYER stands for one column per layer of
 * the registry but the final one (the answer shows the verdict).  The
 * domain takes what the others leave.
 */
static const struct fview_col fview_cols[] = {
	{ "domain", FTABLE_DOMAIN, { 1, 1, 1 }, fview_cell_domain, 0, 0 },
	{ "answer", FTABLE_ANSWER, { 7, 7, 7 }, fview_cell_answer, 0, 0 },
	{ "mode", FTABLE_MODE, { 4, 4, 9 }, fview_cell_mode, 0, 0 },
	{ NULL, FTABLE_LAYER, { 3, 3, 7 }, fview_cell_layer, 0, 0 },
	{ "blk", FTABLE_BLOCKERS, { 3, 3, 0 }, fview_cell_blockers, 0, 0 },
	{ "blockers", FTABLE_BLOCKERS, { 0, 0, 24 }, fview_cell_blockers, 0,
	    0 },
	{ "exp", FTABLE_EXPIRY, { 5, 5, 0 }, fview_cell_expiry, 0, 0 },
	{ "expiry", FTABLE_EXPIRY, { 0, 0, 6 }, fview_cell_expiry, 0, 0 },
	{ "elapsed", FTABLE_ELAPSED, { 0, 7, 7 }, fview_cell_elapsed, 0, 0 },
	{ "mx", FTABLE_MX, { 0, 3, 3 }, fview_cell_mx, 0, 0 },
	{ "change", FTABLE_CHANGE, { 8, 12, 20 }, fview_cell_change, 0, 0 },
	{ "classes", FTABLE_CLASSES, { 0, 1, 1 }, fview_cell_classes, 0, 0 },
};

static void	   fview_init(struct view *);
static void	   fview_free(struct view *);
static void	   fview_resize(struct view *);
static void	   fview_update(struct view *);
static void	   fview_draw(struct view *);
static int	   fview_key(struct view *, int);
static const char *fview_keys(struct view *);
static char	  *fview_selection(struct view *);

const struct view_ops view_fleet_ops = {
	.name = "fleet",
	.init = fview_init,
	.free = fview_free,
	.resize = fview_resize,
	.update = fview_update,
	.draw = fview_draw,
	.key = fview_key,
	.keys = fview_keys,
	.selection = fview_selection,
};

static int	   fview_src_fd(void *);
static int	   fview_src_process(void *);
static const char *fview_src_header(void *);

/* Cells. */

static void
fview_cell_domain(const struct fview_col *c, const struct ftable_row *r,
    char *buf, size_t len, attr_t *attr)
{
	(void)c;
	(void)attr;
	snprintf(buf, len, "%s", r->domain);
}

static void
fview_cell_answer(const struct fview_col *c, const struct ftable_row *r,
    char *buf, size_t len, attr_t *attr)
{
	static const struct {
		const char     *answer;
		enum theme_item item;
	} look[] = { { "all", THEME_PASS }, { "some", THEME_WARN },
		{ "none", THEME_FAIL }, { "failed", THEME_FAIL },
		{ "unknown", THEME_SKIP }, { "no_mail", THEME_DIM } };
	size_t i;

	(void)c;
	snprintf(buf, len, "%s", r->answer);
	for (i = 0; i < sizeof(look) / sizeof(look[0]); i++)
		if (strcmp(look[i].answer, r->answer) == 0)
			*attr = theme_attr(look[i].item);
}

static void
fview_cell_mode(const struct fview_col *c, const struct ftable_row *r,
    char *buf, size_t len, attr_t *attr)
{
	/* Short forms when narrow: the domain keeps the columns. */
	static const struct {
		const char *mode, *narrow;
	} shortm[] = { { "enforce", "enf" }, { "testing", "test" },
		{ "no_policy", "-" }, { "unknown", "?" } };
	size_t i;

	(void)attr;
	snprintf(buf, len, "%s", r->mode);
	for (i = 0; c->width < 9 && i < sizeof(shortm) / sizeof(shortm[0]); i++)
		if (strcmp(r->mode, shortm[i].mode) == 0)
			snprintf(buf, len, "%s", shortm[i].narrow);
}

static void
fview_cell_layer(const struct fview_col *c, const struct ftable_row *r,
    char *buf, size_t len, attr_t *attr)
{
	static const struct {
		enum check_status st;
		enum theme_sym	  sym;
		enum theme_item	  item;
	} look[] = { { CHECK_PASS, SYM_PASS, THEME_PASS },
		{ CHECK_WARN, SYM_WARN, THEME_WARN },
		{ CHECK_FAIL, SYM_FAIL, THEME_FAIL },
		{ CHECK_SKIP, SYM_SKIP, THEME_SKIP },
		{ CHECK_PENDING, SYM_PENDING, THEME_RUNNING },
		{ CHECK_RUNNING, SYM_PENDING, THEME_RUNNING } };
	size_t i;

	snprintf(buf, len, " ");
	if (r->status[c->layer] == CHECK_CUT) {
		snprintf(buf, len, "cut");
		*attr = theme_attr(THEME_WARN);
		return;
	}
	for (i = 0; i < sizeof(look) / sizeof(look[0]); i++)
		if (look[i].st == r->status[c->layer]) {
			/* The word when there is room, else the symbol. */
			if (c->width >= 4)
				snprintf(buf, len, "%s",
				    check_status_name(look[i].st));
			else
				snprintf(buf, len, "%s",
				    theme_sym(look[i].sym));
			*attr = theme_attr(look[i].item);
		}
}

static void
fview_cell_blockers(const struct fview_col *c, const struct ftable_row *r,
    char *buf, size_t len, attr_t *attr)
{
	if (r->nblockers == 0)
		snprintf(buf, len, "-");
	else if (c->width < 8)
		snprintf(buf, len, "%u", r->nblockers);
	else
		snprintf(buf, len, "%s", r->blockers);
	if (r->nblockers > 0)
		*attr = theme_attr(THEME_WARN);
}

static void
fview_cell_expiry(const struct fview_col *c, const struct ftable_row *r,
    char *buf, size_t len, attr_t *attr)
{
	(void)c;
	if (r->expiry == FTABLE_NO_EXPIRY) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%ld", (long)r->expiry);
	if (r->expiry < 0)
		*attr = theme_attr(THEME_FAIL);
	else if (r->expiry < FLEET_EXPIRY_WARN)
		*attr = theme_attr(THEME_WARN);
}

static void
fview_cell_classes(const struct fview_col *c, const struct ftable_row *r,
    char *buf, size_t len, attr_t *attr)
{
	const char *const *cls = fleet_class_names();
	size_t		   i, n = 0;

	(void)c;
	(void)attr;
	buf[0] = '\0';
	for (i = 0; i < 32 && cls[i] != NULL; i++) {
		if ((r->classes & (1u << i)) == 0)
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
		    n > 0 ? " " : "", cls[i]);
		if (n >= len)
			break;
	}
}

static void
fview_cell_elapsed(const struct fview_col *c, const struct ftable_row *r,
    char *buf, size_t len, attr_t *attr)
{
	(void)c;
	(void)attr;
	if (r->elapsed_ms < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%ld.%01lds", (long)r->elapsed_ms / 1000,
		    (long)r->elapsed_ms % 1000 / 100);
}

static void
fview_cell_mx(const struct fview_col *c, const struct ftable_row *r, char *buf,
    size_t len, attr_t *attr)
{
	(void)c;
	(void)attr;
	if (r->nmx < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%ld", (long)r->nmx);
}

static void
fview_cell_change(const struct fview_col *c, const struct ftable_row *r,
    char *buf, size_t len, attr_t *attr)
{
	(void)c;
	if (r->changes == 0) {
		snprintf(buf, len, "-");
		return;
	}
	ftable_change_text(r, buf, len);
	/* A new failure in red, a domain only fixed in green. */
	if (r->changes & (1u << ftable_change_find("new_failure")))
		*attr = theme_attr(THEME_FAIL);
	else if (r->changes & (1u << ftable_change_find("fixed")))
		*attr = theme_attr(THEME_PASS);
	else
		*attr = theme_attr(THEME_WARN);
}

/*
 * The change column, while changes are coming or there: in the narrow
 * layout the layers give it a column each (their symbol needs one).
 */
static int
fview_chg_col(const struct fview *f)
{
	return f->chg_on && f->chg_state >= 0;
}

/* The rows above the table: counts, changes (with a history), headings. */
static int
fview_top_rows(const struct fview *f)
{
	return FLEET_TOP_ROWS + (f->chg_on ? 1 : 0);
}

/*
 * Layout: the columns of one layout (narrow, medium, wide), the domain (and
 * classes) taking the rest; returns the domain's width before its minimum.
 */
static int
fview_layout_as(struct fview *f, int cols, enum fview_fit fit)
{
	const struct fview_col *c;
	int			used = 0, w, l, dw;
	size_t			i, dom = 0, cls = (size_t)-1;

	f->ncols = 0;
	for (i = 0; i < sizeof(fview_cols) / sizeof(fview_cols[0]); i++) {
		c = &fview_cols[i];
		w = c->widths[fit];
		if (w == 0 || (c->key == FTABLE_CHANGE && !fview_chg_col(f)))
			continue;
		if (c->key != FTABLE_LAYER) {
			if (c->key == FTABLE_DOMAIN)
				dom = f->ncols;
			if (c->key == FTABLE_CLASSES)
				cls = f->ncols;
			f->cols[f->ncols] = *c;
			f->cols[f->ncols++].width = w;
			used += w + 1;
			continue;
		}
		for (l = 0; l < CHECK_LAYER__COUNT; l++) {
			/* An optional layer (--auth) only when a row ran it. */
			if (check_layer_final(l) ||
			    f->ncols == FLEET_MAX_COLS ||
			    (check_layer_optional(l) &&
				!(ftable_layers_seen(f->t) & (1u << l))))
				continue;
			f->cols[f->ncols] = *c;
			f->cols[f->ncols].name = check_layer_name(l);
			f->cols[f->ncols].layer = (enum check_layer)l;
			/* Wide: the layer's whole name (4 at least). */
			w = (int)strlen(check_layer_name(l));
			f->cols[f->ncols++].width = fit != FIT_WIDE
			    ? c->widths[fit] -
				(fit == FIT_NARROW && fview_chg_col(f))
			    : w < 4 ? 4
				    : w;
			used += f->cols[f->ncols - 1].width + 1;
		}
	}
	/* The domain: 16 at least, 30 at most when classes take the rest. */
	w = cols - used;
	if (cls != (size_t)-1) {
		f->cols[dom].width = w > 30 + 12 ? 30 : w - 12;
		f->cols[cls].width = w - f->cols[dom].width;
	} else
		f->cols[dom].width = w;
	dw = f->cols[dom].width;
	if (f->cols[dom].width < 16)
		f->cols[dom].width = 16;
	if (cls != (size_t)-1 && f->cols[cls].width < 1)
		f->cols[cls].width = 1;
	/* The sort column stays the same column across layouts. */
	f->sort = 0;
	for (i = 0; i < f->ncols; i++)
		if (f->cols[i].key == f->sort_key &&
		    (f->sort_key != FTABLE_LAYER ||
			f->cols[i].layer == f->sort_layer)) {
			f->sort = i;
			break;
		}
	return dw;
}

/* The widest layout that leaves the domain its room. */
static void
fview_layout(struct fview *f, int cols)
{
	int fit;

	f->seen = ftable_layers_seen(f->t);
	for (fit = FIT_WIDE; fit > FIT_NARROW; fit--)
		if (fview_layout_as(f, cols, (enum fview_fit)fit) >=
		    FLEET_DOMAIN_MIN)
			return;
	fview_layout_as(f, cols, FIT_NARROW);
}

/* Sources. */

static void
fview_note(void *arg, const char *text)
{
	struct fview *f = arg;

	(void)text;
	f->skipped++;
}

/*
 * The scan's start from its mtasts_scan line (the earliest of the shards):
 * the scan it is compared with by default began before it.
 */
static void
fview_started(struct fview *f, FILE *fp)
{
	json_t	   *doc;
	const char *s;
	char	   *line = xmalloc(FLEET_META_MAX), *end;
	struct tm   tm;
	time_t	    t;

	if (fgets(line, FLEET_META_MAX, fp) != NULL &&
	    (doc = json_loads(line, 0, NULL)) != NULL) {
		s = json_string_value(json_object_get(
		    json_object_get(doc, "mtasts_scan"), "started_at"));
		memset(&tm, 0, sizeof(tm));
		if (s != NULL &&
		    (end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) != NULL &&
		    *end == '\0' && (t = timegm(&tm)) > 0 &&
		    (f->started == 0 || t < f->started))
			f->started = t;
		json_decref(doc);
	}
	free(line);
}

/* Starts reading file i; -1 with f->error when it cannot be read. */
static int
fview_open(struct fview *f, size_t i)
{
	char line[16];
	int  fd;

	if ((fd = open(f->src[i].name, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (f->src[i].f = fdopen(fd, "r")) == NULL) {
		f->error = xasprintf("%s: %s", f->src[i].name, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	/* A scan's output begins with its mtasts_scan line. */
	if (fread(line, 1, 15, f->src[i].f) != 15 ||
	    memcmp(line, "{\"mtasts_scan\":", 15) != 0) {
		f->error = xasprintf("%s: not a scan (its first line is "
				     "no mtasts_scan line)",
		    f->src[i].name);
		return -1;
	}
	rewind(f->src[i].f);
	fview_started(f, f->src[i].f);
	rewind(f->src[i].f);
	f->rd = jsonl_new(f->src[i].f, f->src[i].name, JSONL_MAX_LINE,
	    fview_note, f);
	return 0;
}

static uint64_t
fview_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
fview_change(void *arg, const struct scan_db_change *c)
{
	struct fview *f = arg;

	ftable_change_add(f->t, c->domain, c->kind);
}

/*
 * The rows are all in: what changed since the previous scan (--since DATE:
 * the newest scan begun by then), from the history read-only.
 */
static void
fview_compare(struct fview *f)
{
	const struct run_config *cfg = f->app->cfg;
	struct scan_db		*db;
	struct scan_db_scan	 from;
	struct tm		 tm;
	char			*path, *why = NULL, when[32];
	time_t			 at;
	int			 rc;

	if (!f->chg_on || f->chg_state != 0 || f->chg_set == NULL)
		return;
	path = cfg->fleet_db != NULL ? xstrdup(cfg->fleet_db)
				     : scan_db_default_path();
	/* This scan is not in the history, or is and began at `started`. */
	at = cfg->fleet_since != 0 ? cfg->fleet_since
	    : f->scan != NULL	   ? f->started
	    : f->started > 1	   ? f->started - 1
				   : 0;
	rc = -1;
	if ((db = scan_db_open_read(path, FLEET_DB_BUSY_MS, &why)) != NULL &&
	    (rc = scan_db_find(db, at, &from, &why)) > 0) {
		ftable_changes_clear(f->t);
		if (scan_db_changes_set(db, from.id, f->chg_set, NULL, 0,
			fview_change, f, &why) < 0) {
			ftable_changes_clear(f->t);
			rc = -1;
		}
	}
	scan_db_close(db);
	free(path);
	scan_db_set_free(f->chg_set);
	f->chg_set = NULL;
	free(f->chg_note);
	if (rc > 0) {
		gmtime_r(&from.started_at, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		f->chg_note =
		    xasprintf("since scan %lld (%s)", (long long)from.id, when);
		f->chg_state = 1;
	} else {
		f->chg_note = why != NULL ? why : xstrdup("no history");
		why = NULL;
		f->chg_state = -1;
		app_message(f->app, 1, "changes: %s", f->chg_note);
		/* No change column to show: its room goes back. */
		if (f->v->win != NULL)
			fview_resize(f->v);
	}
	free(why);
}

/* Keeps a document for the comparison at the end. */
static void
fview_keep(struct fview *f, const json_t *doc)
{
	char *why;

	if (f->chg_set != NULL && scan_db_set_add(f->chg_set, doc, &why) != 0)
		free(why);
}

/* One slice of reading: documents until the slice's time is used. */
static int
fview_load_slice(struct fview *f)
{
	uint64_t      t0 = fview_now_ms();
	json_t	     *doc;
	unsigned long line;
	const char   *cause;
	int	      r;

	while (f->loading && fview_now_ms() - t0 < FLEET_LOAD_SLICE_MS) {
		if (f->rd == NULL && fview_open(f, f->load_i) != 0) {
			f->loading = 0;
			break;
		}
		if ((r = jsonl_next(f->rd, &doc, &line)) == 1) {
			if (ftable_add(f->t, doc, (unsigned)f->load_i,
				jsonl_offset(f->rd), jsonl_length(f->rd),
				&cause) != 0)
				f->skipped++;
			else
				fview_keep(f, doc);
			json_decref(doc);
			continue;
		}
		if (r == -1)
			f->error =
			    xasprintf("%s: read error", f->src[f->load_i].name);
		f->load_bytes += (long long)ftello(f->src[f->load_i].f);
		jsonl_free(f->rd);
		f->rd = NULL;
		if (r == -1 || ++f->load_i == f->nsrc)
			f->loading = 0;
	}
	if (!f->loading) {
		char c;

		while (read(f->wake[0], &c, 1) == 1)
			;
		if (f->error == NULL)
			fview_compare(f);
	}
	return APP_UPDATE | APP_REDRAW;
}

static void
fview_scan_write(struct fview *f, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0 && f->out_fd != -1) {
		if ((n = write(f->out_fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			app_message(f->app, 1, "%s: %s (the scan goes on)",
			    f->out_name, strerror(errno));
			close(f->out_fd);
			f->out_fd = -1;
			return;
		}
		buf += n;
		len -= (size_t)n;
		f->out_pos += n;
	}
}

/* A finished check: its line to the output, its row to the table. */
static void
fview_scan_done(struct check *c, const char *unicode, void *arg)
{
	struct fview *f = arg;
	json_error_t  err;
	json_t	     *doc;
	const char   *cause;
	char	     *s;
	size_t	      len;
	long long     off = f->out_pos;

	s = report_json_compact(c, unicode, "mtasts-tui " MTASTS_VERSION, &len);
	fview_scan_write(f, s, len);
	fview_scan_write(f, "\n", 1);
	if ((doc = json_loadb(s, len, 0, &err)) != NULL) {
		if (ftable_add(f->t, doc, 0, off, len, &cause) != 0)
			f->skipped++;
		else
			fview_keep(f, doc);
		json_decref(doc);
	}
	free(s);
}

static void
fview_scan_progress(const struct scan_progress *p, void *arg)
{
	struct fview *f = arg;

	f->prog = *p;
}

static void
fview_scan_meta(struct fview *f, int end)
{
	struct domain_list_counts dc;
	struct jsonw		 *j = jsonw_new(0);
	char			 *doc;
	size_t			  len;

	jsonw_object_begin(j, NULL);
	jsonw_object_begin(j, end ? "mtasts_scan_end" : "mtasts_scan");
	jsonw_int(j, "version", FLEET_SCAN_VERSION);
	if (!end) {
		domain_list_counts(f->dl, &dc);
		jsonw_string(j, "tool", "mtasts-tui " MTASTS_VERSION);
		report_json_time(j, "started_at", time(NULL));
		jsonw_object_begin(j, "options");
		jsonw_uint(j, "concurrency", scan_concurrency(f->scan));
		jsonw_uint(j, "threads", scan_threads(f->scan));
		jsonw_string(j, "from", "the fleet table (-f)");
		jsonw_object_end(j);
		jsonw_object_begin(j, "input");
		jsonw_string(j, "name", f->app->cfg->fleet_list);
		jsonw_uint(j, "lines", dc.lines);
		jsonw_uint(j, "domains", dc.domains);
		jsonw_uint(j, "invalid", dc.invalid);
		jsonw_uint(j, "duplicates", dc.duplicates);
		jsonw_uint(j, "over_limit", dc.over);
		jsonw_object_end(j);
	} else {
		report_json_time(j, "finished_at", time(NULL));
		jsonw_uint(j, "elapsed_ms", f->prog.elapsed_ms);
		jsonw_uint(j, "checked", f->prog.done);
		jsonw_uint(j, "errors", f->prog.errors);
	}
	jsonw_object_end(j);
	jsonw_object_end(j);
	doc = jsonw_finish(j, &len);
	jsonw_free(j);
	fview_scan_write(f, doc, len);
	fview_scan_write(f, "\n", 1);
	free(doc);
}

static void
fview_domain_note(unsigned long line, const char *msg, void *arg)
{
	struct fview *f = arg;

	(void)line;
	(void)msg;
	f->skipped++;
}

/*
 * The scan's output: --out FILE, else a temporary file that is gone once
 * the screen ends (it is only there for Enter to read documents again).
 */
static int
fview_scan_out(struct fview *f)
{
	const char *out = f->app->cfg->fleet_out;
	const char *tmp = getenv("TMPDIR");
	char	   *path;
	int	    fd;

	if (out != NULL) {
		f->out_name = xstrdup(out);
		fd = open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	} else {
		path = xasprintf("%s/mtasts-fleet.XXXXXX",
		    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
		if ((fd = mkstemp(path)) != -1) {
			unlink(path);
			fcntl(fd, F_SETFD, FD_CLOEXEC);
		}
		f->out_name = path;
	}
	if (fd == -1) {
		f->error = xasprintf("%s: %s", f->out_name, strerror(errno));
		return -1;
	}
	f->out_fd = fd;
	f->src = xcalloc(1, sizeof(*f->src));
	f->nsrc = 1;
	f->src[0].name = xstrdup(f->out_name);
	/* Enter reads through its own descriptor (no seek on ours). */
	f->src[0].f = fdopen(dup(fd), "r");
	return 0;
}

/* Room for each check's descriptors, as `scan` makes (cmd_scan.c). */
static void
fview_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
fview_scan_start(struct fview *f)
{
	const struct run_config *cfg = f->app->cfg;
	struct scan_options	 so;
	struct rlimit		 rl;
	char			*cause;
	unsigned		 conc;
	int			 fd;

	if ((fd = open(cfg->fleet_list, O_RDONLY | O_CLOEXEC)) == -1) {
		f->error =
		    xasprintf("%s: %s", cfg->fleet_list, strerror(errno));
		return;
	}
	f->dl = domain_list_new(fview_domain_note, f);
	if (domain_list_read_fd(f->dl, fd, &cause) != 0) {
		f->error = xasprintf("%s: %s", cfg->fleet_list, cause);
		free(cause);
		close(fd);
		return;
	}
	close(fd);
	if (fview_scan_out(f) != 0)
		return;
	f->co = cfg->check;
	/* A scan is an audit: no per-domain history (as `scan`). */
	f->co.no_history = 1;
	memset(&so, 0, sizeof(so));
	so.check = &f->co;
	conc = cfg->concurrency != 0 ? cfg->concurrency : SCAN_CONCURRENCY;
	fview_nofile();
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)conc * FLEET_FDS_PER_CHECK + 64)
		conc = rl.rlim_cur <= 64 + FLEET_FDS_PER_CHECK
		    ? 1
		    : (unsigned)((rl.rlim_cur - 64) / FLEET_FDS_PER_CHECK);
	so.concurrency = conc;
	so.per_dest = cfg->per_dest;
	f->scan = scan_new(f->dl, &so, fview_scan_done, fview_scan_progress, f);
	if (scan_start(f->scan, &cause) != 0) {
		f->error = xasprintf("cannot start the scan: %s", cause);
		free(cause);
		return;
	}
	scan_progress(f->scan, &f->prog);
	f->started = time(NULL);
	fview_scan_meta(f, 0);
	f->scanning = 1;
}

static int
fview_src_fd(void *arg)
{
	struct fview *f = arg;

	if (f->loading)
		return f->wake[0];
	if (f->scanning)
		return scan_fd(f->scan);
	return -1;
}

static int
fview_src_process(void *arg)
{
	struct fview *f = arg;
	size_t	      before = ftable_total(f->t);

	if (f->loading)
		return fview_load_slice(f);
	if (!f->scanning)
		return 0;
	if (scan_process(f->scan)) {
		f->scanning = 0;
		scan_progress(f->scan, &f->prog);
		fview_scan_meta(f, 1);
		fview_compare(f);
		return APP_UPDATE | APP_REDRAW;
	}
	/* The header's clock moves on every tick. */
	return ftable_total(f->t) != before ? APP_UPDATE | APP_REDRAW
					    : APP_REDRAW;
}

/* How much of the files is read, while reading. */
static const char *
fview_percent(struct fview *f)
{
	static char buf[16];
	long long   done = f->load_bytes;

	if (!f->loading || f->load_total <= 0)
		return "";
	if (f->rd != NULL && f->load_i < f->nsrc)
		done += (long long)ftello(f->src[f->load_i].f);
	snprintf(buf, sizeof(buf), " %lld%%",
	    done >= f->load_total ? 99 : done * 100 / f->load_total);
	return buf;
}

static const char *
fview_src_header(void *arg)
{
	struct fview *f = arg;
	const char   *name = f->nsrc > 0 ? f->src[0].name : "-";
	char	      more[32] = "";

	if (f->app->cfg->fleet_list != NULL)
		name = f->app->cfg->fleet_list;
	if (f->nsrc > 1 && f->app->cfg->fleet_list == NULL)
		snprintf(more, sizeof(more), " (+%zu)", f->nsrc - 1);
	/* The state first: a long name is what the width cuts. */
	if (f->scanning || f->scan != NULL)
		snprintf(f->header, sizeof(f->header),
		    "fleet  %s %zu/%zu  %zu in flight  %llu.%01llu s  %s%s%s",
		    f->scanning ? "scanning" : "scanned", f->prog.done,
		    f->prog.total, f->prog.in_flight,
		    (unsigned long long)f->prog.elapsed_ms / 1000,
		    (unsigned long long)f->prog.elapsed_ms % 1000 / 100, name,
		    f->scanning ? "  " : "",
		    f->scanning ? theme_spinner(f->app->spin++) : "");
	else
		snprintf(f->header, sizeof(f->header), "fleet  %s%s  %s%s",
		    f->error != NULL ? "error"
			: f->loading ? "reading"
				     : "read",
		    fview_percent(f), name, more);
	return f->header;
}

/* The view. */

static void
fview_init(struct view *v)
{
	const struct run_config *cfg = v->app->cfg;
	struct fview		*f = xcalloc(1, sizeof(*f));
	struct stat		 sb;
	int			 i;

	v->data = f;
	f->v = v;
	f->app = v->app;
	f->t = ftable_new();
	f->out_fd = -1;
	f->wake[0] = f->wake[1] = -1;
	f->sort_key = FTABLE_DOMAIN;
	f->chg_on = !cfg->fleet_no_db;
	if (f->chg_on)
		f->chg_set = scan_db_set_new();
	if (cfg->fleet_list != NULL)
		fview_scan_start(f);
	else if (cfg->nfleet_scans > 0) {
		f->nsrc = (size_t)cfg->nfleet_scans;
		f->src = xcalloc(f->nsrc, sizeof(*f->src));
		for (i = 0; i < cfg->nfleet_scans; i++) {
			f->src[i].name = xstrdup(cfg->fleet_scans[i]);
			if (stat(f->src[i].name, &sb) == 0)
				f->load_total += (long long)sb.st_size;
		}
		if (pipe(f->wake) != 0)
			f->error = xasprintf("pipe: %s", strerror(errno));
		else {
			fcntl(f->wake[0], F_SETFL, O_NONBLOCK);
			fcntl(f->wake[0], F_SETFD, FD_CLOEXEC);
			fcntl(f->wake[1], F_SETFD, FD_CLOEXEC);
			/* Readable until every file is read. */
			if (write(f->wake[1], "x", 1) == 1)
				f->loading = 1;
		}
		/* The first file is looked at now: a wrong one says so. */
		if (f->loading && fview_open(f, 0) != 0)
			f->loading = 0;
	}
	v->app->source.fd = fview_src_fd;
	v->app->source.process = fview_src_process;
	v->app->source.header = fview_src_header;
	v->app->source.arg = f;
}

static void
fview_free(struct view *v)
{
	struct fview *f = v->data;
	size_t	      i;

	memset(&v->app->source, 0, sizeof(v->app->source));
	if (f->scan != NULL)
		scan_free(f->scan);
	domain_list_free(f->dl);
	jsonl_free(f->rd);
	for (i = 0; i < f->nsrc; i++) {
		if (f->src[i].f != NULL)
			fclose(f->src[i].f);
		free(f->src[i].name);
	}
	free(f->src);
	if (f->out_fd != -1)
		close(f->out_fd);
	if (f->wake[0] != -1) {
		close(f->wake[0]);
		close(f->wake[1]);
	}
	prompt_close(&f->input);
	ftable_free(f->t);
	scan_db_set_free(f->chg_set);
	free(f->chg_note);
	free(f->out_name);
	free(f->error);
	free(f->cur_domain);
	free(f);
}

/* The body rows the table has. */
static size_t
fview_page(const struct view *v)
{
	int top = fview_top_rows(v->data);

	return v->rows > top ? (size_t)(v->rows - top) : 1;
}

/* Cursor and top inside the rows shown; remembers the domain. */
static void
fview_clamp(struct fview *f)
{
	size_t n = ftable_shown(f->t), page = fview_page(f->v);
	const struct ftable_row *r;

	if (n == 0) {
		f->cur = f->top = 0;
		return;
	}
	if (f->cur >= n)
		f->cur = n - 1;
	if (f->top > f->cur)
		f->top = f->cur;
	if (f->cur >= f->top + page)
		f->top = f->cur - page + 1;
	if (f->top + page > n)
		f->top = n > page ? n - page : 0;
	r = ftable_shown_at(f->t, f->cur);
	if (f->cur_domain == NULL || strcmp(f->cur_domain, r->domain) != 0) {
		free(f->cur_domain);
		f->cur_domain = xstrdup(r->domain);
	}
}

/* The rows shown again, the cursor on the same domain when it is there. */
static uint64_t
fview_refresh(struct fview *f)
{
	uint64_t us;
	long	 at;

	/* Rows arriving live do not pull an unmoved cursor along. */
	if (ftable_refresh(f->t, &us) && f->moved &&
	    (at = ftable_find_shown(f->t, f->cur_domain)) >= 0)
		f->cur = (size_t)at;
	fview_clamp(f);
	return us;
}

static void
fview_resize(struct view *v)
{
	struct fview *f = v->data;

	fview_layout(f, v->cols);
	fview_clamp(f);
}

static void
fview_update(struct view *v)
{
	struct fview *f = v->data;

	/* A first row with an optional layer brings its column. */
	if (ftable_layers_seen(f->t) != f->seen)
		fview_resize(v);
	fview_refresh(f);
}

static void
fview_draw_counts(struct fview *f, WINDOW *w, int cols)
{
	const char *const *answers = fleet_answer_names();
	char		   buf[64];
	attr_t		   a;
	size_t		   i;
	int		   x;

	snprintf(buf, sizeof(buf), "%zu domains ", ftable_total(f->t));
	x = text_draw(w, 0, 0, cols, buf, A_BOLD);
	for (i = 0; answers[i] != NULL && x < cols; i++) {
		a = ftable_filtered_answer(f->t) == answers[i]
		    ? theme_attr(THEME_SELECTED)
		    : A_NORMAL;
		snprintf(buf, sizeof(buf), " %s %zu ", answers[i],
		    ftable_answer_count(f->t, i));
		x += text_draw(w, 0, x, cols - x, buf, a);
	}
	if (f->skipped > 0 && x < cols) {
		snprintf(buf, sizeof(buf), "  %lu skipped", f->skipped);
		text_draw(w, 0, x, cols - x, buf, theme_attr(THEME_DIM));
	}
}

/*
 * The change line: the changes since the previous scan by kind, as
 * scan-summary --since counts them, the kind filtered on marked.
 */
static void
fview_draw_changes(struct fview *f, WINDOW *w, int y, int cols)
{
	char   buf[96];
	attr_t a;
	size_t k, n;
	int    x;

	if (f->chg_state == 0) {
		text_draw(w, y, 0, cols,
		    f->scanning || f->loading ? "changes: when every row is in"
					      : "changes: -",
		    theme_attr(THEME_DIM));
		return;
	}
	if (f->chg_state < 0) {
		snprintf(buf, sizeof(buf), "changes: ");
		x = text_draw(w, y, 0, cols, buf, A_BOLD);
		text_draw(w, y, x, cols - x, f->chg_note,
		    theme_attr(THEME_ERROR));
		return;
	}
	snprintf(buf, sizeof(buf), "%zu change%s ", ftable_change_total(f->t),
	    ftable_change_total(f->t) == 1 ? "" : "s");
	x = text_draw(w, y, 0, cols, buf, A_BOLD);
	for (k = 0; ftable_change_name(k) != NULL && x < cols; k++) {
		if ((n = ftable_change_count(f->t, k)) == 0)
			continue;
		a = ftable_filtered_change(f->t) == ftable_change_name(k)
		    ? theme_attr(THEME_SELECTED)
		    : A_NORMAL;
		snprintf(buf, sizeof(buf), " %s %zu ", ftable_change_name(k),
		    n);
		x += text_draw(w, y, x, cols - x, buf, a);
	}
	if (x < cols) {
		snprintf(buf, sizeof(buf), "  %s", f->chg_note);
		text_draw(w, y, x, cols - x, buf, theme_attr(THEME_DIM));
	}
}

/* Column i's width at x, cut at the window's edge. */
static int
fview_fit(const struct fview *f, int x, size_t i)
{
	return f->cols[i].width < f->v->cols - x ? f->cols[i].width
						 : f->v->cols - x;
}

static void
fview_draw_row(struct fview *f, WINDOW *w, int y, const struct ftable_row *r,
    int selected)
{
	char   buf[512];
	attr_t a, base = selected ? theme_attr(THEME_SELECTED) : A_NORMAL;
	size_t i;
	int    x = 0;

	if (selected)
		text_fill(w, y, 0, f->v->cols, " ", base);
	for (i = 0; i < f->ncols && x < f->v->cols; i++) {
		a = base;
		f->cols[i].cell(&f->cols[i], r, buf, sizeof(buf), &a);
		text_draw(w, y, x, fview_fit(f, x, i), buf,
		    selected ? base : a);
		x += f->cols[i].width + 1;
	}
}

static void
fview_draw(struct view *v)
{
	struct fview *f = v->data;
	WINDOW	     *w = v->win;
	const char   *mark;
	char	      buf[64];
	size_t	      i, page, n;
	int	      x = 0, y, top;

	if (w == NULL)
		return;
	werase(w);
	if (f->error != NULL) {
		text_draw(w, 0, 0, v->cols, f->error, theme_attr(THEME_ERROR));
		wnoutrefresh(w);
		return;
	}
	fview_draw_counts(f, w, v->cols);
	if (f->chg_on && v->rows > 1)
		fview_draw_changes(f, w, 1, v->cols);
	/* Headings, the sort column marked. */
	top = fview_top_rows(f);
	mark = f->reverse ? (theme_ascii() ? "v" : "\u25bc")
			  : (theme_ascii() ? "^" : "\u25b2");
	for (i = 0; i < f->ncols && x < v->cols && v->rows > top - 1; i++) {
		snprintf(buf, sizeof(buf), "%s%s", f->cols[i].name,
		    i == f->sort ? mark : "");
		text_draw(w, top - 1, x, fview_fit(f, x, i), buf,
		    theme_attr(THEME_TITLE) | (i == f->sort ? A_BOLD : 0));
		x += f->cols[i].width + 1;
	}
	/* Only the rows on screen: the cost does not grow with the table. */
	page = fview_page(v);
	n = ftable_shown(f->t);
	for (i = f->top, y = top; i < n && i < f->top + page && y < v->rows;
	     i++, y++)
		fview_draw_row(f, w, y, ftable_shown_at(f->t, i), i == f->cur);
	if (n == 0 && v->rows > top)
		text_draw(w, top, 0, v->cols,
		    ftable_total(f->t) == 0
			? (f->scanning || f->loading ? "waiting for the first "
						       "results..."
						     : "no domains")
			: "no domain matches the filter "
			  "(Esc clears it)",
		    theme_attr(THEME_DIM));
	if (f->input.kind != PROMPT_NONE && v->rows > 0) {
		text_fill(w, v->rows - 1, 0, v->cols, " ", A_NORMAL);
		x = prompt_draw_line(&f->input, w, v->rows - 1, 0, v->cols);
		if (f->input.error != NULL)
			text_draw(w, v->rows - 1, x + 2, v->cols - x - 2,
			    f->input.error, theme_attr(THEME_ERROR));
	}
	wnoutrefresh(w);
}

/* Sorts, timed: the user sees what it cost. */
static int
fview_sorted(struct fview *f)
{
	uint64_t us;

	f->sort_key = f->cols[f->sort].key;
	f->sort_layer = f->cols[f->sort].layer;
	ftable_sort(f->t, f->sort_key, f->sort_layer, f->reverse);
	us = fview_refresh(f);
	/* The message takes the status line: it keeps the row count. */
	app_message(f->app, 0,
	    "%zu/%zu shown  sorted by %s%s in %llu.%03llu ms",
	    ftable_shown(f->t), ftable_total(f->t), f->cols[f->sort].name,
	    f->reverse ? " (reversed)" : "", (unsigned long long)us / 1000,
	    (unsigned long long)us % 1000);
	return APP_REDRAW;
}

static int
fview_filtered(struct fview *f)
{
	uint64_t    us = fview_refresh(f);
	const char *spec = ftable_filter_text(f->t);

	app_message(f->app, 0,
	    "%zu/%zu shown  %s%s  (filtered in %llu.%03llu ms)",
	    ftable_shown(f->t), ftable_total(f->t),
	    *spec != '\0' ? "filter " : "no filter", spec,
	    (unsigned long long)us / 1000, (unsigned long long)us % 1000);
	return APP_REDRAW;
}

/* The filter prompt: the table follows as it is typed. */
static int
fview_prompt_key(struct fview *f, int key)
{
	char *why;

	switch (prompt_key(&f->input, key)) {
	case PROMPT_EDITED:
		if (ftable_filter(f->t, f->input.buf, &why) == 0)
			fview_refresh(f);
		free(why);
		prompt_set_error(&f->input, NULL);
		return APP_REDRAW;
	case PROMPT_CANCEL:
		if (ftable_filter(f->t, f->filter_before, &why) != 0)
			free(why);
		prompt_close(&f->input);
		fview_refresh(f);
		return APP_REDRAW;
	case PROMPT_DONE:
		break;
	}
	if (ftable_filter(f->t, f->input.buf, &why) != 0) {
		prompt_set_error(&f->input, why);
		free(why);
		return APP_REDRAW;
	}
	prompt_close(&f->input);
	return fview_filtered(f);
}

/* The next value after cur in list with rows behind it, or NULL. */
static const char *
fview_next_answer(struct fview *f, const char *cur)
{
	const char *const *list = fleet_answer_names();
	size_t		   i = 0;

	if (cur != NULL)
		while (list[i] != NULL && list[i++] != cur)
			;
	for (; list[i] != NULL; i++)
		if (ftable_answer_count(f->t, i) > 0)
			return list[i];
	return NULL;
}

static const char *
fview_next_class(struct fview *f, const char *cur)
{
	const char *const	*list = fleet_class_names();
	const struct ftable_row *r;
	uint32_t		 seen = 0;
	size_t			 i = 0, k;

	/* Classes of the rows the rest of the filter shows (any class). */
	ftable_filter_class(f->t, NULL);
	ftable_refresh(f->t, NULL);
	for (k = 0; k < ftable_shown(f->t); k++)
		if ((r = ftable_shown_at(f->t, k)) != NULL)
			seen |= r->classes;
	if (cur != NULL)
		while (list[i] != NULL && list[i++] != cur)
			;
	for (; i < 32 && list[i] != NULL; i++)
		if (seen & (1u << i))
			return list[i];
	return NULL;
}

/* The next kind of change after cur that a row has, or NULL. */
static const char *
fview_next_change(struct fview *f, const char *cur)
{
	const struct ftable_row *r;
	uint32_t		 seen = 0;
	size_t			 i = 0, k;

	/* Kinds of the rows the rest of the filter shows (any change). */
	ftable_filter_change(f->t, NULL);
	ftable_refresh(f->t, NULL);
	for (k = 0; k < ftable_shown(f->t); k++)
		if ((r = ftable_shown_at(f->t, k)) != NULL)
			seen |= r->changes;
	if (cur != NULL)
		while (ftable_change_name(i) != NULL &&
		    ftable_change_name(i++) != cur)
			;
	for (; ftable_change_name(i) != NULL; i++)
		if (seen & (1u << i))
			return ftable_change_name(i);
	return NULL;
}

static int
fview_open_row(struct fview *f)
{
	const struct ftable_row *r = ftable_shown_at(f->t, f->cur);
	char			*doc;
	ssize_t			 n;
	int			 flags;

	if (r == NULL)
		return APP_REDRAW;
	if (r->len == 0 || r->len > JSONL_MAX_LINE || r->src >= f->nsrc ||
	    f->src[r->src].f == NULL) {
		app_message(f->app, 1, "%s: its document cannot be read",
		    r->domain);
		return APP_REDRAW;
	}
	doc = xmalloc(r->len);
	n = pread(fileno(f->src[r->src].f), doc, r->len, (off_t)r->off);
	if (n != (ssize_t)r->len) {
		app_message(f->app, 1, "%s: cannot read its document from %s",
		    r->domain, f->src[r->src].name);
		free(doc);
		return APP_REDRAW;
	}
	flags = app_open_snapshot(f->app, doc, r->len);
	free(doc);
	return flags | APP_REDRAW;
}

static int
fview_move(struct fview *f, int key)
{
	size_t n = ftable_shown(f->t), page = fview_page(f->v);

	if (key == KEYS_UP || key == 'k')
		f->cur = f->cur > 0 ? f->cur - 1 : 0;
	else if (key == KEYS_DOWN || key == 'j')
		f->cur++;
	else if (key == KEYS_PPAGE) {
		f->cur = f->cur > page ? f->cur - page : 0;
		f->top = f->top > page ? f->top - page : 0;
	} else if (key == KEYS_NPAGE) {
		f->cur += page;
		f->top += page;
	} else if (key == KEYS_HOME || key == 'g')
		f->cur = 0;
	else if (key == KEYS_END || key == 'G')
		f->cur = n > 0 ? n - 1 : 0;
	else
		return 0;
	f->moved = 1;
	fview_clamp(f);
	return 1;
}

static int
fview_key(struct view *v, int key)
{
	struct fview *f = v->data;
	char	     *why;

	if (f->input.kind != PROMPT_NONE)
		return fview_prompt_key(f, key);
	if (fview_move(f, key))
		return APP_REDRAW;
	if (keys_is_enter(key))
		return fview_open_row(f);
	switch (key) {
	case 'o':
		if (f->ncols > 0)
			f->sort = (f->sort + 1) % f->ncols;
		return fview_sorted(f);
	case 'O':
		f->reverse = !f->reverse;
		return fview_sorted(f);
	case '/':
		snprintf(f->filter_before, sizeof(f->filter_before), "%s",
		    ftable_filter_text(f->t));
		prompt_open(&f->input, PROMPT_TEXT,
		    "Filter:", ftable_filter_text(f->t), NULL);
		return APP_REDRAW;
	case 'a':
		ftable_filter_answer(f->t,
		    fview_next_answer(f, ftable_filtered_answer(f->t)));
		return fview_filtered(f);
	case 'c': {
		char	    keep[PROMPT_MAX];
		const char *next;

		snprintf(keep, sizeof(keep), "%s", ftable_filter_text(f->t));
		next = fview_next_class(f, ftable_filtered_class(f->t));
		if (ftable_filter(f->t, keep, &why) != 0)
			free(why);
		ftable_filter_class(f->t, next);
		return fview_filtered(f);
	}
	case 'd': {
		char	    keep[PROMPT_MAX];
		const char *next;

		if (!f->chg_on) {
			app_message(f->app, 0,
			    "--no-db: no history to compare with");
			return APP_REDRAW;
		}
		snprintf(keep, sizeof(keep), "%s", ftable_filter_text(f->t));
		next = fview_next_change(f, ftable_filtered_change(f->t));
		if (ftable_filter(f->t, keep, &why) != 0)
			free(why);
		ftable_filter_change(f->t, next);
		return fview_filtered(f);
	}
	case KEYS_ESC:
		if (*ftable_filter_text(f->t) == '\0')
			return APP_REDRAW;
		if (ftable_filter(f->t, "", &why) != 0)
			free(why);
		return fview_filtered(f);
	case '?':
	case 'q':
	case 'S': /* the table as on screen, to a file */
	case 'y': /* the selected row, to the clipboard */
	case KEYS_RESIZE:
		return APP_UNHANDLED;
	default:
		app_message(f->app, 0,
		    "not a key of the fleet table; ? shows the keys");
		return APP_REDRAW;
	}
}

/* y: the selected row, every column in its widest form, tab-separated. */
static char *
fview_selection(struct view *v)
{
	struct fview		*f = v->data;
	const struct ftable_row *r = ftable_shown_at(f->t, f->cur);
	struct fview_col	 c;
	char			 buf[512], *s, *t;
	attr_t			 a;
	size_t			 i;
	int			 l;

	if (r == NULL)
		return NULL;
	s = xstrdup("");
	for (i = 0; i < sizeof(fview_cols) / sizeof(fview_cols[0]); i++) {
		c = fview_cols[i];
		if (c.widths[FIT_WIDE] == 0)
			continue;
		c.width = 512;
		for (l = 0; l < CHECK_LAYER__COUNT; l++) {
			if (c.key == FTABLE_LAYER && check_layer_final(l))
				continue;
			c.layer = (enum check_layer)l;
			c.cell(&c, r, buf, sizeof(buf), &a);
			t = xasprintf("%s%s%s", s, *s != '\0' ? "\t" : "", buf);
			free(s);
			s = t;
			if (c.key != FTABLE_LAYER)
				break;
		}
	}
	return s;
}

int
view_fleet_failed(const struct view *v)
{
	const struct fview *f = v->data;

	return f != NULL && f->error != NULL;
}

static const char *
fview_keys(struct view *v)
{
	struct fview *f = v->data;
	const char   *spec = ftable_filter_text(f->t);

	snprintf(f->keys, sizeof(f->keys),
	    "%zu/%zu shown%s%s  %s o/O sort  / filter  a answer  c class  "
	    "%sEnter open  ? help  q quit",
	    ftable_shown(f->t), ftable_total(f->t), *spec ? "  filter " : "",
	    spec, theme_ascii() ? "j/k" : "\u2191\u2193",
	    f->chg_on ? "d change  " : "");
	return f->keys;
}
