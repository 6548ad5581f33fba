#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "report_imap.h"
#include "report_input.h"
#include "report_summary.h"
#include "text.h"
#include "theme.h"
#include "tlsrpt_report.h"
#include "view.h"
#include "view_list.h"
#include "widget_list.h"
#include "wizard/schedule.h"
#include "xmalloc.h"

/*
 * TLS-RPT reports of the domain on screen (--reports PATH, or the path
 * given at the t prompt): one row per UTC day with a bar of successful
 * and failed sessions, the failures by result type, MX and sending IP,
 * the promotion gate ("11 of 14 clean days") and advice.  The reports are
 * read once, when the view opens; report text comes from the network and
 * goes through text_cleans().
 */
struct reports_data {
	int		       loaded;
	struct report_summary *sum;
	struct report_gate     gate;
	size_t		       nitems;
	size_t		       nunreadable;
};

static void reports_free(struct view *);
static void reports_build(struct view *, struct wlist *);

static const struct view_list_ops reports_list = {
	.size = sizeof(struct reports_data),
	.free = reports_free,
	.build = reports_build,
	.keys = VIEW_KEYS_SCROLL,
	.keys_ascii = VIEW_KEYS_SCROLL_ASCII,
};

const struct view_ops view_reports_ops =
    VIEW_LIST_OPS("reports", &reports_list);

#define REPORTS_MAX_DAYS 400

/* The blocks of this view's tags (WLIST_TAG). */
enum reports_block {
	REPORTS_T_HEAD = 1, /* the lines above the days, by index */
	REPORTS_T_DAY,	    /* a day (its day number), a line per result */
	REPORTS_T_RESULT,   /* the tallies, a line per key */
	REPORTS_T_MX,
	REPORTS_T_IP,
	REPORTS_T_ADVICE,
	REPORTS_T_REPORTER
};

static void
reports_free(struct view *v)
{
	struct reports_data *d = view_list_data(v);

	if (d->sum != NULL)
		report_summary_free(d->sum);
	report_gate_clear(&d->gate);
}

static void
reports_load(struct view *v, struct reports_data *d)
{
	struct report_input *in;
	char		    *cause = NULL;
	long		     today;
	int		     bad;

	d->loaded = 1;
	if (v->app->reports_path == NULL)
		return;
	in = report_input_new();
	/* A mailbox URL too (report_imap.h): one unreadable input if it fails. */
	bad = report_source_add(in, v->app->reports_path, &cause) != 0;
	free(cause);
	cause = NULL;
	d->nitems = report_input_count(in) + (size_t)bad;
	d->nunreadable = report_input_nunreadable(in) + (size_t)bad;
	d->sum = report_summary_new(in);
	report_input_free(in);
	if ((today = schedule_today(&cause)) == -1) {
		free(cause);
		today = (long)(time(NULL) / 86400);
	}
	report_gate_evaluate(&d->gate, d->sum, app_domain(v->app),
	    (int64_t)today);
}

static void
reports_tally(struct wlist *l, enum reports_block b, const char *title,
    const struct report_tally *t, size_t n)
{
	size_t i;
	char  *s;

	wlist_add(l, WLIST_TAG(b, 0, 0), theme_attr(THEME_SECTION), "  %s",
	    title);
	if (n == 0)
		wlist_append(l, theme_attr(THEME_DIM), ": none");
	for (i = 0; i < n && i < 50; i++) {
		s = text_cleans(t[i].key);
		wlist_add(l, WLIST_TAG(b, i + 1, 0), A_NORMAL, "    %8llu  %s",
		    (unsigned long long)t[i].sessions, s);
		free(s);
	}
}

/* One day: date, a bar of successful and failed sessions, counts. */
static void
reports_day(struct view *v, struct wlist *l, const struct report_day *dy,
    uint64_t maxtotal, int bw)
{
	uint64_t total = dy->successful + dy->failed;
	int	 cells, fcells, i;
	size_t	 r, shown = 0;
	attr_t	 at;

	cells = maxtotal > 0
	    ? (int)((total * (uint64_t)bw + maxtotal - 1) / maxtotal)
	    : 0;
	fcells = total > 0
	    ? (int)((dy->failed * (uint64_t)cells + total / 2) / total)
	    : 0;
	if (dy->failed > 0 && fcells == 0)
		fcells = 1;
	if (fcells > cells)
		cells = fcells;
	at = dy->dirty	   ? theme_attr(THEME_FAIL)
	    : !dy->covered ? theme_attr(THEME_DIM)
			   : A_NORMAL;
	wlist_add(l, WLIST_TAG(REPORTS_T_DAY, dy->day, 0), at, "%s ", dy->date);
	for (i = 0; i < cells - fcells; i++)
		wlist_append(l, theme_attr(THEME_PASS), "%s",
		    theme_ascii() ? "=" : "\u2588");
	for (i = 0; i < fcells; i++)
		wlist_append(l, theme_attr(THEME_FAIL), "%s",
		    theme_ascii() ? "#" : "\u2592");
	wlist_append(l, A_NORMAL, "%*s %6llu ok %5llu failed  ", bw - cells, "",
	    (unsigned long long)dy->successful, (unsigned long long)dy->failed);
	wlist_append(l, at, "%s",
	    dy->dirty	       ? "not clean"
		: !dy->covered ? "no sts report"
		: dy->failed   ? "clean (failures not the policy's)"
			       : "clean");
	for (r = 0; r < TLSRPT_RESULT__COUNT; r++) {
		if (dy->by_result[r] == 0)
			continue;
		wlist_add(l, WLIST_TAG(REPORTS_T_DAY, dy->day, ++shown),
		    theme_attr(THEME_DIM), "%*s%s %llu", 11, "",
		    tlsrpt_result_name((enum tlsrpt_result)r),
		    (unsigned long long)dy->by_result[r]);
	}
	(void)v;
}

