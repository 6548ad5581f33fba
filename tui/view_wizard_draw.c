#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "wizard/schedule.h"
#include "wizard/state.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "view_wizard.h"
#include "view_wizard_int.h"
#include "xmalloc.h"

/* An error or the status wraps over at most this many rows. */
#define WIZ_MSG_ROWS 3

/* Where the next line of a screen goes; nothing is drawn from max on. */
struct wiz_pen {
	WINDOW *w;
	int	y;
	int	max;
	int	cols;
};

static void wiz_line(struct wiz_pen *, int x, attr_t, const char *, ...)
    __attribute__((format(printf, 4, 5)));
static void wiz_para(struct wiz_pen *, const char *);
static void wiz_draw_state(struct view *, struct wiz *, int, int);
static void wiz_draw_mx(struct view *, struct wiz *, int, int);
static void wiz_draw_mode(struct view *, struct wiz *, int, int);
static void wiz_draw_rua(struct view *, struct wiz *, int, int);
static void wiz_draw_id(struct view *, struct wiz *, int, int);
static void wiz_draw_hosting(struct view *, struct wiz *, int, int);
static void wiz_draw_output(struct view *, struct wiz *, int, int);

const struct wiz_step wiz_steps[WIZ_NSTEPS] = {
	{ "Current state", wiz_draw_state },
	{ "MX patterns", wiz_draw_mx },
	{ "Mode and max_age", wiz_draw_mode },
	{ "TLS-RPT destinations", wiz_draw_rua },
	{ "Policy id", wiz_draw_id },
	{ "Hosting of the policy", wiz_draw_hosting },
	{ "Output", wiz_draw_output },
};

/*
 * One line at column x.  Lines quote network and file text (MX names,
 * patterns, URIs, ids), so the whole line is made safe first.
 */
static void
wiz_line(struct wiz_pen *p, int x, attr_t attr, const char *fmt, ...)
{
	va_list ap;
	char   *raw, *clean;

	if (p->y >= p->max) {
		p->y++;
		return;
	}
	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	clean = text_cleans(raw);
	text_draw(p->w, p->y++, x, p->cols - x, clean, attr);
	free(clean);
	free(raw);
}

/* A paragraph of explanation, wrapped, from column 2. */
static void
wiz_para(struct wiz_pen *p, const char *text)
{
	char **lines;
	size_t n, i;

	n = text_wrap(text, p->cols - 4, &lines);
	for (i = 0; i < n; i++) {
		if (p->y < p->max)
			text_draw(p->w, p->y, 2, p->cols - 2, lines[i],
			    A_NORMAL);
		p->y++;
		free(lines[i]);
	}
	free(lines);
}

static void
wiz_draw_state(struct view *v, struct wiz *w, int y, int max)
{
	struct wiz_pen		  p = { v->win, y, max, v->cols };
	const struct wizard_live *l = &w->d->live;
	char			  day[16], *t;
	size_t			  i;

	wiz_para(&p,
	    "What a live check sees now.  Whatever exists becomes the "
	    "default of the next screens, so an existing deployment is "
	    "edited, not replaced blindly.");
	p.y++;
	if (l->sts == WIZARD_SEEN_NONE)
		wiz_line(&p, 2, A_NORMAL, "TXT _mta-sts     none");
	else if (l->sts == WIZARD_SEEN_VALID)
		wiz_line(&p, 2, A_NORMAL, "TXT _mta-sts     valid, id %s",
		    l->sts_id);
	else
		wiz_line(&p, 2, A_NORMAL,
		    "TXT _mta-sts     present, not valid");
	if (l->policy == WIZARD_SEEN_NONE)
		wiz_line(&p, 2, A_NORMAL, "Policy           not served");
	else if (l->policy == WIZARD_SEEN_INVALID)
		wiz_line(&p, 2, A_NORMAL, "Policy           served, not valid");
	else
		wiz_line(&p, 2, A_NORMAL,
		    "Policy           mode %s, max_age %lld, %zu mx pattern%s",
		    policy_mode_name(l->mode), l->max_age, l->npatterns,
		    l->npatterns == 1 ? "" : "s");
	wiz_line(&p, 2, A_NORMAL, "TLS-RPT          %s",
	    l->tlsrpt == WIZARD_SEEN_NONE	 ? "none"
		: l->tlsrpt == WIZARD_SEEN_VALID ? "usable"
						 : "present, not usable");
	if (l->nmx == 0)
		wiz_line(&p, 2, A_NORMAL, "MX hosts         none found");
	for (i = 0; i < l->nmx && p.y < max - 2; i++)
		wiz_line(&p, 2, A_NORMAL, "%s %s%s",
		    i == 0 ? "MX hosts        " : "                ", l->mx[i],
		    l->mx_bad[i] ? "   (STARTTLS probe fails)" : "");
	if (l->delivery != NULL) {
		wiz_line(&p, 2, A_NORMAL, "Delivery         %s", l->delivery);
		wiz_line(&p, 2, A_NORMAL, "Next step        %s", l->next);
	}
	if (w->d->prev != NULL) {
		schedule_date_format(w->d->prev->sched.created, day,
		    sizeof(day));
		t = xasprintf("A %s plan exists (made %s): the next screens "
			      "start from its settings; writing replaces it "
			      "(asked first), its ids kept, never reused.",
		    w->d->prev->kind == STATE_KIND_FIX ? "fix" : "rollout",
		    day);
		p.y++;
		wiz_para(&p, t);
		free(t);
	}
}

