#include "config.h"
#include "screens.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "curses.h"

#include "check.h"
#include "domain.h"
#include "finding.h"
#include "gen.h"
#include "id.h"
#include "mx_lookup.h"
#include "mx_match.h"
#include "output.h"
#include "policy_parse.h"
#include "schedule.h"
#include "state.h"
#include "sts_record.h"
#include "tlsrpt_record.h"
#include "utf8.h"
#include "verdict.h"
#include "xmalloc.h"

#define SCR_STEPS     7
#define SCR_INPUT_MAX 255
#define SCR_KEY_ESC   27
#define SCR_MSG_ROWS  3 /* an error or status wraps over at most this */

enum scr_result {
	SCR_NEXT,
	SCR_BACK,
	SCR_QUIT
};

typedef int (*scr_valid_cb)(const char *, char **cause);

struct scr {
	const struct screens_input *in;
	struct gen_spec		    spec;
	char			  **live;     /* live MX host names */
	int			   *live_bad; /* its STARTTLS probe failed */
	size_t			    nlive;
	char		*wildcard; /* "*.parent" when MX share a parent */
	int		 enforce_ready;
	int		 deployed;    /* a TXT or a policy exists */
	int		 max_age_set; /* the user typed a max_age */
	enum policy_mode live_mode;   /* of a valid live policy */
	long long	 live_max_age;
	int		 hosting; /* 0 leave DNS, 1 addresses, 2 CNAME */
	int		 id_kept;
	char		*dir;
	char		*status; /* one line under the content */
	int		 sel;	 /* selected list row */
};

