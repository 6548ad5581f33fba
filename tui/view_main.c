#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_json.h"
#include "keys.h"
#include "layout.h"
#include "pane.h"
#include "run_config.h"
#include "text.h"
#include "theme.h"
#include "plan.h"
#include "verdict.h"
#include "view.h"
#include "watch.h"
#include "xmalloc.h"

#define MAIN_VERDICT_ROWS 4

/*
 * The main view: one pane per layer (every layer the engine has, except
 * the verdict, which gets the bar at the bottom).  Selection index npanes
 * stands for the verdict bar.
 */
struct main_data {
	struct pane	   panes[CHECK_LAYER__COUNT];
	size_t		   npanes;
	struct layout_rect rects[CHECK_LAYER__COUNT];
	int		   ncolumns;
	size_t		   sel;
	WINDOW		  *verdict;
	int		   vrows;
	int		   vplan;    /* the bar's last rows are the plan's */
	int		   arows[2]; /* rows of the delivery and next lines */
};

static void	   main_init(struct view *);
static void	   main_free(struct view *);
static void	   main_resize(struct view *);
static void	   main_update(struct view *);
static void	   main_draw(struct view *);
static int	   main_key(struct view *, int);
static const char *main_keys(struct view *);
static void	   main_draw_verdict(struct view *, struct main_data *);
static int	   main_answer_rows(const char *, int);
static int	   main_columns(struct view *, struct main_data *, int);
static int	   main_used(const struct main_data *);
static int main_draw_lines(struct main_data *, int, int, int, int, const char *,
    attr_t);
static int main_wants(struct main_data *, int, int, int *, int *);
static char *main_selection(struct view *);

const struct view_ops view_main_ops = {
	.name = "main",
	.init = main_init,
	.free = main_free,
	.resize = main_resize,
	.update = main_update,
	.draw = main_draw,
	.key = main_key,
	.keys = main_keys,
	.selection = main_selection,
};

static void
main_init(struct view *v)
{
	struct main_data *d;
	int		  l;

	d = xcalloc(1, sizeof(*d));
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		/* An optional layer gets a pane only when it runs. */
		if (check_layer_final(l) ||
		    !(check_options_layer_on(&v->app->cfg->check, l) ||
			(v->app->check != NULL &&
			    check_layer_shown(v->app->check, l))))
			continue;
		pane_init(&d->panes[d->npanes++], (enum check_layer)l);
	}
	v->data = d;
}

static void
main_free(struct view *v)
{
	struct main_data *d = v->data;
	size_t		  i;

	for (i = 0; i < d->npanes; i++)
		pane_free(&d->panes[i]);
	if (d->verdict != NULL)
		delwin(d->verdict);
	free(d);
}

/* Label column of an answer line of the verdict bar ("delivery "). */
#define MAIN_LABEL_COLS 9

/* Rows an answer of the verdict bar takes wrapped at cols columns. */
static int
main_answer_rows(const char *text, int cols)
{
	char **lines;
	size_t i, n;

	if (text == NULL)
		return 1;
	n = text_wrap(text, cols - 2 - MAIN_LABEL_COLS, &lines);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return (int)n;
}

/*
 * want[] and need[] of every pane in ncolumns columns of cols; returns
 * the rows the taller column would like.
 */
static int
main_wants(struct main_data *d, int cols, int ncolumns, int *want, int *need)
{
	size_t i, split = ncolumns > 1 ? layout_split(d->npanes) : d->npanes;
	int    w, h0 = 0, h1 = 0;

	for (i = 0; i < d->npanes; i++) {
		w = layout_width(cols, ncolumns, i < split ? 0 : 1);
		want[i] = pane_want(&d->panes[i], w);
		need[i] = pane_need(&d->panes[i], w);
		if (i < split)
			h0 += want[i];
		else
			h1 += want[i];
	}
	return h0 > h1 ? h0 : h1;
}

/* Rows the placed panes take in the taller column. */
static int
main_used(const struct main_data *d)
{
	size_t i;
	int    h[2] = { 0, 0 };

	for (i = 0; i < d->npanes; i++)
		h[d->rects[i].column != 0] += d->rects[i].rows;
	return h[0] > h[1] ? h[0] : h[1];
}

