#include "config.h"
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "keys.h"
#include "report_summary.h"
#include "run_config.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "view_list.h"
#include "widget_list.h"
#include "wizard/change.h"
#include "wizard/rollout.h"
#include "wizard/schedule.h"
#include "wizard/state.h"
#include "xmalloc.h"

struct app_plan {
	unsigned	       run; /* a->runs judged for; 0: not yet */
	const struct check    *check;
	struct state	      *st;
	struct rollout_report *r;  /* a rollout plan, or */
	struct change_report  *cr; /* a change or fix plan (change.h) */
	char		      *path;
	char		      *error;
	char		      *judged_reports; /* the reports path judged by */
	char		       line[160];
	/*
	 * The report gate of the reports path (--reports or t), read once
	 * per path and day: report_input bounds every step of the reading.
	 */
	char		  *gate_path; /* NULL: not read */
	long		   gate_today;
	struct report_gate gate;
};

static void
plan_clear(struct app_plan *p)
{
	if (p->st != NULL)
		state_free(p->st);
	if (p->r != NULL)
		rollout_report_free(p->r);
	change_report_free(p->cr);
	free(p->path);
	free(p->error);
	p->st = NULL;
	p->r = NULL;
	p->cr = NULL;
	p->path = p->error = NULL;
	p->line[0] = '\0';
}

static void
plan_gate_clear(struct app_plan *p)
{
	report_gate_clear(&p->gate);
	memset(&p->gate, 0, sizeof(p->gate));
	free(p->gate_path);
	p->gate_path = NULL;
}

void
plan_free(struct app *a)
{
	if (a->plan == NULL)
		return;
	plan_clear(a->plan);
	plan_gate_clear(a->plan);
	free(a->plan->judged_reports);
	free(a->plan);
	a->plan = NULL;
}

void
plan_invalidate(struct app *a)
{
	if (a->plan != NULL)
		a->plan->run = 0;
}

static int
plan_same_path(const char *x, const char *y)
{
	return x == NULL ? y == NULL : y != NULL && strcmp(x, y) == 0;
}

/*
 * The gate of the reports the user gave, or NULL when none were: the
 * watch phase counts its clean days.
 */
static const struct report_gate *
plan_gate(struct app *a, long today)
{
	struct app_plan *p = a->plan;

	if (a->reports_path == NULL)
		return NULL;
	if (p->gate_path == NULL ||
	    strcmp(p->gate_path, a->reports_path) != 0 ||
	    p->gate_today != today) {
		plan_gate_clear(p);
		p->gate_path = xstrdup(a->reports_path);
		p->gate_today = today;
		report_gate_path(&p->gate, p->gate_path, app_domain(a),
		    (int64_t)today, NULL);
	}
	return &p->gate;
}

/*
 * A change or fix plan, judged by the screen's check as 'rollout status'
 * judges it; the days first seen are not written from here, and a moved
 * policy host is not probed (status does both).
 */
static void
plan_judge_change(struct app *a, long today)
{
	struct app_plan	   *p = a->plan;
	struct change_facts f;
	const char	   *title = change_kind_title(p->st->change->kind);
	int		    dirty;

	change_facts_init(&f);
	change_facts_from_check(&f, a->check);
	if (p->st->change->kind == CHANGE_HOST)
		f.new_detail = xstrdup("not probed here: 'mtasts-tui rollout "
				       "status' probes it");
	p->cr = change_judge(p->st, &f, today, &dirty);
	change_facts_free(&f);
	if (p->cr->fixnow != NULL)
		snprintf(p->line, sizeof(p->line),
		    "%s plan: fix now, mail is refused (p: schedule)", title);
	else if (p->cr->next < 0)
		snprintf(p->line, sizeof(p->line),
		    "%s plan: all %zu steps done", title, p->cr->nsteps);
	else
		snprintf(p->line, sizeof(p->line),
		    "%s plan: step %d of %zu, %s%s (p: schedule)", title,
		    p->cr->next + 1, p->cr->nsteps,
		    change_step_title(p->st->change->kind, (size_t)p->cr->next),
		    p->cr->status[p->cr->next] == CHANGE_WAITING ? ", waiting"
								 : "");
}