/*
 * The entries of a list screen at column 4, on the list widget (the
 * cursor kept by tag, scrolling when they outgrow their rows).
 */
static void
wiz_draw_entries(struct wiz_pen *p, struct wiz *w)
{
	size_t *n;
	int	rows;

	(void)wiz_list(w, &n);
	wiz_entries(w);
	rows = p->max - p->y;
	if (rows > (int)*n)
		rows = (int)*n;
	if (rows > 0)
		wlist_draw(&w->entries, p->w, p->y, rows, p->cols);
	p->y += (int)*n;
}

static void
wiz_draw_mx(struct view *v, struct wiz *w, int y, int max)
{
	struct wiz_pen	     p = { v->win, y, max, v->cols };
	struct wizard_draft *d = w->d;
	long		    *first;
	size_t		     i, uncovered;

	wiz_para(&p,
	    "Senders deliver only to MX hosts a pattern covers.  Exact names "
	    "are safest; a *. pattern covers exactly one label below its "
	    "parent.");
	if (d->wildcard != NULL)
		wiz_para(&p,
		    "Several MX share a parent: 'w' uses the wildcard below, "
		    "which trusts every host one label under it that can get "
		    "a publicly trusted certificate.");
	p.y++;
	wiz_line(&p, 2, A_NORMAL, "Patterns:");
	wiz_draw_entries(&p, w);
	if (d->wildcard != NULL)
		wiz_line(&p, 4, A_NORMAL, "(w: %s)", d->wildcard);
	p.y++;
	wiz_line(&p, 2, A_NORMAL, "Coverage of the live MX hosts:");
	first = wizard_draft_coverage(d, &uncovered);
	for (i = 0; i < d->live.nmx && p.y < max; i++)
		wiz_line(&p, 4, A_NORMAL, "%-32s %s%s%s", d->live.mx[i],
		    first[i] >= 0 ? "covered by " : "NOT COVERED",
		    first[i] >= 0 ? d->spec.mx[first[i]] : "",
		    d->live.mx_bad[i] ? "  STARTTLS fails: fix it before "
					"enforce"
				      : "");
	free(first);
	if (w->status == NULL && uncovered > 0)
		w->status = xasprintf("%zu live MX host%s not covered",
		    uncovered, uncovered == 1 ? " is" : "s are");
}

