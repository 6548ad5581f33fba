#include "config.h"
#include "pane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_diff.h"
#include "finding.h"
#include "text.h"
#include "xmalloc.h"

static void		       pane_clear(struct pane *);
static int		       pane_rows_of(const char *, int);
static int		       pane_find_x(const struct pane_find *);
static const struct pane_find *pane_worst(const struct pane *);
static void		       pane_counts(const struct pane *, char *, size_t);
static int  pane_draw_text(struct pane *, int, int, int, const char *, attr_t);
static void pane_title_line(struct pane *, int, attr_t);

enum theme_item
pane_status_item(enum check_status s)
{
	switch (s) {
	case CHECK_PASS:
		return THEME_PASS;
	case CHECK_WARN:
		return THEME_WARN;
	case CHECK_FAIL:
		return THEME_FAIL;
	case CHECK_CUT:
		return THEME_WARN;
	case CHECK_RUNNING:
		return THEME_RUNNING;
	default:
		return THEME_SKIP;
	}
}

const char *
pane_status_word(enum check_status s)
{
	switch (s) {
	case CHECK_PASS:
		return "PASS";
	case CHECK_WARN:
		return "WARN";
	case CHECK_FAIL:
		return "FAIL";
	case CHECK_SKIP:
		return "SKIP";
	case CHECK_CUT:
		return "CUT";
	case CHECK_RUNNING:
		return "running";
	default:
		return "waiting";
	}
}

const char *
pane_status_sym(enum check_status s, unsigned spin)
{
	switch (s) {
	case CHECK_PASS:
		return theme_sym(SYM_PASS);
	case CHECK_WARN:
		return theme_sym(SYM_WARN);
	case CHECK_FAIL:
		return theme_sym(SYM_FAIL);
	case CHECK_SKIP:
		return theme_sym(SYM_SKIP);
	case CHECK_CUT:
		return theme_sym(SYM_WARN);
	case CHECK_RUNNING:
		return theme_spinner(spin);
	default:
		return theme_sym(SYM_PENDING);
	}
}

enum theme_item
pane_severity_item(enum finding_severity s)
{
	return s == FINDING_ERROR  ? THEME_SEV_ERROR
	    : s == FINDING_WARNING ? THEME_SEV_WARNING
				   : THEME_SEV_INFO;
}

const char *
pane_severity_sym(enum finding_severity s)
{
	return s == FINDING_ERROR  ? theme_sym(SYM_FAIL)
	    : s == FINDING_WARNING ? theme_sym(SYM_WARN)
				   : "i";
}

void
pane_init(struct pane *p, enum check_layer l)
{
	memset(p, 0, sizeof(*p));
	p->layer = l;
	p->status = CHECK_PENDING;
}

static void
pane_clear(struct pane *p)
{
	size_t i;

	summary_clear(&p->sum);
	for (i = 0; i < p->nfinds; i++)
		free(p->finds[i].text);
	p->nfinds = 0;
	free(p->note);
	p->note = NULL;
	p->nerr = p->nwarn = p->ninfo = 0;
	p->nchanged = 0;
	memset(p->sum_mark, 0, sizeof(p->sum_mark));
	memset(p->find_mark, 0, sizeof(p->find_mark));
}

/* 1 when the finding text ("code: message") is the one change names. */
static int
pane_find_is(const char *text, const char *subject)
{
	size_t n = strcspn(subject, " ");

	return strncmp(text, subject, n) == 0 && text[n] == ':';
}