static void scr_prefill(struct scr *);
static void scr_frame(struct scr *, int, const char *);
static int  scr_text(int, const char *);
static void scr_print(int, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void scr_keys(const char *);
static void scr_set_status(struct scr *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
static void  scr_draw_status(struct scr *);
static int   scr_wrap(int, const char *, int, int, int);
static int   scr_message(int, const char *);
static char *scr_input(struct scr *, const char *, const char *, scr_valid_cb);
static int   scr_key(void);
static int   scr_valid_addr(const char *, char **);
static int   scr_valid_cname(const char *, char **);
static int   scr_valid_max_age(const char *, char **);
static int   scr_valid_dir(const char *, char **);
static void  scr_list_del(char **, size_t *, size_t);
static void  scr_set_mode(struct scr *, enum policy_mode);
static enum scr_result scr_state(struct scr *);
static enum scr_result scr_mx(struct scr *);
static enum scr_result scr_mode(struct scr *);
static enum scr_result scr_rua(struct scr *);
static enum scr_result scr_id(struct scr *);
static enum scr_result scr_hosting(struct scr *);
static enum scr_result scr_output(struct scr *, int *);
static int	       scr_ask_replace(const char *, void *);
static int	       scr_write(struct scr *, char **);

static void
scr_set_status(struct scr *s, const char *fmt, ...)
{
	va_list ap;

	free(s->status);
	s->status = NULL;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	s->status = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Defaults from the live check: edit what exists, not replace it. */
static void
scr_prefill(struct scr *s)
{
	const struct check	   *c = s->in->check;
	const struct policy	   *p = check_policy(c);
	const struct mx_set	   *mx = check_mx(c);
	const struct tlsrpt_record *rpt = check_tlsrpt_record(c);
	const struct sts_record	   *sts = check_sts_record(c);
	const struct verdict	   *v = check_verdict(c);
	const struct finding_list  *fl;
	const struct finding	   *f;
	const char		   *parent, *first = NULL;
	char			   *u;
	size_t			    i, j, shared = 0;

	gen_spec_init(&s->spec, s->in->domain);
	s->enforce_ready = v != NULL && v->enforce_ready;
	s->deployed =
	    (sts != NULL && sts->status != STS_RECORD_NONE) || p != NULL;
	if (mx != NULL && !mx->null_mx) {
		s->live = xcalloc(mx->nhost + 1, sizeof(*s->live));
		s->live_bad = xcalloc(mx->nhost + 1, sizeof(*s->live_bad));
		for (i = 0; i < mx->nhost; i++) {
			if (mx->host[i].ip_literal)
				continue;
			s->live[s->nlive++] = xstrdup(mx->host[i].name);
		}
	}
	/* Hosts the STARTTLS probe failed on (error findings about them). */
	fl = check_layer_findings(c, CHECK_MX_TLS);
	for (i = 0; fl != NULL && i < finding_list_count(fl); i++) {
		f = finding_list_get(fl, i);
		if (f->severity != FINDING_ERROR || f->subject == NULL)
			continue;
		for (j = 0; j < s->nlive; j++)
			if (strncasecmp(f->subject, s->live[j],
				strlen(s->live[j])) == 0)
				s->live_bad[j] = 1;
	}
	if (p != NULL && p->valid && p->nmx > 0) {
		for (i = 0; i < p->nmx; i++)
			gen_spec_add_mx(&s->spec, p->mx[i].pattern);
	} else {
		for (i = 0; i < s->nlive && i < GEN_MAX_MX; i++)
			gen_spec_add_mx(&s->spec, s->live[i]);
	}
	/* A *. pattern is offered when two MX or more share a parent. */
	for (i = 0; i < s->nlive; i++) {
		if ((parent = strchr(s->live[i], '.')) == NULL)
			continue;
		for (j = 0, shared = 0; j < s->nlive; j++) {
			const char *q = strchr(s->live[j], '.');
			if (q != NULL && strcasecmp(q, parent) == 0)
				shared++;
		}
		if (shared >= 2 && strchr(parent + 1, '.') != NULL) {
			first = parent;
			break;
		}
	}
	if (first != NULL)
		s->wildcard = xasprintf("*%s", first);
	if (rpt != NULL && rpt->usable) {
		for (i = 0; i < rpt->nuris; i++)
			if (rpt->uris[i].usable)
				gen_spec_add_rua(&s->spec, rpt->uris[i].uri);
	}
	if (s->spec.nrua == 0) {
		u = xasprintf("mailto:tlsrpt@%s", s->in->domain);
		gen_spec_add_rua(&s->spec, u);
		free(u);
	}
	if (p != NULL && p->valid) {
		s->live_mode = p->mode;
		s->live_max_age = p->max_age;
	}
	/* An enforced domain stays enforced if it is still ready. */
	scr_set_mode(s,
	    s->live_mode == POLICY_MODE_ENFORCE && s->enforce_ready
		? POLICY_MODE_ENFORCE
		: POLICY_MODE_TESTING);
	s->dir = s->in->out_dir != NULL ? xstrdup(s->in->out_dir)
					: output_default_dir(s->in->domain);
}

/* The mode, and the max_age that goes with it unless one was typed. */
static void
scr_set_mode(struct scr *s, enum policy_mode mode)
{
	s->spec.mode = mode;
	if (s->max_age_set)
		return;
	if (s->live_mode == mode && s->live_max_age >= 86400 &&
	    s->live_max_age <= GEN_MAX_AGE_FINAL)
		s->spec.max_age = s->live_max_age;
	else
		s->spec.max_age = mode == POLICY_MODE_ENFORCE
		    ? GEN_MAX_AGE_ENFORCE
		    : GEN_MAX_AGE_TESTING;
}

static void
scr_frame(struct scr *s, int step, const char *title)
{
	char *right;

	erase();
	attron(A_BOLD);
	mvprintw(0, 1, "mtasts-tui wizard: %s", s->in->domain);
	right = xasprintf("step %d of %d", step, SCR_STEPS);
	mvprintw(0, COLS - (int)strlen(right) - 1, "%s", right);
	free(right);
	attroff(A_BOLD);
	mvhline(1, 0, ACS_HLINE, COLS);
	attron(A_BOLD | A_UNDERLINE);
	mvprintw(2, 1, "%s", title);
	attroff(A_BOLD | A_UNDERLINE);
}

/*
 * text word-wrapped at width columns from row y, column 1, over at most
 * rows lines (drawn only if draw is set); returns the lines it takes.
 */
static int
scr_wrap(int y, const char *text, int width, int rows, int draw)
{
	const char *p = text, *end, *sp;
	int	    n = 0;

	if (width < 20)
		width = 20;
	while (*p != '\0' && n < rows) {
		end = p;
		sp = NULL;
		while (*end != '\0' && end - p < width) {
			if (*end == ' ')
				sp = end;
			end++;
		}
		if (*end != '\0' && sp != NULL)
			end = sp;
		if (draw)
			mvprintw(y + n, 1, "%.*s", (int)(end - p), p);
		n++;
		p = end;
		while (*p == ' ')
			p++;
	}
	return n > 0 ? n : 1;
}

/*
 * A message (an error or the status) wrapped over up to SCR_MSG_ROWS
 * lines that end on the row above the key line; first clears the rows
 * from row from.  Returns the first row the message took.
 */
static int
scr_message(int from, const char *msg)
{
	int n, top, y;

	n = msg != NULL ? scr_wrap(0, msg, COLS - 2, SCR_MSG_ROWS, 0) : 1;
	top = LINES - 1 - n;
	if (from > top)
		from = top;
	for (y = from; y < LINES - 1; y++) {
		move(y, 0);
		clrtoeol();
	}
	if (msg != NULL) {
		attron(A_BOLD);
		scr_wrap(top, msg, COLS - 2, SCR_MSG_ROWS, 1);
		attroff(A_BOLD);
	}
	return top;
}

/*
 * mvprintw for lines that quote network or file text (MX names, patterns,
 * URIs, ids): the whole line is sanitised first (issue 12).
 */
static void
scr_print(int y, int x, const char *fmt, ...)
{
	va_list ap;
	char   *raw, *clean;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	clean = utf8_sanitize(raw, strlen(raw), 0);
	mvaddstr(y, x, clean);
	free(clean);
	free(raw);
}

/* Word-wrapped text from row y; returns the next free row. */
static int
scr_text(int y, const char *text)
{
	const char *p = text, *end, *sp;
	int	    width = COLS - 4;

	if (width < 20)
		width = 20;
	while (*p != '\0' && y < LINES - 3) {
		end = p;
		sp = NULL;
		while (*end != '\0' && *end != '\n' && end - p < width) {
			if (*end == ' ')
				sp = end;
			end++;
		}
		if (*end != '\0' && *end != '\n' && sp != NULL)
			end = sp;
		mvprintw(y++, 2, "%.*s", (int)(end - p), p);
		p = end;
		if (*p == ' ' || *p == '\n')
			p++;
	}
	return y;
}

static void
scr_keys(const char *keys)
{
	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	mvprintw(LINES - 1, 1, "%.*s", COLS - 2, keys);
	attroff(A_REVERSE);
}

/* The status under the content: the two rows above the key line. */
static void
scr_draw_status(struct scr *s)
{
	scr_message(LINES - 2, s->status);
}

static int
scr_key(void)
{
	int ch;

	refresh();
	ch = getch();
	if (ch == KEY_RESIZE)
		return 0;
	return ch;
}

/*
 * A line editor on the row above the status line, validated as the user
 * types.  Returns the text (caller frees), or NULL when Esc was pressed.
 */
static char *
scr_input(struct scr *s, const char *prompt, const char *initial,
    scr_valid_cb valid)
{
	char   buf[SCR_INPUT_MAX + 1], *cause = NULL;
	size_t len;
	int    ch, ok, row = LINES - 3;

	(void)s;
	snprintf(buf, sizeof(buf), "%s", initial != NULL ? initial : "");
	len = strlen(buf);
	curs_set(1);
	for (;;) {
		ok = 1;
		free(cause);
		cause = NULL;
		if (valid != NULL && valid(buf, &cause) != 0)
			ok = 0;
		/* The reason wraps; the line being typed stays above it. */
		row = scr_message(row,
			  !ok		? (cause != NULL ? cause : "not valid")
			      : len > 0 ? "ok"
					: NULL) -
		    1;
		move(row, 0);
		clrtoeol();
		mvprintw(row, 1, "%s: %s", prompt, buf);
		scr_keys("Enter accept   Esc cancel   Backspace delete");
		move(row, 3 + (int)strlen(prompt) + (int)len);
		ch = scr_key();
		if (ch == SCR_KEY_ESC) {
			free(cause);
			curs_set(0);
			return NULL;
		}
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
			if (ok && len > 0)
				break;
			continue;
		}
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len > 0)
			buf[--len] = '\0';
		else if (ch >= 0x20 && ch < 0x7f && len < SCR_INPUT_MAX) {
			buf[len++] = (char)ch;
			buf[len] = '\0';
		}
	}
	free(cause);
	curs_set(0);
	return xstrdup(buf);
}

static int
scr_valid_addr(const char *a, char **cause)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, a, buf) == 1 || inet_pton(AF_INET6, a, buf) == 1)
		return 0;
	*cause = xasprintf("'%s' is not an IPv4 or IPv6 address", a);
	return -1;
}