static void
wiz_draw_mode(struct view *v, struct wiz *w, int y, int max)
{
	struct wiz_pen	     p = { v->win, y, max, v->cols };
	struct wizard_draft *d = w->d;
	long long	     days = d->spec.max_age / 86400;

	wiz_para(&p,
	    "testing: senders report failures through TLS-RPT and deliver "
	    "anyway; the right start.  enforce: senders refuse MX hosts that "
	    "fail; offered when the live check says the domain is ready, "
	    "or when the patterns fix what blocked it.");
	p.y++;
	wiz_para(&p,
	    "max_age is how long senders keep the policy.  Short while "
	    "testing (a day: mistakes fade fast); at least a week once "
	    "enforced, since a long cache is what protects against an "
	    "attacker blocking the next fetch.");
	p.y++;
	wiz_line(&p, 4, A_NORMAL, "%s testing",
	    d->spec.mode == POLICY_MODE_TESTING ? "(*)" : "( )");
	wiz_line(&p, 4, A_NORMAL, "%s enforce%s",
	    d->spec.mode == POLICY_MODE_ENFORCE ? "(*)" : "( )",
	    !wizard_draft_enforce_offered(d)
		? "   (not offered: the live check says not ready)"
		: d->live.enforce_ready ? ""
					: "   (offered: the patterns fix it)");
	p.y++;
	wiz_line(&p, 4, A_NORMAL, "max_age: %lld seconds (%lld day%s)",
	    d->spec.max_age, days, days == 1 ? "" : "s");
	if (d->spec.mode == POLICY_MODE_ENFORCE && !d->live.deployed) {
		p.y++;
		wiz_line(&p, 4, A_NORMAL,
		    "Warning: nothing is deployed yet; going straight to "
		    "enforce skips the testing phase.");
	}
}

static void
wiz_draw_rua(struct view *v, struct wiz *w, int y, int max)
{
	struct wiz_pen p = { v->win, y, max, v->cols };

	wiz_para(&p,
	    "Where senders mail (mailto:) or post (https:) daily reports of "
	    "TLS failures.  Without them a testing policy tells you nothing.  "
	    "Commas, semicolons and '!' inside a URI must be %-encoded.");
	p.y++;
	wiz_draw_entries(&p, w);
}

static void
wiz_draw_id(struct view *v, struct wiz *w, int y, int max)
{
	struct wiz_pen p = { v->win, y, max, v->cols };
	char	      *body, *weak, *line, *nl;
	size_t	       len, i, n;

	wiz_para(&p,
	    "Senders fetch the policy again only when the id in the TXT "
	    "record changes, so the id changes whenever the policy body "
	    "does, and an id is never used twice.  It is the UTC time it was "
	    "made.");
	p.y++;
	if (w->d->id_kept)
		wiz_line(&p, 4, A_NORMAL,
		    "The policy is unchanged: keeping id %s", w->d->spec.id);
	else
		wiz_line(&p, 4, A_NORMAL, "New id: %s", w->d->spec.id);
	if (wizard_draft_is_fix(w->d))
		wiz_line(&p, 4, A_NORMAL,
		    "A fix in place: serve this body, then publish the id.");
	/* A weaker policy than live or the plan is said before writing. */
	if ((weak = wizard_draft_weakened(w->d)) != NULL) {
		for (line = weak; (nl = strchr(line, '\n')) != NULL;
		     line = nl + 1) {
			wiz_line(&p, 4, A_BOLD, "Weaker: %.*s",
			    (int)(nl - line), line);
		}
		free(weak);
	}
	p.y++;
	wiz_line(&p, 2, A_NORMAL, "The policy (mta-sts.txt):");
	body = gen_policy(&w->d->spec, &len);
	for (i = 0; i < len;) {
		n = strcspn(body + i, "\r");
		wiz_line(&p, 4, A_NORMAL, "%.*s", (int)n, body + i);
		i += n + 2;
	}
	free(body);
}

static void
wiz_draw_hosting(struct view *v, struct wiz *w, int y, int max)
{
	static const char *const what[] = {
		"leave the mta-sts record out of the zone output",
		"own web server: A/AAAA records for mta-sts.",
		"CDN or provider: a CNAME for mta-sts."
	};
	struct wiz_pen	     p = { v->win, y, max, v->cols };
	struct wizard_draft *d = w->d;
	size_t		     i;
	int		     k;

	wiz_para(&p,
	    "The policy is served at https://mta-sts.DOMAIN/.well-known/"
	    "mta-sts.txt as text/plain, with a certificate valid for that "
	    "name and no redirect.  nginx and Apache snippets are written "
	    "either way.");
	p.y++;
	for (k = 0; k < 3; k++)
		wiz_line(&p, 4, A_NORMAL, "%s %d %s%s",
		    (int)d->hosting == k ? "(*)" : "( )", k + 1, what[k],
		    k > 0 ? d->domain : "");
	p.y++;
	for (i = 0; i < d->spec.naddr; i++)
		wiz_line(&p, 4, A_NORMAL, "address %s", d->spec.addr[i]);
	if (d->spec.cname != NULL)
		wiz_line(&p, 4, A_NORMAL, "CNAME %s.", d->spec.cname);
}

