#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "finding.h"
#include "mx_tls.h"
#include "smtp_probe.h"
#include "smtp_reply.h"
#include "policy_fetch.h"
#include "policy_parse.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "view_list.h"
#include "widget_list.h"
#include "xmalloc.h"

/*
 * Raw evidence: the policy body with line numbers and its invisible
 * characters made visible (CR, LF, tab, trailing space, BOM), or what one
 * policy host address answered over HTTP.  The TXT strings are shown in
 * the dns and tlsrpt layer views.  For an MX address: the SMTP banner,
 * the EHLO replies before and after STARTTLS, the TLS parameters and the
 * probe's transcript, for each of its probes.
 */
static void raw_build(struct view *, struct wlist *);

static const struct view_list_ops raw_list = {
	.build = raw_build,
	.keys = VIEW_KEYS_SCROLL,
	.keys_ascii = VIEW_KEYS_SCROLL_ASCII,
};

const struct view_ops view_raw_ops = VIEW_LIST_OPS("raw", &raw_list);

/*
 * One line of a body: number, a mark when a finding points at it, the
 * text with tabs and trailing blanks visible, and its terminator.
 */
static void
raw_line(struct wlist *l, unsigned lineno, const char *raw, size_t len,
    enum policy_eol eol, int flagged, int used)
{
	size_t i, start, end;
	char  *s;
	attr_t mark = theme_attr(THEME_MARK);

	wlist_add(l, lineno,
	    flagged ? theme_attr(THEME_FAIL) : theme_attr(THEME_DIM), "%4u%s ",
	    lineno,
	    flagged    ? "!"
		: used ? "*"
		       : " ");
	if (lineno == 1 && len >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0) {
		wlist_append(l, mark, "%s", theme_sym(SYM_BOM));
		raw += 3;
		len -= 3;
	}
	/* Trailing blanks are where invisible mistakes hide. */
	for (end = len;
	     end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == '\t'); end--)
		;
	for (i = start = 0; i <= len; i++) {
		if (i < len && raw[i] != '\t' && !(i >= end && raw[i] == ' '))
			continue;
		if (i > start) {
			s = text_clean(raw + start, i - start);
			wlist_append(l, A_NORMAL, "%s", s);
			free(s);
		}
		if (i < len)
			wlist_append(l, mark, "%s",
			    raw[i] == '\t' ? theme_sym(SYM_TAB)
					   : theme_sym(SYM_SPACE));
		start = i + 1;
	}
	switch (eol) {
	case POLICY_EOL_LF:
		wlist_append(l, mark, "%s", theme_sym(SYM_LF));
		break;
	case POLICY_EOL_CRLF:
		wlist_append(l, mark, "%s", theme_sym(SYM_CRLF));
		break;
	case POLICY_EOL_CR:
		wlist_append(l, mark, "%s", theme_sym(SYM_CR));
		break;
	default:
		wlist_append(l, mark, "%s", theme_sym(SYM_NOEOL));
		break;
	}
}

static int
raw_flagged(const struct finding_list *fl, unsigned lineno)
{
	size_t i, n = fl != NULL ? finding_list_count(fl) : 0;

	for (i = 0; i < n; i++)
		if (finding_list_get(fl, i)->line == lineno &&
		    finding_list_get(fl, i)->severity > FINDING_INFO)
			return 1;
	return 0;
}

static void
raw_policy(struct view *v, struct wlist *l)
{
	const struct policy	  *p = check_policy(v->app->check);
	const struct finding_list *fl;
	const struct policy_line  *ln;
	size_t			   i;

	view_list_title(v, (enum check_status) - 1, "policy body");
	if (p == NULL) {
		wlist_add(l, 0x10000000, theme_attr(THEME_DIM),
		    "no policy (yet)");
		return;
	}
	fl = check_layer_findings(v->app->check, CHECK_POLICY);
	view_list_title(v, (enum check_status) - 1,
	    "policy body: %zu bytes, %zu lines", p->bodylen, p->nlines);
	wlist_add(l, 0x10000001, theme_attr(THEME_DIM),
	    "* a sender "
	    "uses the line, ! a finding points at it; %s LF %s CR %s tab "
	    "%s trailing space",
	    theme_sym(SYM_LF), theme_sym(SYM_CR), theme_sym(SYM_TAB),
	    theme_sym(SYM_SPACE));
	for (i = 0; i < p->nlines; i++) {
		ln = &p->lines[i];
		raw_line(l, ln->lineno, ln->raw, ln->len, ln->eol,
		    raw_flagged(fl, ln->lineno), ln->used);
	}
	if (p->truncated)
		wlist_add(l, 0x10000002, theme_attr(THEME_WARN),
		    "(the rest was not read)");
}