int
plan_refresh(struct app *a)
{
	struct app_plan	    *p;
	struct rollout_facts f;
	char		    *cause = NULL, d[16];
	long		     today;
	int		     r;

	if (a->plan == NULL)
		a->plan = xcalloc(1, sizeof(*a->plan));
	p = a->plan;
	if (a->check == NULL || !check_done(a->check))
		return 0;
	/* Judged again for a new run and for reports given at t. */
	if (p->run == a->runs && p->check == a->check &&
	    plan_same_path(p->judged_reports, a->reports_path))
		return 0;
	plan_clear(p);
	p->run = a->runs;
	p->check = a->check;
	free(p->judged_reports);
	p->judged_reports =
	    a->reports_path != NULL ? xstrdup(a->reports_path) : NULL;
	p->path = state_path(a->cfg->state_dir, app_domain(a));
	if ((r = state_load(p->path, &p->st, &cause)) != 0) {
		/* 1: no plan for this domain, nothing to show. */
		p->error = r == -1 ? cause : NULL;
		if (r == -1)
			snprintf(p->line, sizeof(p->line),
			    "rollout: the plan cannot be read");
		return 1;
	}
	if ((today = schedule_today(&cause)) == -1) {
		p->error = cause;
		snprintf(p->line, sizeof(p->line), "rollout: %s", cause);
		return 1;
	}
	if (change_follows(p->st)) {
		plan_judge_change(a, today);
		return 1;
	}
	p->r =
	    rollout_judge_run(p->st, a->check, plan_gate(a, today), today, &f);
	if (p->r->fix_now)
		snprintf(p->line, sizeof(p->line),
		    "rollout: fix now, mail is refused (p: schedule)");
	else if (p->r->next >= 0 &&
	    p->r->status[p->r->next] == ROLLOUT_DEVIATION)
		snprintf(p->line, sizeof(p->line),
		    "rollout: phase %d of %d, %s, deviates from the plan "
		    "(p: schedule)",
		    p->r->next + 1, SCHEDULE__COUNT,
		    schedule_phase_title(p->r->next));
	else if (p->r->next < 0)
		snprintf(p->line, sizeof(p->line),
		    "rollout: all %d phases done", SCHEDULE__COUNT);
	else {
		schedule_date_format(p->st->sched.phase[p->r->next].end, d,
		    sizeof(d));
		snprintf(p->line, sizeof(p->line),
		    "rollout: phase %d of %d, %s, %s %s (p: schedule)",
		    p->r->next + 1, SCHEDULE__COUNT,
		    schedule_phase_title(p->r->next),
		    p->st->sched.phase[p->r->next].end < today ? "was due"
							       : "due",
		    d);
	}
	return 1;
}

const char *
plan_line(const struct app *a)
{
	if (a->plan == NULL || a->plan->line[0] == '\0')
		return NULL;
	return a->plan->line;
}

/* The schedule view: every phase with its dates and done / not done. */
static void   vplan_build(struct view *, struct wlist *);
static void   vplan_fix_now(struct view *, struct wlist *, const struct state *,
      const struct rollout_report *);
static attr_t vplan_status_attr(enum rollout_status);
static void   vplan_build_change(struct view *, struct wlist *,
      const struct app_plan *);

static const struct view_list_ops vplan_list = {
	.build = vplan_build,
	.keys = VIEW_KEYS_SCROLL,
	.keys_ascii = VIEW_KEYS_SCROLL_ASCII,
};

const struct view_ops view_plan_ops = VIEW_LIST_OPS("plan", &vplan_list);

/*
 * Fix now, above the phases: what the verdict says is refused, with the
 * fixes (the same block as `rollout status`).
 */