static void
wiz_draw_output(struct view *v, struct wiz *w, int y, int max)
{
	struct wiz_pen p = { v->win, y, max, v->cols };
	unsigned       exists, differ;
	int	       i;

	wiz_para(&p,
	    "The files go into one directory; a file that exists and "
	    "differs, and an existing plan, are replaced only if you say so "
	    "(once, for all of them).  'mtasts-tui rollout status' follows "
	    "the plan.");
	p.y++;
	exists = wizard_draft_existing(w->d, &differ);
	wiz_line(&p, 4, A_NORMAL, "Directory: %s", w->d->dir);
	for (i = 0; i < GEN_FORMAT__COUNT; i++)
		wiz_line(&p, 6, differ & (1u << i) ? A_BOLD : A_NORMAL,
		    "%-14s %s", gen_format_file(i),
		    differ & (1u << i)	     ? "exists, differs: replaced"
			: exists & (1u << i) ? "exists, the same"
					     : "new");
	p.y++;
	wiz_line(&p, 4, w->d->prev != NULL ? A_BOLD : A_NORMAL, "Plan: %s",
	    w->d->state_path);
	wiz_line(&p, 6, A_NORMAL, "%s",
	    w->d->prev != NULL ? "exists: replaced (its ids are kept)" : "new");
}

static int
wiz_bits(unsigned u)
{
	int n = 0;

	for (; u != 0; u &= u - 1)
		n++;
	return n;
}

/*
 * The bottom of the view: the message (an error or the status) wrapped
 * over up to WIZ_MSG_ROWS rows ending on the last row, and the line being
 * typed right above it.
 */
static void
wiz_draw_bottom(struct view *v, struct wiz *w)
{
	const char *msg = w->status;
	char	   *cause = NULL, *ask = NULL, **lines = NULL;
	size_t	    n = 0, i;
	int	    top, typing = w->input.kind != PROMPT_NONE;

	if (typing) {
		if (w->field->valid(w->input.buf, &cause) != 0)
			msg = cause != NULL ? cause : "not valid";
		else
			msg = w->input.len > 0 ? "ok" : NULL;
	}
	if (msg != NULL)
		n = text_wrap(msg, v->cols - 2, &lines);
	top = v->rows - (n > WIZ_MSG_ROWS ? WIZ_MSG_ROWS : n > 0 ? n : 1);
	for (i = (size_t)(typing || w->confirming || w->chplan != NULL ? top - 1
								       : top);
	     (int)i < v->rows; i++) {
		wmove(v->win, (int)i, 0);
		wclrtoeol(v->win);
	}
	for (i = 0; i < n; i++) {
		if (i < WIZ_MSG_ROWS)
			text_draw(v->win, top + (int)i, 1, v->cols - 2,
			    lines[i], A_BOLD);
		free(lines[i]);
	}
	free(lines);
	free(cause);
	if (typing)
		prompt_draw_line(&w->input, v->win, top - 1, 1, v->cols - 1);
	else if (w->confirming) {
		n = (size_t)wiz_bits(w->differ);
		ask = n == 0 ? xstrdup("Replace the plan? (y/n)")
			     : xasprintf("Replace %zu file%s%s? (y/n)", n,
				   n == 1 ? "" : "s",
				   w->d->prev != NULL ? " and the plan" : "");
		i = (size_t)top - 1;
		text_draw(v->win, (int)i, 1, v->cols - 2, ask, A_NORMAL);
		free(ask);
	} else if (w->chplan != NULL) {
		ask = w->d->prev != NULL
		    ? xstrdup(
			  "Save this plan, replacing the plan there is? (y/n)")
		    : xstrdup("Save this plan? (y/n)");
		text_draw(v->win, top - 1, 1, v->cols - 2, ask, A_NORMAL);
		free(ask);
	}
}