static int
scr_valid_cname(const char *name, char **cause)
{
	return domain_check_ldh(name, 1, cause);
}

static int
scr_valid_max_age(const char *v, char **cause)
{
	char	 *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (*v == '\0' || errno != 0 || *end != '\0' || n < 86400 ||
	    n > GEN_MAX_AGE_FINAL) {
		*cause = xasprintf("a number of seconds from 86400 (a day) to "
				   "%d (a year)",
		    GEN_MAX_AGE_FINAL);
		return -1;
	}
	return 0;
}

static int
scr_valid_dir(const char *v, char **cause)
{
	if (*v == '\0') {
		*cause = xstrdup("a directory name");
		return -1;
	}
	return 0;
}

static void
scr_list_del(char **v, size_t *n, size_t i)
{
	if (i >= *n)
		return;
	free(v[i]);
	memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
	(*n)--;
}

/* An editable list of the plan: the mx patterns, the TLS-RPT URIs. */
struct scr_list {
	char  **v;
	size_t *n;
	int (*add)(struct gen_spec *, const char *);
	scr_valid_cb valid;
	const char  *add_prompt;  /* "New pattern" */
	const char  *edit_prompt; /* "Pattern" */
	const char  *full;	  /* status when add is refused */
};

/* The move, add, edit and delete keys every list screen shares. */
static void
scr_list_key(struct scr *s, const struct scr_list *l, int ch)
{
	char *t;

	switch (ch) {
	case KEY_UP:
		if (s->sel > 0)
			s->sel--;
		break;
	case KEY_DOWN:
		if (s->sel + 1 < (int)*l->n)
			s->sel++;
		break;
	case 'a':
		if ((t = scr_input(s, l->add_prompt, NULL, l->valid)) != NULL) {
			if (l->add(&s->spec, t) != 0)
				scr_set_status(s, "%s", l->full);
			free(t);
		}
		break;
	case 'e':
		if (*l->n == 0)
			break;
		t = scr_input(s, l->edit_prompt, l->v[s->sel], l->valid);
		if (t != NULL) {
			free(l->v[s->sel]);
			l->v[s->sel] = t;
		}
		break;
	case 'd':
		scr_list_del(l->v, l->n, (size_t)s->sel);
		if (s->sel > 0 && s->sel >= (int)*l->n)
			s->sel--;
		break;
	}
}