static void
vplan_fix_now(struct view *v, struct wlist *l, const struct state *st,
    const struct rollout_report *r)
{
	const struct rollout_fix *x;
	char			 *s, *dir;
	size_t			  i;

	view_add_section(l, 6, "Fix now: mail is refused");
	s = text_cleans(r->fix_delivery);
	wlist_add_wrapped(l, 0x800, theme_attr(THEME_FAIL), "  ", 2,
	    v->cols - 1, s);
	free(s);
	for (i = 0; i < r->nfixes; i++) {
		x = &r->fixes[i];
		s = xasprintf("%s%s%s: %s", x->code,
		    x->subject != NULL ? " " : "",
		    x->subject != NULL ? x->subject : "", x->why);
		wlist_add_wrapped(l, 0x810 + (uint64_t)i * 4, A_NORMAL, "  - ",
		    4, v->cols - 1, s);
		free(s);
		s = xasprintf("fix: %s", x->fix);
		wlist_add_wrapped(l, 0x811 + (uint64_t)i * 4,
		    theme_attr(THEME_DIM), "    ", 4, v->cols - 1, s);
		free(s);
	}
	if ((dir = rollout_fix_dir(st, r)) != NULL) {
		s = xasprintf("To stop the refusals at once: 'mtasts-tui "
			      "rollout next %s' writes the plan's files into "
			      "%s/: serve mta-sts.txt first, then publish "
			      "zone.txt.",
		    st->spec.domain, dir);
		free(dir);
	} else
		s = xstrdup(r->fix_files ? "Fix what is listed; 'rollout "
					   "next' writes no enforce files "
					   "while mail is refused."
					 : "This is not the policy's doing: "
					   "fix the MX hosts above.");
	wlist_add_wrapped(l, 0x7ff, theme_attr(THEME_DIM), "  ", 2, v->cols - 1,
	    s);
	free(s);
}

static attr_t
vplan_status_attr(enum rollout_status st)
{
	switch (st) {
	case ROLLOUT_DONE:
		return theme_attr(THEME_PASS);
	case ROLLOUT_NOT_DONE:
		return theme_attr(THEME_FAIL);
	case ROLLOUT_DEVIATION:
		return theme_attr(THEME_WARN);
	default:
		return theme_attr(THEME_DIM);
	}
}

static void
vplan_build(struct view *v, struct wlist *l)
{
	struct app_plan *p;
	char		 d1[16], d2[16], *s;
	int		 i;
	attr_t		 at;

	plan_refresh(v->app);
	p = v->app->plan;
	view_list_title(v, (enum check_status) - 1, "rollout schedule of %s",
	    app_domain(v->app));
	if (v->app->check == NULL || !check_done(v->app->check)) {
		wlist_add(l, 1, theme_attr(THEME_DIM),
		    "waiting for the check: the plan is judged by it");
		return;
	}
	if (p->st == NULL) {
		s = text_cleans(p->error);
		wlist_add(l, 1, theme_attr(THEME_DIM), "no rollout plan for %s",
		    app_domain(v->app));
		if (p->error != NULL)
			wlist_add(l, 2, theme_attr(THEME_FAIL), "  %s", s);
		wlist_add(l, 3, theme_attr(THEME_DIM),
		    "  (w runs the wizard, which makes one; the plan file "
		    "would be %s)",
		    p->path != NULL ? p->path : "?");
		free(s);
		return;
	}
	wlist_add(l, 4, theme_attr(THEME_DIM), "plan file %s", p->path);
	if (p->cr != NULL) {
		vplan_build_change(v, l, p);
		return;
	}
	if (p->judged_reports != NULL) {
		s = text_cleans(p->judged_reports);
		wlist_add(l, 5, theme_attr(THEME_DIM),
		    "judged by this screen's check and the reports in %s", s);
		free(s);
	} else
		wlist_add(l, 5, theme_attr(THEME_DIM),
		    "judged by this screen's check");
	if (p->r->fix_now)
		vplan_fix_now(v, l, p->st, p->r);
	view_add_section(l, 1, "Phases");
	for (i = 0; i < SCHEDULE__COUNT; i++) {
		schedule_date_format(p->st->sched.phase[i].start, d1,
		    sizeof(d1));
		schedule_date_format(p->st->sched.phase[i].end, d2, sizeof(d2));
		at = vplan_status_attr(p->r->status[i]);
		wlist_add(l, 0x100 + (uint64_t)i * 16,
		    i == p->r->next ? theme_attr(THEME_SECTION) : A_NORMAL,
		    "%s %d. %-38s %s .. %s  ",
		    i == p->r->next ? theme_sym(SYM_LINK) : " ", i + 1,
		    schedule_phase_title(i), d1, d2);
		wlist_append(l, at, "%s", rollout_status_name(p->r->status[i]));
		if (p->r->why[i] != NULL)
			wlist_add_wrapped(l, 0x100 + (uint64_t)i * 16 + 1,
			    theme_attr(THEME_DIM), "      ", 6, v->cols - 1,
			    p->r->why[i]);
	}
	view_add_section(l, 2, "Next");
	wlist_add_wrapped(l, 0x400, A_NORMAL, "  ", 2, v->cols - 1,
	    p->r->next_text != NULL ? p->r->next_text : "-");
}