void
pane_mark(struct pane *p, const struct check_diff *d)
{
	const struct check_diff_change *c;
	const char		       *name = check_layer_name(p->layer);
	size_t i, k, n = d != NULL ? check_diff_count(d) : 0;

	for (i = 0; i < n; i++) {
		c = check_diff_at(d, i);
		if (strcmp(c->layer, name) != 0)
			continue;
		p->nchanged++;
		/* A status word would match too much; values only. */
		if (c->new == NULL || c->kind == CHECK_DIFF_LAYER ||
		    strlen(c->new) < 2)
			continue;
		for (k = 0; k < p->sum.n && k < SUMMARY_MAX_LINES; k++)
			if (strstr(p->sum.line[k], c->new) != NULL)
				p->sum_mark[k] = 1;
		if (c->kind != CHECK_DIFF_FINDING_ADDED)
			continue;
		for (k = 0; k < p->nfinds; k++)
			if (pane_find_is(p->finds[k].text, c->subject))
				p->find_mark[k] = 1;
	}
}

void
pane_free(struct pane *p)
{
	pane_clear(p);
	if (p->win != NULL)
		delwin(p->win);
	p->win = NULL;
}

void
pane_update(struct pane *p, const struct check *c, int ascii)
{
	const struct finding_list *fl;
	const struct finding	  *f;
	const char		  *skip;
	size_t			   i, n;
	int			   sev;

	pane_clear(p);
	if (c == NULL) {
		p->status = CHECK_SKIP;
		p->note = xstrdup("no check running");
		return;
	}
	p->status = check_layer_status(c, p->layer);
	p->ms = check_layer_elapsed_ms(c, p->layer);
	if (p->status == CHECK_PENDING || p->status == CHECK_RUNNING) {
		p->note = xstrdup(p->status == CHECK_RUNNING
			? "asking the network..."
			: "waiting for its inputs");
		return;
	}
	summary_layer(&p->sum, c, p->layer, ascii);
	if ((skip = check_layer_skip_reason(c, p->layer)) != NULL &&
	    p->sum.n == 0)
		p->note = xasprintf("skipped: %s", skip);
	fl = check_layer_findings(c, p->layer);
	n = fl != NULL ? finding_list_count(fl) : 0;
	for (i = 0; i < n; i++) {
		f = finding_list_get(fl, i);
		if (f->severity == FINDING_ERROR)
			p->nerr++;
		else if (f->severity == FINDING_WARNING)
			p->nwarn++;
		else
			p->ninfo++;
	}
	/* Errors, warnings, then infos, each in the engine's order. */
	for (sev = FINDING_ERROR; sev >= FINDING_INFO; sev--) {
		for (i = 0; i < n && p->nfinds < PANE_MAX_FINDS; i++) {
			f = finding_list_get(fl, i);
			if ((int)f->severity != sev)
				continue;
			p->finds[p->nfinds].sev = f->severity;
			p->finds[p->nfinds++].text = xasprintf("%s: %s",
			    finding_code_name(f->code),
			    f->message != NULL ? f->message
					       : finding_code_text(f->code));
		}
	}
}

/* Rows s takes wrapped at cols columns. */
static int
pane_rows_of(const char *s, int cols)
{
	char **lines;
	size_t i, n;

	n = text_wrap(s, cols, &lines);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return (int)n;
}

/* Columns a finding's text starts at: after its mark and a space. */
static int
pane_find_x(const struct pane_find *f)
{
	return 2 + text_width(pane_severity_sym(f->sev)) + 1;
}

int
pane_want(const struct pane *p, int cols)
{
	size_t i;
	int    n = 0;

	for (i = 0; i < p->sum.n; i++)
		n += pane_rows_of(p->sum.line[i], cols - 2);
	if (p->note != NULL)
		n += pane_rows_of(p->note, cols - 2);
	for (i = 0; i < p->nfinds; i++)
		n += pane_rows_of(p->finds[i].text,
		    cols - pane_find_x(&p->finds[i]));
	return 1 + n;
}

/* The worst finding when it is an error or a warning. */
static const struct pane_find *
pane_worst(const struct pane *p)
{
	if (p->nfinds > 0 && p->finds[0].sev > FINDING_INFO)
		return &p->finds[0];
	return NULL;
}

