#include "config.h"
#include "pane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "text.h"
#include "xmalloc.h"

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
	p->worst_sev = FINDING_NONE;
}

static void
pane_clear(struct pane *p)
{
	summary_clear(&p->sum);
	free(p->worst);
	free(p->note);
	p->worst = p->note = NULL;
	p->nerr = p->nwarn = p->ninfo = 0;
	p->worst_sev = FINDING_NONE;
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
	const struct finding	  *f, *w = NULL;
	const char		  *skip;
	size_t			   i, n;

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
		if (w == NULL || f->severity > w->severity)
			w = f;
	}
	if (w != NULL && w->severity > FINDING_INFO) {
		p->worst_sev = w->severity;
		p->worst = xasprintf("%s: %s", finding_code_name(w->code),
		    w->message != NULL ? w->message
				       : finding_code_text(w->code));
	}
}

int
pane_want(const struct pane *p)
{
	int n = (int)p->sum.n + (p->note != NULL) + (p->worst != NULL);

	if (n > PANE_MAX_LINES)
		n = PANE_MAX_LINES;
	return 1 + (n > 0 ? n : 1);
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

void
pane_draw(struct pane *p, int selected, unsigned spin)
{
	char   buf[128], counts[96];
	attr_t ta, sa;
	int    x, row, limit;
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
		text_draw(p->win, 0, x, p->cols - x, buf, ta);
	}

	/* The worst finding keeps the last row when room is short. */
	limit = p->rows - (p->worst != NULL ? 1 : 0);
	row = 1;
	for (i = 0; i < p->sum.n && row < limit; i++, row++)
		text_draw(p->win, row, 2, p->cols - 2, p->sum.line[i],
		    A_NORMAL);
	if (p->note != NULL && row < limit) {
		text_draw(p->win, row, 2, p->cols - 2, p->note,
		    theme_attr(THEME_DIM));
		row++;
	}
	if (p->worst != NULL && row < p->rows) {
		x = text_draw(p->win, row, 2, p->cols - 2,
		    pane_severity_sym(p->worst_sev),
		    theme_attr(pane_severity_item(p->worst_sev)));
		text_draw(p->win, row, 2 + x + 1, p->cols - 3 - x, p->worst,
		    theme_attr(pane_severity_item(p->worst_sev)));
	}
	wnoutrefresh(p->win);
}
