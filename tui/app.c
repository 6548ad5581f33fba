#include "config.h"
#include "app.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_json.h"
#include "clip.h"
#include "domain.h"
#include "file_out.h"
#include "finding.h"
#include "keys.h"
#include "plan.h"
#include "report_json.h"
#include "run_config.h"
#include "text.h"
#include "theme.h"
#include "verdict.h"
#include "view.h"
#include "view_wizard.h"
#include "wizard/draft.h"
#include "wizard/output.h"
#include "xmalloc.h"

static void app_resolver(struct app *);
static int  app_prompt_key(struct app *, int);
static int  app_global_key(struct app *, int);
static void app_save(struct app *, const char *, int);
static void app_save_text(struct app *, const char *, int);
static void app_view_window(struct app *, struct view *);
static void app_draw_header(struct app *);
static void app_draw_snapshot_time(struct app *, char *, size_t);
static void app_draw_status(struct app *);
static int  app_wizard(struct app *);

void
app_init(struct app *a, const struct run_config *cfg,
    const struct domain_name *dn, int ascii)
{
	app_init_base(a, cfg, dn, ascii, &view_main_ops);
}

void
app_init_base(struct app *a, const struct run_config *cfg,
    const struct domain_name *dn, int ascii, const struct view_ops *base)
{
	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	a->dn = dn;
	a->ascii = ascii;
	if (cfg->reports != NULL)
		a->reports_path = xstrdup(cfg->reports);
	app_resolver(a);
	a->rows = LINES;
	a->cols = COLS;
	app_push(a, base, NULL);
	a->flags = APP_RESIZE | APP_UPDATE | APP_REDRAW;
}

void
app_free(struct app *a)
{
	while (a->nviews > 0) {
		struct view *v = a->views[--a->nviews];

		v->ops->free(v);
		if (v->win != NULL)
			delwin(v->win);
		free(v);
	}
	if (a->check != NULL)
		check_free(a->check);
	if (a->dn_own != NULL)
		domain_name_free(a->dn_own);
	if (a->header != NULL)
		delwin(a->header);
	if (a->status != NULL)
		delwin(a->status);
	prompt_close(&a->prompt);
	plan_free(a);
	free(a->reports_path);
	free(a->check_error);
	free(a->message);
	free(a->save_path);
	free(a->save_text);
}

/*
 * The resolver in use, for the header: the --resolver option, else the
 * first nameserver line of resolv.conf (what ldns reads too).
 */
static void
app_resolver(struct app *a)
{
	FILE *f;
	char  line[256], addr[64];

	if (a->cfg->check.resolver != NULL) {
		if (a->cfg->check.resolver_port != 0)
			snprintf(a->resolver, sizeof(a->resolver), "%s@%u",
			    a->cfg->check.resolver,
			    a->cfg->check.resolver_port);
		else
			snprintf(a->resolver, sizeof(a->resolver), "%s",
			    a->cfg->check.resolver);
		return;
	}
	snprintf(a->resolver, sizeof(a->resolver), "system");
	if ((f = fopen("/etc/resolv.conf", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, " nameserver %63s", addr) == 1) {
			snprintf(a->resolver, sizeof(a->resolver), "%s", addr);
			break;
		}
	}
	fclose(f);
}

const char *
app_domain(const struct app *a)
{
	return domain_name_ascii(a->dn);
}

const char *
app_domain_unicode(const struct app *a)
{
	return domain_name_unicode(a->dn);
}

void
app_start(struct app *a)
{
	char *cause = NULL;

	/* check_free never waits: stalled layers are abandoned. */
	if (a->check != NULL)
		check_free(a->check);
	free(a->check_error);
	a->check_error = NULL;
	a->check = check_new(app_domain(a), &a->cfg->check);
	if (check_start(a->check, &cause) != 0) {
		a->check_error = cause;
		check_free(a->check);
		a->check = NULL;
		app_message(a, 1, "cannot start the check: %s", cause);
	}
	a->runs++;
	a->flags |= APP_UPDATE | APP_REDRAW;
}