int
pane_need(const struct pane *p, int cols)
{
	const struct pane_find *w = pane_worst(p);

	if (w != NULL)
		return 1 + pane_rows_of(w->text, cols - pane_find_x(w));
	return 1;
}

void
pane_place(struct pane *p, int y, int x, int rows, int cols)
{
	if (p->win != NULL)
		delwin(p->win);
	p->win = NULL;
	p->rows = rows;
	p->cols = cols;
	if (rows > 0 && cols > 0)
		p->win = newwin(rows, cols, y, x);
}

/* "2 errors, 1 warning" for the title line. */
static void
pane_counts(const struct pane *p, char *buf, size_t len)
{
	buf[0] = '\0';
	if (p->nerr > 0)
		snprintf(buf, len, "%zu error%s", p->nerr,
		    p->nerr == 1 ? "" : "s");
	if (p->nwarn > 0)
		snprintf(buf + strlen(buf), len - strlen(buf),
		    "%s%zu warning%s", buf[0] != '\0' ? ", " : "", p->nwarn,
		    p->nwarn == 1 ? "" : "s");
	if (p->ninfo > 0)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%zu info",
		    buf[0] != '\0' ? ", " : "", p->ninfo);
}

/*
 * Draws text wrapped from (y, x) to the pane's right edge, at most rows
 * lines; a text cut short ends in an ellipsis.  Returns the lines drawn.
 */
static int
pane_draw_text(struct pane *p, int y, int x, int rows, const char *s,
    attr_t attr)
{
	char **lines;
	size_t i, n;
	/* The title line keeps a column of its rule after the text. */
	int cols = p->cols - x - (y == 0 ? 1 : 0), dw, r;

	n = text_wrap(s, cols, &lines);
	for (i = 0, r = 0; i < n; i++) {
		if (r < rows && y + r < p->rows) {
			if (i + 1 == (size_t)rows && i + 1 < n) {
				dw = text_width(theme_sym(SYM_DOTS));
				x += text_draw(p->win, y + r, x, cols - dw,
				    lines[i], attr);
				text_draw(p->win, y + r, x, dw,
				    theme_sym(SYM_DOTS), attr);
			} else
				text_draw(p->win, y + r, x, cols, lines[i],
				    attr);
			r++;
		}
		free(lines[i]);
	}
	free(lines);
	return r;
}

/* The worst finding, the first summary line or the note, after x. */
static void
pane_title_line(struct pane *p, int x, attr_t attr)
{
	const struct pane_find *w = pane_worst(p);

	x += text_draw(p->win, 0, x, p->cols - x, " ", attr);
	if (w != NULL) {
		x += text_draw(p->win, 0, x, p->cols - x,
		    pane_severity_sym(w->sev), attr);
		x += text_draw(p->win, 0, x, p->cols - x, " ", attr);
	}
	pane_draw_text(p, 0, x, 1,
	    w != NULL		  ? w->text
		: p->sum.n > 0	  ? p->sum.line[0]
		: p->note != NULL ? p->note
				  : "",
	    attr);
}