static enum scr_result
scr_state(struct scr *s)
{
	const struct check	   *c = s->in->check;
	const struct sts_record	   *sts = check_sts_record(c);
	const struct policy	   *p = check_policy(c);
	const struct tlsrpt_record *rpt = check_tlsrpt_record(c);
	const struct verdict	   *v = check_verdict(c);
	char			    d[16];
	size_t			    i;
	int			    y, ch;

	for (;;) {
		scr_frame(s, 1, "Current state");
		y = scr_text(4,
		    "What a live check sees now.  Whatever exists "
		    "becomes the default of the next screens, so an existing "
		    "deployment is edited, not replaced blindly.");
		y++;
		if (sts == NULL || sts->status == STS_RECORD_NONE)
			mvprintw(y++, 2, "TXT _mta-sts     none");
		else if (sts->valid)
			scr_print(y++, 2, "TXT _mta-sts     valid, id %s",
			    sts->id);
		else
			mvprintw(y++, 2, "TXT _mta-sts     present, not valid");
		if (p == NULL)
			mvprintw(y++, 2, "Policy           not served");
		else if (!p->valid)
			mvprintw(y++, 2, "Policy           served, not valid");
		else
			mvprintw(y++, 2,
			    "Policy           mode %s, max_age "
			    "%lld, %zu mx pattern%s",
			    policy_mode_name(p->mode), (long long)p->max_age,
			    p->nmx, p->nmx == 1 ? "" : "s");
		if (rpt == NULL || rpt->status == TLSRPT_RECORD_NONE)
			mvprintw(y++, 2, "TLS-RPT          none");
		else
			mvprintw(y++, 2, "TLS-RPT          %s",
			    rpt->usable ? "usable" : "present, not usable");
		if (s->nlive == 0)
			mvprintw(y++, 2, "MX hosts         none found");
		for (i = 0; i < s->nlive && y < LINES - 5; i++)
			scr_print(y++, 2, "%s %s%s",
			    i == 0 ? "MX hosts        " : "                ",
			    s->live[i],
			    s->live_bad[i] ? "   (STARTTLS probe fails)" : "");
		if (v != NULL && v->delivery != NULL) {
			mvprintw(y++, 2, "Delivery         %.*s", COLS - 20,
			    v->delivery);
			mvprintw(y++, 2, "Next step        %.*s", COLS - 20,
			    v->next);
		}
		if (s->in->prev != NULL) {
			schedule_date_format(s->in->prev->sched.created, d,
			    sizeof(d));
			y = scr_text(y + 1, "");
			y = scr_text(y, "A rollout plan exists (made ");
			mvprintw(y - 1, 30,
			    "%s): writing makes a new plan "
			    "from today; its ids are kept, never reused.",
			    d);
		}
		scr_draw_status(s);
		scr_keys("Enter next   q quit");
		ch = scr_key();
		if (ch == 'q')
			return SCR_QUIT;
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			return SCR_NEXT;
	}
}