int
app_take_snapshot(struct app *a, struct check *c, char **cause)
{
	struct domain_name *dn;

	if ((dn = domain_name_parse(check_domain(c), cause)) == NULL) {
		check_free(c);
		return -1;
	}
	/* check_free never waits: a live check still out is abandoned. */
	if (a->check != NULL)
		check_free(a->check);
	free(a->check_error);
	a->check_error = NULL;
	a->check = c;
	a->wizard_pending = 0;
	if (a->dn_own != NULL)
		domain_name_free(a->dn_own);
	a->dn = a->dn_own = dn;
	/* A run, so --watch compares the next live check with the scan's. */
	a->runs++;
	a->flags |= APP_UPDATE | APP_REDRAW;
	return 0;
}

int
app_open_snapshot(struct app *a, const char *doc, size_t len)
{
	struct check *c;
	char	     *why;

	if ((c = check_from_json(doc, len, &why)) == NULL ||
	    app_take_snapshot(a, c, &why) != 0) {
		app_message(a, 1, "cannot open the scan's record: %s", why);
		free(why);
		return APP_REDRAW;
	}
	app_push(a, &view_main_ops, NULL);
	app_message(a, 0, "%s as the scan saw it; r checks it live",
	    app_domain(a));
	return APP_REDRAW | APP_RESIZE | APP_UPDATE;
}

void
app_layer_cb(struct check *c, enum check_layer l, void *arg)
{
	struct app *a = arg;

	(void)c;
	(void)l;
	a->flags |= APP_UPDATE | APP_REDRAW;
}

void
app_switch(struct app *a, struct domain_name *dn)
{
	/* A wizard asked for on the old domain is not wanted here. */
	a->wizard_pending = 0;
	if (a->dn_own != NULL)
		domain_name_free(a->dn_own);
	a->dn = a->dn_own = dn;
	app_pop_to_main(a);
	app_start(a);
	app_message(a, 0, "checking %s", app_domain(a));
}

struct view *
app_view(struct app *a)
{
	return a->nviews > 0 ? a->views[a->nviews - 1] : NULL;
}

static void
app_view_window(struct app *a, struct view *v)
{
	if (v->win != NULL)
		delwin(v->win);
	v->win = NULL;
	v->rows = a->rows - APP_HEADER_ROWS - APP_STATUS_ROWS;
	v->cols = a->cols;
	if (v->rows < 1)
		v->rows = 0;
	if (v->rows > 0 && v->cols > 0)
		v->win = newwin(v->rows, v->cols, APP_HEADER_ROWS, 0);
}

struct view *
app_push(struct app *a, const struct view_ops *ops, const struct view_loc *loc)
{
	struct view *v;

	if (a->nviews == APP_MAX_VIEWS) {
		app_message(a, 1, "too many views open; press Esc");
		return app_view(a);
	}
	v = xcalloc(1, sizeof(*v));
	v->ops = ops;
	v->app = a;
	v->loc = loc != NULL ? *loc : view_loc(CHECK_VERDICT, VIEW_PART_LAYER);
	a->views[a->nviews++] = v;
	ops->init(v);
	app_view_window(a, v);
	a->flags |= APP_RESIZE | APP_UPDATE | APP_REDRAW;
	return v;
}

void
app_pop(struct app *a)
{
	struct view *v;

	if (a->nviews <= 1)
		return;
	v = a->views[--a->nviews];
	v->ops->free(v);
	if (v->win != NULL)
		delwin(v->win);
	free(v);
	a->flags |= APP_RESIZE | APP_UPDATE | APP_REDRAW;
}

void
app_pop_to_main(struct app *a)
{
	/* Under a domain screen opened from a table, the table stays. */
	while (a->nviews > 1 && app_view(a)->ops != &view_main_ops)
		app_pop(a);
}

void
app_open_layer(struct app *a, enum check_layer l, int code)
{
	struct view_loc loc = view_loc(l, VIEW_PART_LAYER);

	loc.code = code;
	app_push(a, &view_layer_ops, &loc);
}

int
app_first_blocker(struct app *a, enum check_layer *layer)
{
	const struct verdict	  *vd;
	const struct finding_list *fl;
	int			   code, l;

	if (a->check == NULL || (vd = check_verdict(a->check)) == NULL ||
	    vd->nblockers == 0)
		return -1;
	code = (int)vd->blockers[0].code;
	/* The first layer whose findings hold the code. */
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		fl = check_layer_findings(a->check, (enum check_layer)l);
		if (fl != NULL &&
		    finding_list_find(fl, (enum finding_code)code, 0) >= 0) {
			*layer = (enum check_layer)l;
			return code;
		}
	}
	*layer = CHECK_VERDICT;
	return code;
}