/*
 * One column below LAYOUT_TWO_COLUMNS; from there two, unless two would
 * leave lines out that one wide column shows whole.
 */
static int
main_columns(struct view *v, struct main_data *d, int prow)
{
	int want[CHECK_LAYER__COUNT], need[CHECK_LAYER__COUNT];

	if (v->cols < LAYOUT_TWO_COLUMNS || d->npanes < 2)
		return 1;
	if (main_wants(d, v->cols, 2, want, need) <= prow)
		return 2;
	if (main_wants(d, v->cols, 1, want, need) <= prow)
		return 1;
	return 2;
}

/*
 * Places the panes and the verdict bar in the body area: the bar's own
 * rows first, the panes' titles and needs next, then the bar's wrapped
 * answers, then what the panes would like.
 */
static void
main_resize(struct view *v)
{
	struct main_data     *d = v->data;
	const struct verdict *vd = NULL;
	int    want[CHECK_LAYER__COUNT], need[CHECK_LAYER__COUNT];
	int    prow, extra[3] = { 0, 0, 0 }, *rows[3], spare, k, hneed;
	char **lines;
	size_t i, split, n;

	if (v->app->check != NULL)
		vd = check_verdict(v->app->check);
	d->vrows = v->rows >= 12 ? MAIN_VERDICT_ROWS : v->rows >= 6 ? 2 : 0;
	/* A rollout plan gets a line of its own where there is room. */
	d->vplan = v->rows >= 16 && plan_line(v->app) != NULL;
	d->vrows += d->vplan;
	d->arows[0] = d->arows[1] = 1;
	/* What more rows would show whole: delivery, plan, next step. */
	rows[0] = &d->arows[0];
	rows[1] = &d->vplan;
	rows[2] = &d->arows[1];
	if (vd != NULL && d->vrows >= MAIN_VERDICT_ROWS) {
		extra[0] = main_answer_rows(vd->delivery, v->cols) - 1;
		if (vd->nblockers == 0)
			extra[2] = main_answer_rows(vd->next, v->cols) - 1;
	}
	if (d->vplan) {
		n = text_wrap(plan_line(v->app), v->cols - 2, &lines);
		extra[1] = (int)n - 1;
		for (i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
	}
	prow = v->rows - d->vrows;
	d->ncolumns = main_columns(v, d, prow - extra[0] - extra[1] - extra[2]);
	main_wants(d, v->cols, d->ncolumns, want, need);
	/* The rows the panes need, in the taller column. */
	split = d->ncolumns > 1 ? layout_split(d->npanes) : d->npanes;
	hneed = layout_sum(need, split);
	if (d->npanes > split &&
	    layout_sum(need + split, d->npanes - split) > hneed)
		hneed = layout_sum(need + split, d->npanes - split);
	/*
	 * The delivery line and the plan whole, the next step on two
	 * lines, before the panes' wants; the rest of the next step after
	 * them.
	 */
	spare = prow - hneed;
	for (k = 0; k < 3; k++) {
		while (extra[k] > 0 && spare > 0 && (k < 2 || *rows[k] < 2)) {
			(*rows[k])++;
			d->vrows++;
			extra[k]--;
			spare--;
		}
	}
	prow = v->rows - d->vrows;
	layout_panes(d->rects, want, need, d->npanes, APP_HEADER_ROWS, prow,
	    v->cols, d->ncolumns);
	spare = prow - main_used(d);
	while (extra[2] > 0 && spare > 0) {
		d->arows[1]++;
		d->vrows++;
		extra[2]--;
		spare--;
		prow--;
	}
	for (i = 0; i < d->npanes; i++)
		pane_place(&d->panes[i], d->rects[i].y, d->rects[i].x,
		    d->rects[i].rows, d->rects[i].cols);
	if (d->verdict != NULL)
		delwin(d->verdict);
	d->verdict = NULL;
	if (d->vrows > 0 && v->cols > 0)
		d->verdict =
		    newwin(d->vrows, v->cols, APP_HEADER_ROWS + prow, 0);
}

static void
main_update(struct view *v)
{
	struct main_data *d = v->data;
	size_t		  i;

	for (i = 0; i < d->npanes; i++) {
		pane_update(&d->panes[i], v->app->check, v->app->ascii);
		pane_mark(&d->panes[i], watch_diff(v->app->watch, v->app));
	}
	/* Content decides the room each pane gets. */
	main_resize(v);
}

/*
 * text wrapped at cols columns from (row, x) of the bar, over at most
 * rows lines; a text cut short ends in an ellipsis.  Returns the rows used.
 */
static int
main_draw_lines(struct main_data *d, int row, int x, int cols, int rows,
    const char *text, attr_t attr)
{
	char **lines;
	size_t i, n;
	int    w, used = 0;

	n = text_wrap(text, cols, &lines);
	for (i = 0; i < n; i++) {
		if ((int)i < rows && row + (int)i < d->vrows) {
			w = text_draw(d->verdict, row + (int)i, x, cols,
			    lines[i], attr);
			/* Cut short: the rest is in the verdict's detail. */
			if (((int)i + 1 == rows ||
				row + (int)i + 1 == d->vrows) &&
			    i + 1 < n)
				text_draw(d->verdict, row + (int)i,
				    x + (w < cols - 1 ? w : cols - 1), 1,
				    theme_sym(SYM_DOTS), attr);
			used++;
		}
		free(lines[i]);
	}
	free(lines);
	return used > 0 ? used : 1;
}

/*
 * One answer of the verdict: a label and its text, wrapped over at most
 * rows lines under the text's first column; returns the rows used.
 */
static int
main_draw_answer(struct main_data *d, int cols, int row, int rows,
    const char *label, const char *text, attr_t attr)
{
	int x;

	x = text_draw(d->verdict, row, 2, cols - 2, label,
	    theme_attr(THEME_DIM));
	if (rows <= 1 || text == NULL) {
		text_draw(d->verdict, row, 2 + x, cols - 2 - x,
		    text != NULL ? text : "-", attr);
		return 1;
	}
	return main_draw_lines(d, row, 2 + x, cols - 2 - x, rows, text, attr);
}

static void
main_draw_verdict(struct view *v, struct main_data *d)
{
	const struct check   *c = v->app->check;
	const struct verdict *vd = c != NULL ? check_verdict(c) : NULL;
	enum check_status     st;
	char		      buf[128];
	attr_t		      ta, sa;
	int		      x, sel = d->sel == d->npanes, row = 1;
	size_t		      i;

	if (d->verdict == NULL)
		return;
	werase(d->verdict);
	st = c != NULL ? check_layer_status(c, CHECK_VERDICT) : CHECK_SKIP;
	ta = sel ? theme_attr(THEME_SELECTED) : theme_attr(THEME_TITLE);
	sa = sel ? ta : theme_attr(pane_status_item(st));
	text_fill(d->verdict, 0, 0, v->cols, sel ? " " : theme_sym(SYM_HLINE),
	    sel ? ta : theme_attr(THEME_DIM));
	x = text_draw(d->verdict, 0, 0, v->cols,
	    sel ? theme_sym(SYM_LINK) : theme_sym(SYM_HLINE), ta);
	x += text_draw(d->verdict, 0, x, v->cols - x, " verdict  ", ta);
	snprintf(buf, sizeof(buf), " %s %s ", pane_status_sym(st, v->app->spin),
	    pane_status_word(st));
	x += text_draw(d->verdict, 0, x, v->cols - x, buf, sa);
	if (vd != NULL && vd->exit_why != NULL) {
		x += text_draw(d->verdict, 0, x, v->cols - x, " ", ta);
		x += text_draw(d->verdict, 0, x, v->cols - x, vd->exit_why,
		    sel ? ta : theme_attr(pane_status_item(st)));
		text_draw(d->verdict, 0, x, v->cols - x, " ", ta);
	}
	if (c != NULL && check_failure(c) != NULL && row < d->vrows) {
		snprintf(buf, sizeof(buf), "Could not check: ");
		x = text_draw(d->verdict, row, 2, v->cols - 2, buf,
		    theme_attr(THEME_FAIL));
		text_draw(d->verdict, row++, 2 + x, v->cols - 2 - x,
		    check_failure(c), A_NORMAL);
	}
	if (vd == NULL) {
		if (row < d->vrows)
			text_draw(d->verdict, row, 2, v->cols - 2,
			    c == NULL ? "no check" : "waiting for the layers",
			    theme_attr(THEME_DIM));
		wnoutrefresh(d->verdict);
		return;
	}
	/* The three answers, one line each (doc/verdict.md). */
	if (row < d->vrows)
		row += main_draw_answer(d, v->cols, row, d->arows[0],
		    "delivery ", vd->delivery,
		    theme_attr(
			vd->state == VERDICT_ALL || vd->state == VERDICT_NO_MAIL
			    ? THEME_PASS
			    : vd->state == VERDICT_SOME ||
				vd->state == VERDICT_STATE_UNKNOWN
			    ? THEME_WARN
			    : THEME_FAIL));
	if (row < d->vrows && vd->nblockers > 0) {
		x = 2 +
		    text_draw(d->verdict, row, 2, v->cols - 2,
			"next     blocked (b: first):", theme_attr(THEME_FAIL));
		for (i = 0; i < vd->nblockers && x < v->cols; i++) {
			x += text_draw(d->verdict, row, x, v->cols - x, " ",
			    A_NORMAL);
			x += text_draw(d->verdict, row, x, v->cols - x,
			    finding_code_name(vd->blockers[i].code), A_NORMAL);
			if (vd->blockers[i].subject != NULL) {
				x += text_draw(d->verdict, row, x, v->cols - x,
				    " ", A_NORMAL);
				x += text_draw(d->verdict, row, x, v->cols - x,
				    vd->blockers[i].subject, A_NORMAL);
			}
		}
		row++;
	} else if (row < d->vrows)
		row += main_draw_answer(d, v->cols, row, d->arows[1],
		    "next     ", vd->next, A_NORMAL);
	if (row < d->vrows && plan_line(v->app) != NULL && d->vplan)
		main_draw_lines(d, d->vrows - d->vplan, 2, v->cols - 2,
		    d->vplan, plan_line(v->app), theme_attr(THEME_SECTION));
	if (row < d->vrows) {
		if (vd->nhygiene == 0)
			main_draw_answer(d, v->cols, row, 1, "hygiene  ",
			    "nothing to fix", theme_attr(THEME_PASS));
		else {
			x = 2 +
			    text_draw(d->verdict, row, 2, v->cols - 2,
				"hygiene ", theme_attr(THEME_WARN));
			for (i = 0; i < vd->nhygiene && x < v->cols; i++) {
				x += text_draw(d->verdict, row, x, v->cols - x,
				    " ", A_NORMAL);
				x += text_draw(d->verdict, row, x, v->cols - x,
				    finding_code_name(vd->hygiene[i].code),
				    A_NORMAL);
			}
		}
	}
	wnoutrefresh(d->verdict);
}

static void
main_draw(struct view *v)
{
	struct main_data *d = v->data;
	size_t		  i;

	/* Rows no pane covers must not keep an older view's text. */
	if (v->win != NULL) {
		werase(v->win);
		wnoutrefresh(v->win);
	}
	for (i = 0; i < d->npanes; i++)
		pane_draw(&d->panes[i], d->sel == i, v->app->spin);
	main_draw_verdict(v, d);
}

/* The pane in the other column nearest to the selected one's row. */
static size_t
main_other_column(struct main_data *d)
{
	size_t i, best = d->sel;
	int    col, y, dist = -1, dd;

	if (d->ncolumns < 2 || d->sel >= d->npanes)
		return d->sel;
	col = d->rects[d->sel].column;
	y = d->rects[d->sel].y;
	for (i = 0; i < d->npanes; i++) {
		if (d->rects[i].column == col || d->rects[i].rows == 0)
			continue;
		dd = abs(d->rects[i].y - y);
		if (dist == -1 || dd < dist) {
			dist = dd;
			best = i;
		}
	}
	return best;
}

static int
main_key(struct view *v, int key)
{
	struct main_data *d = v->data;
	size_t		  n = d->npanes + 1;

	switch (key) {
	case KEYS_UP:
	case 'k':
		if (d->sel > 0)
			d->sel--;
		break;
	case KEYS_DOWN:
	case 'j':
		if (d->sel + 1 < n)
			d->sel++;
		break;
	case KEYS_TAB:
		d->sel = (d->sel + 1) % n;
		break;
	case KEYS_BTAB:
		d->sel = (d->sel + n - 1) % n;
		break;
	case KEYS_LEFT:
	case KEYS_RIGHT:
		d->sel = main_other_column(d);
		break;
	case KEYS_HOME:
	case KEYS_PPAGE:
	case 'g':
		d->sel = 0;
		break;
	case KEYS_END:
	case KEYS_NPAGE:
	case 'G':
		d->sel = n - 1;
		break;
	case 'c':
		/* --watch: what changed since the run before. */
		if (v->app->watch == NULL)
			return APP_UNHANDLED;
		app_push(v->app, &view_changes_ops, NULL);
		return APP_REDRAW | APP_RESIZE | APP_UPDATE;
	default:
		if (keys_is_enter(key)) {
			app_open_layer(v->app,
			    d->sel < d->npanes ? d->panes[d->sel].layer
					       : CHECK_VERDICT,
			    -1);
			return APP_REDRAW | APP_RESIZE | APP_UPDATE;
		}
		return APP_UNHANDLED;
	}
	return APP_REDRAW;
}

static const char *
main_keys(struct view *v)
{
	/*
	 * [snapshot][over another view]: a scan's record gets a live answer
	 * with r; opened from a table, Esc takes the table back.
	 */
	static const char *const keys[2][2][2] = {
		{ { "j/k/Tab move  Enter open  b blocker  r rerun  / domain  "
		    "s save  ? help  q quit",
		      "\u2191\u2193/Tab move  \u23ce open  b blocker  r rerun  "
		      "/ domain  s save  ? help  q quit" },
		    { "j/k/Tab move  Enter open  b blocker  r rerun  Esc back  "
		      "s save  ? help  q quit",
			"\u2191\u2193/Tab move  \u23ce open  b blocker  r rerun  "
			"Esc back  s save  ? help  q quit" } },
		{ { "j/k/Tab move  Enter open  b blocker  r live  / domain  "
		    "s save  ? help  q quit",
		      "\u2191\u2193/Tab move  \u23ce open  b blocker  r live  "
		      "/ domain  s save  ? help  q quit" },
		    { "j/k/Tab move  Enter open  b blocker  r live  Esc back  "
		      "s save  ? help  q quit",
			"\u2191\u2193/Tab move  \u23ce open  b blocker  r live  "
			"Esc back  s save  ? help  q quit" } },
	};
	int snap = v->app->check != NULL && check_is_snapshot(v->app->check);
	int over = v->app->nviews > 0 && v != v->app->views[0];

	if (v->app->watch != NULL)
		return theme_ascii()
		    ? "j/k/Tab move  Enter open  c changes  r rerun  / domain"
		      "  s save  ? help  q quit"
		    : "\u2191\u2193/Tab move  \u23ce open  c changes  r rerun  "
		      "/ domain  s save  ? help  q quit";
	return keys[snap][over][!theme_ascii()];
}

/* y: the selected pane's summary and findings, or the verdict's answers. */
static char *
main_selection(struct view *v)
{
	struct main_data     *d = v->data;
	const struct verdict *vd;
	struct pane	     *p;
	char		     *s = NULL, *t;
	size_t		      i;

	if (d->sel >= d->npanes) {
		if (v->app->check == NULL ||
		    (vd = check_verdict(v->app->check)) == NULL)
			return NULL;
		return xasprintf("%s\n%s\n",
		    vd->summary != NULL ? vd->summary : "",
		    vd->next != NULL ? vd->next : "");
	}
	p = &d->panes[d->sel];
	s = xasprintf("%s\n", check_layer_name(p->layer));
	for (i = 0; i < p->sum.n; i++) {
		t = xasprintf("%s%s\n", s, p->sum.line[i]);
		free(s);
		s = t;
	}
	for (i = 0; i < p->nfinds; i++) {
		t = xasprintf("%s%s\n", s, p->finds[i].text);
		free(s);
		s = t;
	}
	return s;
}