static enum scr_result
scr_mx(struct scr *s)
{
	const struct scr_list mx_list = { s->spec.mx, &s->spec.nmx,
		gen_spec_add_mx, gen_validate_mx, "New pattern", "Pattern",
		"too many patterns" };
	const char	    **pats;
	long		     *first;
	char		     *cause;
	size_t		      i, uncovered;
	int		      y, ch;

	s->sel = 0;
	for (;;) {
		scr_frame(s, 2, "MX patterns");
		y = scr_text(4,
		    "Senders deliver only to MX hosts a pattern "
		    "covers.  Exact names are safest; a *. pattern covers "
		    "exactly one label below its parent.");
		if (s->wildcard != NULL)
			y = scr_text(y,
			    "Several MX share a parent: 'w' uses "
			    "the wildcard below, which trusts every host one "
			    "label under it that can get a publicly trusted "
			    "certificate.");
		y++;
		mvprintw(y++, 2, "Patterns:");
		for (i = 0; i < s->spec.nmx; i++) {
			if ((int)i == s->sel)
				attron(A_REVERSE);
			scr_print(y++, 4, "%s", s->spec.mx[i]);
			if ((int)i == s->sel)
				attroff(A_REVERSE);
		}
		if (s->wildcard != NULL)
			scr_print(y++, 4, "(w: %s)", s->wildcard);
		y++;
		mvprintw(y++, 2, "Coverage of the live MX hosts:");
		pats = xcalloc(s->spec.nmx + 1, sizeof(*pats));
		for (i = 0; i < s->spec.nmx; i++)
			pats[i] = s->spec.mx[i];
		first = xcalloc(s->nlive + 1, sizeof(*first));
		mx_match_coverage((const char *const *)s->live, s->nlive, pats,
		    s->spec.nmx, first, NULL);
		uncovered = 0;
		for (i = 0; i < s->nlive && y < LINES - 3; i++) {
			if (first[i] < 0)
				uncovered++;
			scr_print(y++, 4, "%-32s %s%s", s->live[i],
			    first[i] >= 0 ? "covered by " : "NOT COVERED",
			    first[i] >= 0 ? pats[first[i]] : "");
			if (s->live_bad[i])
				printw("  STARTTLS fails: fix it before "
				       "enforce");
		}
		free(first);
		free(pats);
		if (s->status == NULL && uncovered > 0)
			scr_set_status(s, "%zu live MX host%s not covered",
			    uncovered, uncovered == 1 ? " is" : "s are");
		scr_draw_status(s);
		scr_keys("a add  e edit  d delete  w wildcard  Up/Down  "
			 "Enter next  b back  q quit");
		ch = scr_key();
		scr_set_status(s, NULL);
		switch (ch) {
		case 'q':
			return SCR_QUIT;
		case 'b':
			return SCR_BACK;
		case KEY_UP:
		case KEY_DOWN:
		case 'a':
		case 'e':
		case 'd':
			scr_list_key(s, &mx_list, ch);
			break;
		case 'w':
			if (s->wildcard == NULL)
				break;
			/* The wildcard replaces the exact names it covers. */
			for (i = s->spec.nmx; i > 0; i--)
				if (mx_match(s->wildcard, s->spec.mx[i - 1]) ==
				    MX_MATCH_WILDCARD)
					scr_list_del(s->spec.mx, &s->spec.nmx,
					    i - 1);
			gen_spec_add_mx(&s->spec, s->wildcard);
			s->sel = 0;
			break;
		case '\n':
		case '\r':
		case KEY_ENTER:
			if (s->spec.nmx == 0) {
				scr_set_status(s, "add at least one pattern");
				break;
			}
			for (i = 0; i < s->spec.nmx; i++)
				if (gen_validate_mx(s->spec.mx[i], &cause) !=
				    0) {
					scr_set_status(s, "%s", cause);
					free(cause);
					break;
				}
			if (i == s->spec.nmx)
				return SCR_NEXT;
			break;
		}
	}
}