static void
reports_build(struct view *v, struct wlist *l)
{
	struct reports_data	   *d = view_list_data(v);
	const struct report_domain *rd = NULL;
	uint64_t		    maxtotal = 0;
	size_t			    i;
	int			    bw;
	char			   *s;

	if (!d->loaded)
		reports_load(v, d);
	view_list_title(v, (enum check_status) - 1, "TLS-RPT reports for %s",
	    app_domain(v->app));
	if (v->app->reports_path == NULL) {
		wlist_add(l, WLIST_TAG(REPORTS_T_HEAD, 1, 0),
		    theme_attr(THEME_DIM),
		    "no reports: start with --reports PATH, or press t and "
		    "give a file or directory");
		return;
	}
	s = text_cleans(v->app->reports_path);
	wlist_add(l, WLIST_TAG(REPORTS_T_HEAD, 2, 0), theme_attr(THEME_DIM),
	    "from %s: %zu item%s read, %zu unreadable, %zu distinct "
	    "report%s",
	    s, d->nitems, d->nitems == 1 ? "" : "s", d->nunreadable,
	    d->sum->nreports, d->sum->nreports == 1 ? "" : "s");
	free(s);
	rd = report_summary_domain(d->sum, app_domain(v->app));
	wlist_add(l, WLIST_TAG(REPORTS_T_HEAD, 3, 0),
	    d->gate.state == REPORT_GATE_READY	     ? theme_attr(THEME_PASS)
		: d->gate.state == REPORT_GATE_WATCH ? theme_attr(THEME_WARN)
						     : theme_attr(THEME_DIM),
	    "gate: %u of %u clean days (%s)", d->gate.clean_days,
	    d->gate.needed, report_gate_state_name(d->gate.state));
	if (d->gate.why != NULL)
		wlist_add_wrapped(l, WLIST_TAG(REPORTS_T_HEAD, 4, 0), A_NORMAL,
		    "  ", 2, v->cols - 1, d->gate.why);
	if (rd == NULL) {
		wlist_add(l, WLIST_TAG(REPORTS_T_HEAD, 5, 0),
		    theme_attr(THEME_DIM), "no report for this domain");
		return;
	}
	wlist_add(l, WLIST_TAG(REPORTS_T_HEAD, 6, 0), A_NORMAL,
	    "%zu report%s, %llu successful and %llu failed sessions "
	    "(%.2f %% failed)%s%s",
	    rd->nreports, rd->nreports == 1 ? "" : "s",
	    (unsigned long long)rd->successful, (unsigned long long)rd->failed,
	    report_failure_rate(rd->successful, rd->failed),
	    rd->mode != NULL ? ", mode " : "",
	    rd->mode != NULL ? rd->mode : "");
	for (i = 0; i < rd->ndays; i++)
		if (rd->days[i].successful + rd->days[i].failed > maxtotal)
			maxtotal = rd->days[i].successful + rd->days[i].failed;
	bw = v->cols - 11 - 30 - 34;
	if (bw > 40)
		bw = 40;
	if (bw < 10)
		bw = 10;
	view_add_section(l, 1, "");
	wlist_append(l, theme_attr(THEME_SECTION),
	    "Per day (UTC): %s successful, %s failed sessions",
	    theme_ascii() ? "=" : "\u2588", theme_ascii() ? "#" : "\u2592");
	for (i = 0; i < rd->ndays && i < REPORTS_MAX_DAYS; i++)
		reports_day(v, l, &rd->days[i], maxtotal, bw);
	if (rd->nundated > 0)
		wlist_add(l, WLIST_TAG(REPORTS_T_HEAD, 7, 0),
		    theme_attr(THEME_WARN), "%zu report%s without a day",
		    rd->nundated, rd->nundated == 1 ? "" : "s");
	view_add_section(l, 2, "Failures");
	reports_tally(l, REPORTS_T_RESULT, "by result type", rd->by_result,
	    rd->nby_result);
	reports_tally(l, REPORTS_T_MX, "by receiving MX", rd->by_mx,
	    rd->nby_mx);
	reports_tally(l, REPORTS_T_IP, "by sending IP", rd->by_ip, rd->nby_ip);
	view_add_section(l, 3, "Advice");
	for (i = 0; i < rd->nadvice && i < 50; i++) {
		s = text_cleans(rd->advice[i].text);
		wlist_add_wrapped(l, WLIST_TAG(REPORTS_T_ADVICE, i, 0),
		    A_NORMAL, "  ", 2, v->cols - 1, s);
		free(s);
	}
	if (rd->nadvice == 0)
		wlist_add(l, WLIST_TAG(REPORTS_T_ADVICE, 0, 0),
		    theme_attr(THEME_PASS), "  no failures to act on");
	view_add_section(l, 4, "Reporters");
	for (i = 0; i < rd->nreporters && i < 50; i++) {
		s = text_cleans(rd->reporters[i]);
		wlist_add(l, WLIST_TAG(REPORTS_T_REPORTER, i, 0), A_NORMAL,
		    "  %s", s);
		free(s);
	}
}