/*
 * A change or fix plan: what refuses mail or must not change yet, its
 * steps with done / waiting / not done, and the next step (the same as
 * 'rollout status').
 */
static void
vplan_build_change(struct view *v, struct wlist *l, const struct app_plan *p)
{
	const struct change_report *r = p->cr;
	enum change_kind	    k = p->st->change->kind;
	char			   *s;
	size_t			    i;
	attr_t			    at;

	wlist_add(l, 5, theme_attr(THEME_DIM),
	    "%s plan, judged by this screen's check", change_kind_title(k));
	if (r->fixnow != NULL) {
		view_add_section(l, 6, "Fix now: mail is refused");
		s = text_cleans(r->fixnow);
		wlist_add_wrapped(l, 0x800, theme_attr(THEME_FAIL), "  ", 2,
		    v->cols - 1, s);
		free(s);
	}
	if (r->warn != NULL) {
		s = text_cleans(r->warn);
		wlist_add_wrapped(l, 0x801, theme_attr(THEME_WARN),
		    "  Warning: ", 11, v->cols - 1, s);
		free(s);
	}
	if (r->hold != NULL) {
		s = text_cleans(r->hold);
		wlist_add_wrapped(l, 0x802, theme_attr(THEME_WARN), "  Hold ",
		    7, v->cols - 1, s);
		free(s);
	}
	view_add_section(l, 1, "Steps");
	for (i = 0; i < r->nsteps; i++) {
		at = r->status[i] == CHANGE_DONE     ? theme_attr(THEME_PASS)
		    : r->status[i] == CHANGE_WAITING ? theme_attr(THEME_DIM)
						     : theme_attr(THEME_FAIL);
		wlist_add(l, 0x100 + (uint64_t)i * 16,
		    (int)i == r->next ? theme_attr(THEME_SECTION) : A_NORMAL,
		    "%s %zu. %-50s ",
		    (int)i == r->next ? theme_sym(SYM_LINK) : " ", i + 1,
		    change_step_title(k, i));
		wlist_append(l, at, "%s",
		    r->status[i] == CHANGE_DONE		 ? "done"
			: r->status[i] == CHANGE_WAITING ? "waiting"
							 : "not done");
		if (r->why[i] != NULL) {
			s = text_cleans(r->why[i]);
			wlist_add_wrapped(l, 0x100 + (uint64_t)i * 16 + 1,
			    theme_attr(THEME_DIM), "      ", 6, v->cols - 1, s);
			free(s);
		}
	}
	view_add_section(l, 2, "Next");
	s = change_report_next(p->st, r);
	wlist_add_wrapped(l, 0x400, A_NORMAL, "  ", 2, v->cols - 1,
	    s != NULL ? s : "every step is done");
	free(s);
}