void
app_message(struct app *a, int error, const char *fmt, ...)
{
	va_list ap;

	free(a->message);
	va_start(ap, fmt);
	a->message = xvasprintf(fmt, ap);
	va_end(ap);
	a->message_error = error;
	a->flags |= APP_REDRAW;
}

/*
 * Writes the JSON report; overwrite only after the user said so.  The
 * document is made first and written to a temporary file next to path,
 * fsynced, then linked or renamed into place: a kill or a full disk never
 * leaves an empty or half-written report where the previous one was.
 */
static void
app_save(struct app *a, const char *path, int overwrite)
{
	char  *json, *cause = NULL;
	size_t len;
	int    rc;

	if (a->save_text != NULL) {
		app_save_text(a, path, overwrite);
		return;
	}
	json = report_json(a->check, app_domain_unicode(a),
	    "mtasts-tui " MTASTS_VERSION, &len);
	rc = file_out_write(path, json, len, overwrite, &cause);
	free(json);
	if (rc != 0)
		app_message(a, 1, "%s%s", cause, rc == 1 ? ": not saved" : "");
	else
		app_message(a, 0, "saved the JSON report (%zu bytes) to %s",
		    len, path);
	free(cause);
}

/* S: the text view_text() took when the key came, as the JSON save. */
static void
app_save_text(struct app *a, const char *path, int overwrite)
{
	char *cause = NULL;
	int   rc;

	rc = file_out_write(path, a->save_text, a->save_text_len, overwrite,
	    &cause);
	if (rc != 0)
		app_message(a, 1, "%s%s", cause, rc == 1 ? ": not saved" : "");
	else
		app_message(a, 0, "saved the screen as text (%zu bytes) to %s",
		    a->save_text_len, path);
	free(cause);
	free(a->save_text);
	a->save_text = NULL;
}

/* ./DOMAIN-VIEW-TIME.txt, UTC, so that saves of one session sort. */
static char *
app_save_text_path(struct app *a)
{
	struct tm tm;
	time_t	  t = time(NULL);
	char	  when[32];

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	/* The fleet table is no one domain's (even after Enter opened one). */
	if (app_view(a)->ops == &view_fleet_ops || a->dn == NULL)
		return xasprintf("./fleet-%s.txt", when);
	return xasprintf("./%s-%s-%s.txt", app_domain(a),
	    app_view(a)->ops->name, when);
}

/* y: the selected record to the clipboard, if the terminal can take it. */
static int
app_copy(struct app *a)
{
	const char *why;
	char	   *s;

	if ((s = view_selection(app_view(a))) == NULL) {
		app_message(a, 0, "nothing selected to copy here");
		return APP_REDRAW;
	}
	if (!clip_enabled(&why) || clip_copy(s, strlen(s), &why) != 0)
		app_message(a, 1, "%s", why);
	else
		app_message(a, 0, "copied %zu bytes to the clipboard",
		    strlen(s));
	free(s);
	return APP_REDRAW;
}