static enum scr_result
scr_mode(struct scr *s)
{
	char *t;
	int   y, ch;

	for (;;) {
		scr_frame(s, 3, "Mode and max_age");
		y = scr_text(4,
		    "testing: senders report failures through "
		    "TLS-RPT and deliver anyway; the right start.  enforce: "
		    "senders refuse MX hosts that fail; offered only when "
		    "the live check says the domain is ready.");
		y = scr_text(y + 1,
		    "max_age is how long senders keep the "
		    "policy.  Short while testing (a day: mistakes fade "
		    "fast); at least a week once enforced, since a long "
		    "cache is what protects against an attacker blocking "
		    "the next fetch.");
		y++;
		mvprintw(y++, 4, "%s testing",
		    s->spec.mode == POLICY_MODE_TESTING ? "(*)" : "( )");
		mvprintw(y++, 4, "%s enforce%s",
		    s->spec.mode == POLICY_MODE_ENFORCE ? "(*)" : "( )",
		    s->enforce_ready
			? ""
			: "   (not offered: the live check says not ready)");
		mvprintw(y + 1, 4, "max_age: %lld seconds (%lld day%s)",
		    s->spec.max_age, s->spec.max_age / 86400,
		    s->spec.max_age / 86400 == 1 ? "" : "s");
		if (s->spec.mode == POLICY_MODE_ENFORCE && !s->deployed)
			mvprintw(y + 3, 4,
			    "Warning: nothing is deployed yet; "
			    "going straight to enforce skips the testing "
			    "phase.");
		scr_draw_status(s);
		scr_keys("t testing  e enforce  m max_age  Enter next  b back  "
			 "q quit");
		ch = scr_key();
		scr_set_status(s, NULL);
		switch (ch) {
		case 'q':
			return SCR_QUIT;
		case 'b':
			return SCR_BACK;
		case 't':
			scr_set_mode(s, POLICY_MODE_TESTING);
			break;
		case 'e':
			if (!s->enforce_ready) {
				scr_set_status(s,
				    "enforce is not offered: "
				    "run 'mtasts-tui check %s' for why",
				    s->in->domain);
				break;
			}
			scr_set_mode(s, POLICY_MODE_ENFORCE);
			break;
		case 'm':
			if ((t = scr_input(s, "max_age (seconds)", NULL,
				 scr_valid_max_age)) != NULL) {
				s->spec.max_age = strtoll(t, NULL, 10);
				s->max_age_set = 1;
				free(t);
			}
			break;
		case '\n':
		case '\r':
		case KEY_ENTER:
			return SCR_NEXT;
		}
	}
}

static enum scr_result
scr_rua(struct scr *s)
{
	const struct scr_list rua_list = { s->spec.rua, &s->spec.nrua,
		gen_spec_add_rua, gen_validate_rua, "New URI", "URI",
		"too many" };
	size_t		      i;
	int		      y, ch;

	s->sel = 0;
	for (;;) {
		scr_frame(s, 4, "TLS-RPT destinations");
		y = scr_text(4,
		    "Where senders mail (mailto:) or post "
		    "(https:) daily reports of TLS failures.  Without them a "
		    "testing policy tells you nothing.  Commas, semicolons "
		    "and '!' inside a URI must be %-encoded.");
		y++;
		for (i = 0; i < s->spec.nrua; i++) {
			if ((int)i == s->sel)
				attron(A_REVERSE);
			scr_print(y++, 4, "%s", s->spec.rua[i]);
			if ((int)i == s->sel)
				attroff(A_REVERSE);
		}
		scr_draw_status(s);
		scr_keys(
		    "a add  e edit  d delete  Up/Down  Enter next  b back  "
		    "q quit");
		ch = scr_key();
		scr_set_status(s, NULL);
		switch (ch) {
		case 'q':
			return SCR_QUIT;
		case 'b':
			return SCR_BACK;
		case KEY_UP:
		case KEY_DOWN:
		case 'a':
		case 'e':
		case 'd':
			scr_list_key(s, &rua_list, ch);
			break;
		case '\n':
		case '\r':
		case KEY_ENTER:
			if (s->spec.nrua == 0) {
				scr_set_status(s,
				    "add at least one destination");
				break;
			}
			return SCR_NEXT;
		}
	}
}

/* Keeps the live id when the body is unchanged, else makes a new one. */
static enum scr_result
scr_id(struct scr *s)
{
	const struct policy	*p = check_policy(s->in->check);
	const struct sts_record *sts = check_sts_record(s->in->check);
	const char	       **used;
	char			*id, *body;
	size_t			 n, i, len;
	int			 same, y, ch;

	same = p != NULL && p->valid && sts != NULL && sts->valid &&
	    p->mode == s->spec.mode && p->max_age == s->spec.max_age &&
	    p->nmx == s->spec.nmx;
	for (i = 0; same && i < p->nmx; i++)
		if (strcmp(p->mx[i].pattern, s->spec.mx[i]) != 0)
			same = 0;
	s->id_kept = same;
	if (same)
		gen_spec_set_id(&s->spec, sts->id);
	else {
		n = s->in->prev != NULL ? s->in->prev->nids : 0;
		used = xcalloc(n + 2, sizeof(*used));
		for (i = 0; i < n; i++)
			used[i] = s->in->prev->ids[i].id;
		if (sts != NULL && sts->valid)
			used[n++] = sts->id;
		id = id_new(s->in->now, used, n);
		gen_spec_set_id(&s->spec, id);
		free(id);
		free(used);
	}
	for (;;) {
		scr_frame(s, 5, "Policy id");
		y = scr_text(4,
		    "Senders fetch the policy again only when the "
		    "id in the TXT record changes, so the id changes whenever "
		    "the policy body does, and an id is never used twice.  "
		    "It is the UTC time it was made.");
		y++;
		if (s->id_kept)
			scr_print(y++, 4,
			    "The policy is unchanged: keeping id %s",
			    s->spec.id);
		else
			scr_print(y++, 4, "New id: %s", s->spec.id);
		y++;
		mvprintw(y++, 2, "The policy (mta-sts.txt):");
		body = gen_policy(&s->spec, &len);
		for (i = 0; i < len && y < LINES - 3;) {
			n = strcspn(body + i, "\r");
			mvprintw(y++, 4, "%.*s", (int)n, body + i);
			i += n + 2;
		}
		free(body);
		scr_draw_status(s);
		scr_keys("Enter next  b back  q quit");
		ch = scr_key();
		if (ch == 'q')
			return SCR_QUIT;
		if (ch == 'b')
			return SCR_BACK;
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			return SCR_NEXT;
	}
}