void
wiz_draw(struct view *v)
{
	struct wiz *w = v->data;
	char	    right[32];
	int	    x;

	if (v->win == NULL)
		return;
	werase(v->win);
	x = text_draw(v->win, 0, 1, v->cols - 1, "mtasts-tui wizard: ", A_BOLD);
	text_draw(v->win, 0, 1 + x, v->cols - 1 - x, w->d->domain, A_BOLD);
	if (w->changing)
		snprintf(right, sizeof(right), "change plan");
	else
		snprintf(right, sizeof(right), "step %d of %d", w->step + 1,
		    WIZ_NSTEPS);
	if (v->cols > (int)strlen(right) + 1)
		text_draw(v->win, 0, v->cols - (int)strlen(right) - 1,
		    (int)strlen(right), right, A_BOLD);
	text_fill(v->win, 1, 0, v->cols, theme_sym(SYM_HLINE),
	    theme_attr(THEME_DIM));
	text_draw(v->win, 2, 1, v->cols - 1,
	    w->changing ? "A change of the served policy"
			: wiz_steps[w->step].title,
	    A_BOLD | A_UNDERLINE);
	if (w->changing)
		wiz_draw_change(v, w, 4, v->rows - 2);
	else
		wiz_steps[w->step].draw(v, w, 4, v->rows - 2);
	wiz_draw_bottom(v, w);
	wnoutrefresh(v->win);
}

/* What the chosen kind of change has been given so far, one line. */
static void
wiz_change_settings(struct wiz_pen *p, const struct change_params *c)
{
	switch (c->kind) {
	case CHANGE_MX:
		wiz_line(p, 4, A_NORMAL, "new MX %s (n), old MX %s (o)",
		    c->new_mx != NULL ? c->new_mx : "-",
		    c->old_mx != NULL ? c->old_mx : "the only MX");
		break;
	case CHANGE_REMOVE:
		wiz_line(p, 4, A_NORMAL,
		    "mode none with max_age %lld (m), then remove everything",
		    c->new_max_age);
		break;
	case CHANGE_HOST:
		if (c->new_addr != NULL)
			wiz_line(p, 4, A_NORMAL,
			    "new policy host at address %s (a; c: a CNAME)",
			    c->new_addr);
		else
			wiz_line(p, 4, A_NORMAL,
			    "new policy host CNAME %s (c; a: an address)",
			    c->new_cname != NULL ? c->new_cname : "-");
		break;
	default:
		wiz_line(p, 4, A_NORMAL, "new max_age %lld (m)",
		    c->new_max_age);
		break;
	}
}

void
wiz_draw_change(struct view *v, struct wiz *w, int y, int max)
{
	struct wiz_pen		    p = { v->win, y, max, v->cols };
	const struct gen_spec	   *s = &w->d->served;
	const struct change_params *c = &w->d->change;
	const struct state	   *st = w->chplan;
	size_t			    i;
	int			    k;

	wiz_line(&p, 2, A_NORMAL, "Served now: mode %s, max_age %lld, id %s",
	    policy_mode_name(s->mode), s->max_age, s->id);
	wiz_para(&p,
	    "A plan of steps, each checked live and started only once "
	    "senders may have dropped the policy before it.");
	p.y++;
	for (k = 0; k < CHANGE__COUNT; k++)
		wiz_line(&p, 2, A_NORMAL, "%s %d %s",
		    w->chosen && (int)c->kind == k ? "(*)" : "( )", k + 1,
		    change_kind_title((enum change_kind)k));
	p.y++;
	if (!w->chosen) {
		wiz_line(&p, 2, A_NORMAL, "Choose the change: 1 to 4.");
		return;
	}
	wiz_change_settings(&p, c);
	if (st == NULL) {
		wiz_line(&p, 2, A_NORMAL,
		    "Enter makes the plan and shows it; nothing is written.");
		return;
	}
	p.y++;
	wiz_line(&p, 2, A_BOLD,
	    "The plan (senders may hold a policy for up "
	    "to %lld s):",
	    st->change->old_max_age);
	for (i = 0; i < change_nsteps(st->change->kind); i++)
		wiz_line(&p, 4, i == 0 ? A_BOLD : A_NORMAL, "%zu. %s%s", i + 1,
		    change_step_title(st->change->kind, i),
		    i == 0 ? "   (first)" : "");
}