static int
app_prompt_key(struct app *a, int key)
{
	struct prompt	   *p = &a->prompt;
	struct domain_name *dn;
	struct stat	    sb;
	char		   *cause, *s, *e;

	if (p->kind == PROMPT_CONFIRM) {
		if (key == 'y' || key == 'Y')
			app_save(a, a->save_path, 1);
		else
			app_message(a, 0, "not saved");
		prompt_close(p);
		free(a->save_path);
		a->save_path = NULL;
		free(a->save_text);
		a->save_text = NULL;
		return APP_REDRAW;
	}
	switch (prompt_key(p, key)) {
	case PROMPT_EDITED:
		return APP_REDRAW;
	case PROMPT_CANCEL:
		prompt_close(p);
		free(a->save_text);
		a->save_text = NULL;
		return APP_REDRAW;
	case PROMPT_DONE:
		break;
	}
	/* Leading and trailing blanks are not part of what was meant. */
	for (s = p->buf; *s == ' '; s++)
		;
	for (e = s + strlen(s); e > s && e[-1] == ' '; e--)
		;
	*e = '\0';
	if (*s == '\0') {
		prompt_set_error(p,
		    p->kind == PROMPT_DOMAIN
			? "type a domain name (Esc cancels)"
			: "type a file name (Esc cancels)");
		return APP_REDRAW;
	}
	if (p->kind == PROMPT_REPORTS) {
		if (stat(s, &sb) != 0) {
			cause =
			    xasprintf("cannot read %s: %s", s, strerror(errno));
			prompt_set_error(p, cause);
			free(cause);
			return APP_REDRAW;
		}
		free(a->reports_path);
		a->reports_path = xstrdup(s);
		prompt_close(p);
		if (app_view(a)->ops == &view_reports_ops)
			app_pop(a);
		app_push(a, &view_reports_ops, NULL);
		return APP_REDRAW | APP_UPDATE | APP_RESIZE;
	}
	if (p->kind == PROMPT_DOMAIN) {
		if ((dn = domain_name_parse(s, &cause)) == NULL) {
			prompt_set_error(p, cause);
			free(cause);
			return APP_REDRAW;
		}
		prompt_close(p);
		app_switch(a, dn);
		return APP_REDRAW | APP_UPDATE | APP_RESIZE;
	}
	/* PROMPT_SAVE */
	if (stat(s, &sb) == 0) {
		free(a->save_path);
		a->save_path = xstrdup(s);
		prompt_open(p, PROMPT_CONFIRM, "File exists. Overwrite? (y/n)",
		    NULL, a->save_path);
		return APP_REDRAW;
	}
	cause = xstrdup(s);
	prompt_close(p);
	app_save(a, cause, 0);
	free(cause);
	return APP_REDRAW;
}

/*
 * The rollout wizard as a view over this screen, judged by this check
 * (the draft copies what it needs, so a later re-run cannot pull it away).
 */
static int
app_wizard(struct app *a)
{
	struct wizard_draft *d;
	char		    *cause = NULL;
	size_t		     i;

	/* A scan's record lacks what the wizard prefills from. */
	if (a->check != NULL && check_is_snapshot(a->check)) {
		app_message(a, 0,
		    "the wizard starts from a live check: press r first");
		return APP_REDRAW;
	}
	/* One wizard at a time (w from the help shown over it). */
	for (i = 0; i < a->nviews; i++)
		if (a->views[i]->ops == &view_wizard_ops) {
			app_message(a, 0,
			    "the wizard is open: Esc goes back to it");
			return APP_REDRAW;
		}
	if (a->check == NULL || !check_done(a->check)) {
		/* A second w takes the request back. */
		a->wizard_pending = !a->wizard_pending;
		app_message(a, 0, "%s",
		    a->wizard_pending
			? "the check is still running: the wizard opens when "
			  "it is done (w again: not)"
			: "the wizard will not open");
		return APP_REDRAW;
	}
	a->wizard_pending = 0;
	if ((d = wizard_draft_new(app_domain(a), a->cfg->state_dir,
		 a->cfg->out_dir, a->cfg->force, &cause)) == NULL) {
		app_message(a, 1, "%s", cause);
		free(cause);
		return APP_REDRAW;
	}
	wizard_draft_prefill(d, a->check);
	return view_wizard_open(a, d, NULL);
}

int
app_wizard_if_pending(struct app *a)
{
	if (!a->wizard_pending || a->check == NULL || !check_done(a->check))
		return 0;
	return app_wizard(a);
}