static enum scr_result
scr_hosting(struct scr *s)
{
	const char *what[] = {
		"leave the mta-sts record out of the zone output",
		"own web server: A/AAAA records for mta-sts.",
		"CDN or provider: a CNAME for mta-sts."
	};
	char  *t;
	size_t i;
	int    y, ch, k;

	for (;;) {
		scr_frame(s, 6, "Hosting of the policy");
		y = scr_text(4,
		    "The policy is served at https://mta-sts.DOMAIN/"
		    ".well-known/mta-sts.txt as text/plain, with a certificate "
		    "valid for that name and no redirect.  nginx and Apache "
		    "snippets are written either way.");
		y++;
		for (k = 0; k < 3; k++)
			mvprintw(y++, 4, "%s %d %s%s",
			    s->hosting == k ? "(*)" : "( )", k + 1, what[k],
			    k > 0 ? s->in->domain : "");
		y++;
		for (i = 0; i < s->spec.naddr; i++)
			scr_print(y++, 4, "address %s", s->spec.addr[i]);
		if (s->spec.cname != NULL)
			scr_print(y++, 4, "CNAME %s.", s->spec.cname);
		scr_draw_status(s);
		scr_keys("1 none  2 addresses  3 CNAME  a add address  "
			 "Enter next  b back  q quit");
		ch = scr_key();
		scr_set_status(s, NULL);
		switch (ch) {
		case 'q':
			return SCR_QUIT;
		case 'b':
			return SCR_BACK;
		case '1':
			s->hosting = 0;
			gen_spec_set_cname(&s->spec, NULL);
			while (s->spec.naddr > 0)
				scr_list_del(s->spec.addr, &s->spec.naddr, 0);
			break;
		case '2':
		case 'a':
			s->hosting = 1;
			gen_spec_set_cname(&s->spec, NULL);
			if ((t = scr_input(s, "Address of mta-sts", NULL,
				 scr_valid_addr)) != NULL) {
				if (gen_spec_add_addr(&s->spec, t) != 0)
					scr_set_status(s, "too many");
				free(t);
			}
			break;
		case '3':
			if ((t = scr_input(s, "CNAME target", NULL,
				 scr_valid_cname)) != NULL) {
				s->hosting = 2;
				while (s->spec.naddr > 0)
					scr_list_del(s->spec.addr,
					    &s->spec.naddr, 0);
				gen_spec_set_cname(&s->spec, t);
				free(t);
			}
			break;
		case '\n':
		case '\r':
		case KEY_ENTER:
			return SCR_NEXT;
		}
	}
}

static int
scr_ask_replace(const char *path, void *arg)
{
	struct scr *s = arg;
	int	    ch;

	for (;;) {
		move(LINES - 3, 0);
		clrtoeol();
		mvprintw(LINES - 3, 1, "%s exists.  Replace it? (y/n)", path);
		scr_draw_status(s);
		ch = scr_key();
		if (ch == 'y' || ch == 'Y')
			return 1;
		if (ch == 'n' || ch == 'N' || ch == SCR_KEY_ESC)
			return 0;
	}
}