void
pane_draw(struct pane *p, int selected, unsigned spin)
{
	char   buf[128], counts[96];
	attr_t ta, sa, fa;
	int    x, row, left, give[SUMMARY_MAX_LINES + 1 + PANE_MAX_FINDS];
	int    nsum = (int)p->sum.n, k, fx;
	size_t i;

	if (p->win == NULL)
		return;
	werase(p->win);
	ta = selected ? theme_attr(THEME_SELECTED) : theme_attr(THEME_TITLE);
	sa = selected ? theme_attr(THEME_SELECTED)
		      : theme_attr(pane_status_item(p->status));
	text_fill(p->win, 0, 0, p->cols, selected ? " " : theme_sym(SYM_HLINE),
	    selected ? ta : theme_attr(THEME_DIM));
	x = text_draw(p->win, 0, 0, p->cols,
	    selected ? theme_sym(SYM_LINK) : theme_sym(SYM_HLINE), ta);
	snprintf(buf, sizeof(buf), " %-8s", check_layer_name(p->layer));
	x += text_draw(p->win, 0, x, p->cols - x, buf, ta);
	snprintf(buf, sizeof(buf), " %s %s ", pane_status_sym(p->status, spin),
	    pane_status_word(p->status));
	x += text_draw(p->win, 0, x, p->cols - x, buf, sa);
	if (p->status != CHECK_PENDING && p->status != CHECK_SKIP &&
	    p->status != CHECK_RUNNING) {
		snprintf(buf, sizeof(buf), " %u ms ", p->ms);
		x += text_draw(p->win, 0, x, p->cols - x, buf, ta);
	}
	pane_counts(p, counts, sizeof(counts));
	if (counts[0] != '\0') {
		snprintf(buf, sizeof(buf), " %s ", counts);
		x += text_draw(p->win, 0, x, p->cols - x, buf, ta);
	}
	if (p->nchanged > 0) {
		snprintf(buf, sizeof(buf), " ~%zu changed ", p->nchanged);
		x += text_draw(p->win, 0, x, p->cols - x, buf,
		    selected ? ta : theme_attr(THEME_WARN) | A_BOLD);
	}

	/*
	 * Rows for each block (summary lines, the note, the findings):
	 * the worst finding first, whole if it can be; then the summary
	 * and the note from the top; then the other findings.
	 */
	memset(give, 0, sizeof(give));
	left = p->rows - 1;
	if (pane_worst(p) != NULL) {
		k = pane_rows_of(p->finds[0].text,
		    p->cols - pane_find_x(&p->finds[0]));
		give[nsum + 1] = k < left ? k : left;
		left -= give[nsum + 1];
	}
	for (k = 0; k < nsum && left > 0; k++) {
		give[k] = pane_rows_of(p->sum.line[k], p->cols - 2);
		if (give[k] > left)
			give[k] = left;
		left -= give[k];
	}
	if (p->note != NULL && left > 0) {
		give[nsum] = pane_rows_of(p->note, p->cols - 2);
		if (give[nsum] > left)
			give[nsum] = left;
		left -= give[nsum];
	}
	for (i = pane_worst(p) != NULL ? 1 : 0; i < p->nfinds && left > 0;
	     i++) {
		k = pane_rows_of(p->finds[i].text,
		    p->cols - pane_find_x(&p->finds[i]));
		give[nsum + 1 + (int)i] = k < left ? k : left;
		left -= give[nsum + 1 + (int)i];
	}
	/* Only the title line: the first thing to say goes on it. */
	if (p->rows == 1 && x + 3 < p->cols)
		pane_title_line(p, x, selected ? ta : theme_attr(THEME_DIM));

	row = 1;
	for (k = 0; k < nsum; k++) {
		/* --watch: "~" in the margin of a line that changed. */
		if (give[k] > 0 && p->sum_mark[k])
			text_draw(p->win, row, 0, 1, "~",
			    theme_attr(THEME_WARN) | A_BOLD);
		row += pane_draw_text(p, row, 2, give[k], p->sum.line[k],
		    A_NORMAL);
	}
	if (p->note != NULL)
		row += pane_draw_text(p, row, 2, give[nsum], p->note,
		    theme_attr(THEME_DIM));
	for (i = 0; i < p->nfinds; i++) {
		if (give[nsum + 1 + (int)i] == 0)
			continue;
		fa = theme_attr(pane_severity_item(p->finds[i].sev));
		fx = pane_find_x(&p->finds[i]);
		if (p->find_mark[i])
			text_draw(p->win, row, 0, 1, "~",
			    theme_attr(THEME_WARN) | A_BOLD);
		text_draw(p->win, row, 2, fx - 2,
		    pane_severity_sym(p->finds[i].sev), fa);
		row += pane_draw_text(p, row, fx, give[nsum + 1 + (int)i],
		    p->finds[i].text, fa);
	}
	wnoutrefresh(p->win);
}