static int
app_global_key(struct app *a, int key)
{
	enum check_layer l;
	char		*path;
	int		 code;

	switch (key) {
	case 'q':
	case KEYS_CTRL('c'):
		return APP_QUIT;
	case '?':
		if (app_view(a)->ops == &view_help_ops)
			app_pop(a);
		else
			app_push(a, &view_help_ops, NULL);
		return APP_REDRAW;
	case 'r':
		app_start(a);
		app_message(a, 0, "checking %s again", app_domain(a));
		return APP_REDRAW | APP_UPDATE;
	case '/':
	case KEYS_CTRL('l'):
		prompt_open(&a->prompt, PROMPT_DOMAIN, "Domain:", NULL,
		    getenv("MTASTS_TUI_DOMAINS") != NULL
			? "Enter checks, Esc cancels, l lists domains"
			: "Enter checks, Esc cancels");
		return APP_REDRAW;
	case 's':
		if (a->check == NULL || !check_done(a->check)) {
			app_message(a, 1,
			    "the check is still running; "
			    "save once it is done");
			return APP_REDRAW;
		}
		path = xasprintf("./mtasts-%s.json", app_domain(a));
		prompt_open(&a->prompt, PROMPT_SAVE,
		    "Save JSON report to:", path, "Enter saves, Esc cancels");
		free(path);
		return APP_REDRAW;
	case 'S':
		/* What is on screen now, before the prompt covers a line. */
		free(a->save_text);
		a->save_text = view_text(app_view(a), &a->save_text_len);
		path = app_save_text_path(a);
		prompt_open(&a->prompt, PROMPT_SAVE,
		    "Save screen text to:", path, "Enter saves, Esc cancels");
		free(path);
		return APP_REDRAW;
	case 'y':
		return app_copy(a);
	case 'w':
		return app_wizard(a);
	case 'p':
		if (app_view(a)->ops != &view_plan_ops)
			app_push(a, &view_plan_ops, NULL);
		return APP_REDRAW;
	case 't':
		if (a->reports_path == NULL) {
			prompt_open(&a->prompt, PROMPT_REPORTS,
			    "TLS-RPT reports (file or directory):", NULL,
			    "Enter reads them, Esc cancels");
			return APP_REDRAW;
		}
		if (app_view(a)->ops != &view_reports_ops)
			app_push(a, &view_reports_ops, NULL);
		return APP_REDRAW;
	case 'b':
		if ((code = app_first_blocker(a, &l)) < 0) {
			app_message(a, 0,
			    a->check != NULL && check_verdict(a->check) != NULL
				? "no blockers"
				: "no verdict yet");
			return APP_REDRAW;
		}
		app_pop_to_main(a);
		app_open_layer(a, l, code);
		return APP_REDRAW;
	case 'l':
		if (getenv("MTASTS_TUI_DOMAINS") == NULL) {
			app_message(a, 0,
			    "no domain list (MTASTS_TUI_DOMAINS "
			    "is not set)");
			return APP_REDRAW;
		}
		if (app_view(a)->ops != &view_domains_ops)
			app_push(a, &view_domains_ops, NULL);
		return APP_REDRAW;
	case KEYS_RESIZE:
		return APP_RESIZE | APP_REDRAW;
	default:
		if (keys_is_back(key)) {
			app_pop(a);
			return APP_REDRAW;
		}
		app_message(a, 0, "unknown key; ? shows the keys");
		return APP_REDRAW;
	}
}

int
app_key(struct app *a, int key)
{
	struct view *v = app_view(a);
	int	     f;

	free(a->message);
	a->message = NULL;
	if (a->prompt.kind == PROMPT_DOMAIN && key == 'l' &&
	    a->prompt.len == 0 && getenv("MTASTS_TUI_DOMAINS") != NULL) {
		prompt_close(&a->prompt);
		return app_global_key(a, key);
	}
	if (a->prompt.kind != PROMPT_NONE)
		return app_prompt_key(a, key);
	if (key == KEYS_CTRL('c'))
		return APP_QUIT;
	f = v->ops->key(v, key);
	if ((f & APP_UNHANDLED) == 0)
		return f | APP_REDRAW;
	return app_global_key(a, key);
}

void
app_resize(struct app *a)
{
	size_t i;

	a->rows = LINES;
	a->cols = COLS;
	if (a->header != NULL)
		delwin(a->header);
	if (a->status != NULL)
		delwin(a->status);
	a->header = a->status = NULL;
	if (a->rows >= 2 && a->cols > 0) {
		a->header = newwin(APP_HEADER_ROWS, a->cols, 0, 0);
		a->status = newwin(APP_STATUS_ROWS, a->cols,
		    a->rows - APP_STATUS_ROWS, 0);
	}
	for (i = 0; i < a->nviews; i++) {
		app_view_window(a, a->views[i]);
		a->views[i]->ops->resize(a->views[i]);
	}
}