/* A body as received, split at LF only, as RFC 8461 senders do. */
static void
raw_body(struct view *v, struct wlist *l, const struct policy_fetch_addr *a)
{
	const char     *p, *e, *nl;
	unsigned	lineno = 1;
	enum policy_eol eol;
	size_t		len;

	view_list_title(v, (enum check_status) - 1, "body from %s: %zu bytes%s",
	    a->address, a->body_len, a->truncated ? " (truncated)" : "");
	(void)v;
	if (a->body == NULL) {
		wlist_add(l, 0x10000000, theme_attr(THEME_DIM), "no body");
		return;
	}
	p = a->body;
	e = a->body + a->body_len;
	while (p < e && lineno < 100000) {
		nl = memchr(p, '\n', (size_t)(e - p));
		len = (size_t)((nl != NULL ? nl : e) - p);
		eol = nl == NULL ? POLICY_EOL_NONE : POLICY_EOL_LF;
		if (nl != NULL && len > 0 && p[len - 1] == '\r') {
			len--;
			eol = POLICY_EOL_CRLF;
		}
		raw_line(l, lineno++, p, len, eol, 0, 0);
		p = nl != NULL ? nl + 1 : e;
	}
}

static void
raw_header(struct wlist *l, uint64_t tag, const char *name, const char *val)
{
	char *s;

	if (val == NULL) {
		wlist_add(l, tag, theme_attr(THEME_DIM), "  %s: (absent)",
		    name);
		return;
	}
	s = text_cleans(val);
	wlist_add(l, tag, A_NORMAL, "  %s: ", name);
	wlist_append(l, A_NORMAL, "%s", s);
	free(s);
}

static void
raw_http(struct view *v, struct wlist *l, const struct policy_fetch_result *r,
    const struct policy_fetch_addr *a)
{
	char *s;

	view_list_title(v, (enum check_status) - 1, "HTTP from %s", a->address);
	s = text_cleans(r->url);
	wlist_add(l, 1, A_NORMAL, "GET %s", s);
	free(s);
	wlist_add(l, 2, A_NORMAL, "  connected to %s, %ld ms, outcome %s",
	    a->address, a->elapsed_ms, policy_fetch_outcome_name(a->outcome));
	if (a->detail != NULL) {
		s = text_cleans(a->detail);
		wlist_add(l, 3, A_NORMAL, "  %s", s);
		free(s);
	}
	view_add_section(l, 1, "TLS");
	wlist_add(l, 0x10, A_NORMAL, "  %s %s",
	    a->tls_version != NULL ? a->tls_version : "no handshake",
	    a->tls_cipher != NULL ? a->tls_cipher : "");
	if (a->tls_desc != NULL) {
		s = text_cleans(a->tls_desc);
		wlist_add(l, 0x11, theme_attr(THEME_DIM), "  %s", s);
		free(s);
	}
	view_add_section(l, 2, "Response");
	if (a->http_status == 0)
		wlist_add(l, 0x20, theme_attr(THEME_FAIL),
		    "  no HTTP response");
	else
		wlist_add(l, 0x20, A_NORMAL, "  status %ld", a->http_status);
	raw_header(l, 0x21, "Content-Type", a->content_type);
	raw_header(l, 0x22, "Cache-Control", a->cache_control);
	raw_header(l, 0x23, "Location", a->location);
	wlist_add(l, 0x24, A_NORMAL, "  body: %zu bytes kept%s", a->body_len,
	    a->truncated ? ", more was sent (over the cap)" : "");
	wlist_add(l, 0x25, theme_attr(THEME_DIM),
	    "  (the engine keeps these "
	    "headers only)");
	if (a->curl_error != NULL) {
		s = text_cleans(a->curl_error);
		wlist_add(l, 0x26, theme_attr(THEME_WARN), "  curl: %s", s);
		free(s);
	}
}

static void
raw_reply(struct wlist *l, uint64_t tag, const char *what,
    const struct smtp_reply *r)
{
	size_t i;
	char  *s;

	if (r == NULL) {
		wlist_add(l, tag, theme_attr(THEME_DIM), "  %s: none", what);
		return;
	}
	wlist_add(l, tag, theme_attr(THEME_DIM), "  %s:", what);
	for (i = 0; i < r->nlines && i < 64; i++) {
		s = text_cleans(r->lines[i]);
		wlist_add(l, tag + 1 + i, A_NORMAL, "    %d%c%s", r->code,
		    i + 1 < r->nlines ? '-' : ' ', s);
		free(s);
	}
}