/* Writes the files, then the plan; returns 0 or -1 with *cause. */
static int
scr_write(struct scr *s, char **cause)
{
	struct state  *st;
	size_t	       i;
	enum gen_field field;
	char	      *why;

	if (gen_validate(&s->spec, &field, &why, NULL) != 0) {
		*cause = xasprintf("not written: %s", why);
		free(why);
		return -1;
	}
	st = state_new(&s->spec, s->in->today);
	for (i = 0; s->in->prev != NULL && i < s->in->prev->nids; i++)
		state_add_id(st, s->in->prev->ids[i].id,
		    s->in->prev->ids[i].mode, s->in->prev->ids[i].max_age,
		    s->in->prev->ids[i].day);
	if (!s->id_kept || state_last_id(st, s->spec.mode) == NULL)
		state_add_id(st, s->spec.id, s->spec.mode, s->spec.max_age,
		    s->in->today);
	gen_spec_set_id(&st->spec, s->spec.id);
	if (output_write_all(s->dir, &s->spec, &st->sched, s->in->force,
		scr_ask_replace, s, cause) != 0) {
		state_free(st);
		return -1;
	}
	if (state_save(st, s->in->state_path, cause) != 0) {
		state_free(st);
		return -1;
	}
	state_free(st);
	return 0;
}

static enum scr_result
scr_output(struct scr *s, int *written)
{
	char *t, *cause;
	int   y, ch, i;

	for (;;) {
		scr_frame(s, 7, "Output");
		y = scr_text(4,
		    "The files go into one directory; an existing "
		    "file is replaced only if you say so.  The rollout plan "
		    "is saved too: 'mtasts-tui rollout status' follows it.");
		y++;
		mvprintw(y++, 4, "Directory: %s", s->dir);
		for (i = 0; i < GEN_FORMAT__COUNT; i++)
			mvprintw(y++, 6, "%s", gen_format_file(i));
		mvprintw(y + 1, 4, "Plan: %s", s->in->state_path);
		scr_draw_status(s);
		scr_keys("w write  e edit directory  b back  q quit");
		ch = scr_key();
		scr_set_status(s, NULL);
		switch (ch) {
		case 'q':
			return SCR_QUIT;
		case 'b':
			return SCR_BACK;
		case 'e':
			if ((t = scr_input(s, "Directory", s->dir,
				 scr_valid_dir)) != NULL) {
				free(s->dir);
				s->dir = t;
			}
			break;
		case 'w':
		case '\n':
		case '\r':
		case KEY_ENTER:
			if (scr_write(s, &cause) != 0) {
				scr_set_status(s, "%s", cause);
				free(cause);
				break;
			}
			*written = 1;
			return SCR_NEXT;
		}
	}
}

int
screens_run(const struct screens_input *in)
{
	struct scr	s;
	enum scr_result r = SCR_NEXT;
	char		d1[16], d2[16];
	size_t		i;
	int		step = 0, written = 0;
	struct schedule sched;

	memset(&s, 0, sizeof(s));
	s.in = in;
	scr_prefill(&s);
	if (!in->embedded)
		initscr();
	else {
		/* The TUI's screen: blocking keys, a blank page. */
		nodelay(stdscr, FALSE);
		erase();
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	while (step < SCR_STEPS) {
		switch (step) {
		case 0:
			r = scr_state(&s);
			break;
		case 1:
			r = scr_mx(&s);
			break;
		case 2:
			r = scr_mode(&s);
			break;
		case 3:
			r = scr_rua(&s);
			break;
		case 4:
			r = scr_id(&s);
			break;
		case 5:
			r = scr_hosting(&s);
			break;
		default:
			r = scr_output(&s, &written);
			break;
		}
		if (r == SCR_QUIT)
			break;
		if (r == SCR_BACK && step > 0)
			step--;
		else if (r == SCR_NEXT)
			step++;
	}
	if (in->embedded) {
		erase();
		refresh();
	} else
		endwin();
	if (in->embedded) {
		/* The caller reports. */
	} else if (written) {
		printf("Written into %s/:\n", s.dir);
		for (i = 0; i < GEN_FORMAT__COUNT; i++)
			printf("  %s\n", gen_format_file(i));
		printf("Rollout plan saved in %s:\n", in->state_path);
		schedule_make(&sched, in->today);
		for (i = 0; i < SCHEDULE__COUNT; i++) {
			schedule_date_format(sched.phase[i].start, d1,
			    sizeof(d1));
			schedule_date_format(sched.phase[i].end, d2,
			    sizeof(d2));
			printf("  %zu. %-36s %s .. %s\n", i + 1,
			    schedule_phase_title(i), d1, d2);
		}
		printf("Serve mta-sts.txt first, then publish zone.txt; "
		       "'mtasts-tui rollout status %s' says what is next.\n",
		    in->domain);
	} else
		printf("mtasts-tui: the wizard was left; nothing was "
		       "written.\n");
	for (i = 0; i < s.nlive; i++)
		free(s.live[i]);
	free(s.live);
	free(s.live_bad);
	free(s.wildcard);
	free(s.dir);
	free(s.status);
	gen_spec_free(&s.spec);
	return written ? 0 : 1;
}