void
app_update(struct app *a)
{
	struct view *v = app_view(a);

	plan_refresh(a);
	v->ops->update(v);
}

static void
app_draw_header(struct app *a)
{
	char   buf[256], *u;
	int    x, cols = a->cols;
	attr_t h = theme_attr(THEME_HEADER);

	if (a->header == NULL)
		return;
	werase(a->header);
	text_fill(a->header, 0, 0, cols, " ", h);
	x = text_draw(a->header, 0, 0, cols, " mtasts-tui  ", h);
	/* The bottom view's own header (the fleet table), or the domain's. */
	if (a->source.header != NULL && (a->dn == NULL || a->nviews == 1)) {
		text_draw(a->header, 0, x, cols - x,
		    a->source.header(a->source.arg), h);
		wnoutrefresh(a->header);
		return;
	}
	if (app_domain_unicode(a) != NULL) {
		u = text_cleans(app_domain_unicode(a));
		snprintf(buf, sizeof(buf), "%s (%s)", u, app_domain(a));
		free(u);
	} else
		snprintf(buf, sizeof(buf), "%s", app_domain(a));
	x += text_draw(a->header, 0, x, cols - x, buf, h | A_BOLD);
	if (a->check != NULL && check_is_snapshot(a->check)) {
		/* Not a live answer: say whose and when, and how to get one. */
		app_draw_snapshot_time(a, buf, sizeof(buf));
		x += text_draw(a->header, 0, x, cols - x, buf, h | A_BOLD);
		text_draw(a->header, 0, x, cols - x, "  r: live", h);
		wnoutrefresh(a->header);
		return;
	}
	snprintf(buf, sizeof(buf), "  resolver %s", a->resolver);
	x += text_draw(a->header, 0, x, cols - x, buf, h);
	if (a->check != NULL) {
		snprintf(buf, sizeof(buf), "  %u.%02u s  %s",
		    check_elapsed_ms(a->check) / 1000,
		    check_elapsed_ms(a->check) % 1000 / 10,
		    check_done(a->check) ? "done" : "running");
		x += text_draw(a->header, 0, x, cols - x, buf, h);
		if (!check_done(a->check)) {
			x += text_draw(a->header, 0, x, cols - x, " ", h);
			x += text_draw(a->header, 0, x, cols - x,
			    theme_spinner(a->spin), h);
		}
	}
	if (a->runs > 1) {
		snprintf(buf, sizeof(buf), "  run %u", a->runs);
		text_draw(a->header, 0, x, cols - x, buf, h);
	}
	wnoutrefresh(a->header);
}

static void
app_draw_snapshot_time(struct app *a, char *buf, size_t size)
{
	time_t	  t = check_time(a->check);
	struct tm tm;
	char	  when[32];

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(when, sizeof(when), "?");
	else
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	snprintf(buf, size, "  scan data of %s", when);
}

static void
app_draw_status(struct app *a)
{
	struct view *v = app_view(a);

	if (a->status == NULL)
		return;
	if (a->prompt.kind != PROMPT_NONE) {
		prompt_draw(&a->prompt, a->status, a->cols);
		return;
	}
	werase(a->status);
	if (a->message != NULL) {
		text_fill(a->status, 0, 0, a->cols, " ",
		    a->message_error ? theme_attr(THEME_ERROR) : A_NORMAL);
		text_draw(a->status, 0, 0, a->cols, a->message,
		    a->message_error ? theme_attr(THEME_ERROR)
				     : theme_attr(THEME_SECTION));
	} else {
		text_fill(a->status, 0, 0, a->cols, " ",
		    theme_attr(THEME_STATUS));
		text_draw(a->status, 0, 0, a->cols, v->ops->keys(v),
		    theme_attr(THEME_STATUS));
	}
	wnoutrefresh(a->status);
}

void
app_draw(struct app *a)
{
	struct view *v = app_view(a);

	/* stdscr is only the input window: keep it from repainting later. */
	wnoutrefresh(stdscr);
	app_draw_header(a);
	if (v->win != NULL || v->ops == &view_main_ops)
		v->ops->draw(v);
	app_draw_status(a);
}