static void
raw_probe(struct wlist *l, int n, const char *what,
    const struct smtp_probe_result *p)
{
	uint64_t base = 0x1000000ULL * (uint64_t)(n + 1);
	size_t	 i;
	char	*s;

	view_add_section(l, n, what);
	if (p == NULL) {
		wlist_add(l, base, theme_attr(THEME_DIM), "  not run");
		return;
	}
	wlist_add(l, base,
	    p->fail == SMTP_PROBE_OK ? theme_attr(THEME_PASS)
				     : theme_attr(THEME_FAIL),
	    "  %s in %ld ms", smtp_probe_fail_name(p->fail), p->elapsed_ms);
	if (p->fail != SMTP_PROBE_OK) {
		s = text_cleans(p->reason);
		wlist_append(l, theme_attr(THEME_FAIL), " at %s: %s",
		    smtp_probe_state_name(p->fail_state), s);
		free(s);
	}
	raw_reply(l, base + 0x100, "banner", p->banner);
	raw_reply(l, base + 0x200, "EHLO before STARTTLS", p->ehlo);
	raw_reply(l, base + 0x300, "reply to STARTTLS", p->starttls);
	if (p->tls) {
		s = text_cleans(p->tls_kx);
		wlist_add(l, base + 0x400, A_NORMAL, "  TLS: %s %s, kx %s",
		    p->tls_version != NULL ? p->tls_version : "?",
		    p->tls_cipher != NULL ? p->tls_cipher : "?", s);
		free(s);
	}
	raw_reply(l, base + 0x500, "EHLO after STARTTLS", p->ehlo_tls);
	wlist_add(l, base + 0x600, theme_attr(THEME_DIM),
	    "  transcript (ms, '>' sent, '<' received):");
	for (i = 0; i < p->nevents; i++) {
		s = text_cleans(p->events[i].text);
		wlist_add(l, base + 0x601 + i, A_NORMAL, "  %6ld %c %s",
		    p->events[i].ms, p->events[i].dir, s);
		free(s);
	}
	if (p->events_dropped > 0)
		wlist_add(l, base + 0xfff, theme_attr(THEME_WARN),
		    "  (%zu more entries dropped)", p->events_dropped);
}

static void
raw_smtp(struct view *v, struct wlist *l)
{
	const struct mx_tls_result *t = check_mx_tls(v->app->check);
	const struct mx_tls_addr   *a;
	size_t			    hi, ai;
	char			   *s;

	hi = v->loc.host;
	ai = v->loc.addr;
	view_list_title(v, (enum check_status) - 1, "SMTP");
	if (t == NULL || hi >= t->nhosts || ai >= t->hosts[hi].naddrs) {
		wlist_add(l, 0x10000000, theme_attr(THEME_DIM),
		    "no STARTTLS probe result (yet)");
		return;
	}
	a = &t->hosts[hi].addrs[ai];
	s = text_cleans(t->hosts[hi].name);
	view_list_title(v, (enum check_status) - 1, "SMTP at %s %s", s,
	    a->address);
	free(s);
	raw_probe(l, 1, "The judged probe (SNI, TLS 1.2 or 1.3)", a->probe);
	raw_probe(l, 2, "Handshake without SNI", a->nosni);
	raw_probe(l, 3, "Handshake offering only TLS 1.0/1.1", a->legacy);
}

static void
raw_build(struct view *v, struct wlist *l)
{
	const struct policy_fetch_result *r = NULL;
	size_t				  ai;

	if (v->app->check == NULL) {
		wlist_add(l, 0x10000000, theme_attr(THEME_DIM), "no check");
		return;
	}
	if (v->loc.part == VIEW_PART_SMTP) {
		raw_smtp(v, l);
		return;
	}
	if (v->loc.part == VIEW_PART_POLICY) {
		raw_policy(v, l);
		return;
	}
	ai = v->loc.addr;
	r = check_fetch(v->app->check);
	if (r == NULL || ai >= r->naddrs) {
		view_list_title(v, (enum check_status) - 1, "HTTP");
		wlist_add(l, 0x10000000, theme_attr(THEME_DIM),
		    "no fetch result (yet)");
	} else if (v->loc.part == VIEW_PART_HTTP)
		raw_http(v, l, r, &r->addrs[ai]);
	else
		raw_body(v, l, &r->addrs[ai]);
}
