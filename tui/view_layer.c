#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "check_json.h"
#include "certinfo.h"
#include "dane.h"
#include "layer_dane.h"
#include "dns.h"
#include "finding.h"
#include "history.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "pane.h"
#include "policy_fetch.h"
#include "policy_parse.h"
#include "smtp_probe.h"
#include "sts_record.h"
#include "summary.h"
#include "text.h"
#include "theme.h"
#include "tlsrpt_record.h"
#include "verdict.h"
#include "view.h"
#include "view_list.h"
#include "widget_list.h"
#include "xmalloc.h"

/*
 * The detail of one layer: its summary, every finding (severity, code,
 * rule ids, message, fix) and the raw evidence, with links to the
 * certificate chain, HTTP, policy body and MX matrix views.
 */
static void layer_init(struct view *);
static void layer_build(struct view *, struct wlist *);

static const struct view_list_ops layer_list = {
	.init = layer_init,
	.build = layer_build,
	.keys = "\u2191\u2193 PgUp/PgDn move  Tab next \u25b8  \u23ce open  "
		"Esc back  ? help  q quit",
	.keys_ascii = "j/k PgUp/PgDn move  Tab next >  Enter open  Esc back  "
		      "? help  q quit",
};

const struct view_ops view_layer_ops = VIEW_LIST_OPS("layer", &layer_list);

/* Evidence tags: one block of 0x10000 per kind, index inside. */
#define T_EV(kind, i) (0x100000ULL * (uint64_t)(kind) + (uint64_t)(i)*16)

static void
layer_init(struct view *v)
{
	view_list_title(v, (enum check_status) - 1, "%s: detail",
	    check_layer_name(v->loc.layer));
}

/* A TXT RRset as DNS returned it: every character-string on its own. */
static void
layer_txt(struct wlist *l, const struct dns_answer *a, int kind)
{
	const struct dns_rr *rr;
	size_t		     i, k, total;
	char		    *s;

	if (a == NULL) {
		wlist_add(l, T_EV(kind, 0), theme_attr(THEME_DIM),
		    "  no answer yet");
		return;
	}
	s = text_cleans(a->qname);
	wlist_add(l, T_EV(kind, 0), A_NORMAL,
	    "  %s TXT: %s (rcode %d), "
	    "AD bit %s, %u ms",
	    s, dns_status_name(a->status), a->rcode, a->ad ? "set" : "not set",
	    a->elapsed_ms);
	free(s);
	for (i = 0; i < a->ncname; i++) {
		s = text_cleans(a->cname[i]);
		wlist_add(l, T_EV(kind, 1) + i, A_NORMAL, "  CNAME %s %s",
		    theme_sym(SYM_LINK), s);
		free(s);
	}
	if (a->error != NULL) {
		s = text_cleans(a->error);
		wlist_add(l, T_EV(kind, 2), theme_attr(THEME_FAIL), "  %s", s);
		free(s);
	}
	for (i = 0; i < a->nrr; i++) {
		rr = &a->rr[i];
		for (k = 0, total = 0; k < rr->nstr; k++)
			total += rr->str[k].len;
		wlist_add(l, T_EV(kind, 16 + i * 64), A_NORMAL,
		    "  RR %zu: TTL %u, %zu string%s, %zu bytes joined", i + 1,
		    rr->ttl, rr->nstr, rr->nstr == 1 ? "" : "s", total);
		for (k = 0; k < rr->nstr && k < 60; k++) {
			s = text_clean((const char *)rr->str[k].data,
			    rr->str[k].len);
			wlist_add(l, T_EV(kind, 16 + i * 64 + 1 + k), A_NORMAL,
			    "    [%zu] ", k + 1);
			wlist_append(l, theme_attr(THEME_MARK), "\"");
			wlist_append(l, A_NORMAL, "%s", s);
			wlist_append(l, theme_attr(THEME_MARK), "\"");
			wlist_append(l, theme_attr(THEME_DIM), "  %zu B",
			    rr->str[k].len);
			free(s);
		}
	}
	if (a->nrr == 0)
		wlist_add(l, T_EV(kind, 3), theme_attr(THEME_DIM),
		    "  no TXT records");
}

static void
layer_dns(struct view *v, struct wlist *l)
{
	const struct check	*c = v->app->check;
	const struct sts_record *r = check_sts_record(c);
	const struct sts_field	*f;
	size_t			 i;
	char			*s, *t;

	view_add_section(l, 10, "TXT records as DNS returned them");
	layer_txt(l, check_sts_answer(c), 1);
	if (r == NULL)
		return;
	view_add_section(l, 11, "The v=STSv1 record");
	wlist_add(l, T_EV(2, 0), A_NORMAL,
	    "  %zu RR%s, %zu v=STSv1 "
	    "candidate%s: %s",
	    r->nrrs, r->nrrs == 1 ? "" : "s", r->ncandidates,
	    r->ncandidates == 1 ? "" : "s",
	    r->status == STS_RECORD_ONE ? (r->valid ? "valid" : "INVALID")
		: r->status == STS_RECORD_MULTIPLE ? "several: MTA-STS is off"
						   : "none: not deployed");
	if (r->raw != NULL) {
		s = text_clean(r->raw, r->rawlen);
		wlist_add(l, T_EV(2, 1), A_NORMAL, "  joined: ");
		wlist_append(l, theme_attr(THEME_MARK), "\"");
		wlist_append(l, A_NORMAL, "%s", s);
		wlist_append(l, theme_attr(THEME_MARK), "\"");
		free(s);
	}
	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		s = text_cleans(f->name);
		t = text_cleans(f->value);
		wlist_add(l, T_EV(2, 2 + i),
		    f->known ? A_NORMAL : theme_attr(THEME_DIM),
		    "  %-10s = %s%s%s", s, t,
		    f->duplicate ? "  (repeat: ignored)" : "",
		    f->known ? "" : "  (unknown field)");
		free(s);
		free(t);
	}
}

static void
layer_fetch(struct view *v, struct wlist *l)
{
	const struct check		 *c = v->app->check;
	const struct dns_addrs		 *da = check_policy_host_addrs(c);
	const struct policy_fetch_result *r = check_fetch(c);
	const struct policy_fetch_addr	 *a;
	struct wlist_item		 *it;
	size_t				  i;
	char				 *s;

	view_add_section(l, 10, "Policy host");
	if (da != NULL) {
		wlist_add(l, T_EV(1, 0), A_NORMAL,
		    "  mta-sts.%s: %zu "
		    "address%s (A %s, AAAA %s)",
		    check_domain(c), da->n, da->n == 1 ? "" : "es",
		    dns_status_name(da->status4), dns_status_name(da->status6));
		for (i = 0; i < da->n; i++)
			wlist_add(l, T_EV(1, 1 + i), A_NORMAL, "    %s",
			    da->addr[i]);
		if (da->error != NULL) {
			s = text_cleans(da->error);
			wlist_add(l, T_EV(1, 500), theme_attr(THEME_FAIL),
			    "  %s", s);
			free(s);
		}
	}
	if (r == NULL)
		return;
	s = text_cleans(r->url);
	wlist_add(l, T_EV(1, 600), A_NORMAL, "  GET %s", s);
	free(s);
	for (i = 0; i < r->naddrs; i++) {
		a = &r->addrs[i];
		view_add_section(l, 20 + (int)i, a->address);
		wlist_append(l,
		    theme_attr(a->outcome == POLICY_FETCH_OK ? THEME_PASS
							     : THEME_FAIL),
		    "  %s", policy_fetch_outcome_name(a->outcome));
		wlist_append(l, A_NORMAL, "  %ld ms%s", a->elapsed_ms,
		    (long)i == r->body_addr ? "  (the body senders use)" : "");
		if (a->detail != NULL) {
			s = text_cleans(a->detail);
			wlist_add_wrapped(l, T_EV(3, i * 256), A_NORMAL, "  ",
			    2, v->cols - 1, s);
			free(s);
		}
		if (a->tls_version != NULL)
			wlist_add(l, T_EV(3, i * 256 + 32), A_NORMAL,
			    "  TLS: %s %s", a->tls_version,
			    a->tls_cipher != NULL ? a->tls_cipher : "");
		if (a->http_status != 0)
			wlist_add(l, T_EV(3, i * 256 + 33), A_NORMAL,
			    "  HTTP %ld, %zu bytes%s", a->http_status,
			    a->body_len, a->truncated ? " (truncated)" : "");
		if (a->chain != NULL) {
			it = wlist_add(l, T_EV(3, i * 256 + 34),
			    theme_attr(THEME_LINK),
			    "  %s certificate chain: "
			    "%zu certificate%s, %s",
			    theme_sym(SYM_LINK), a->chain->ncerts,
			    a->chain->ncerts == 1 ? "" : "s",
			    a->verify != NULL
				? certinfo_verdict_name(a->verify->verdict)
				: "?");
			view_link(it, CHECK_FETCH, VIEW_PART_CHAIN, 0, i);
		}
		it = wlist_add(l, T_EV(3, i * 256 + 35), theme_attr(THEME_LINK),
		    "  %s HTTP status and headers", theme_sym(SYM_LINK));
		view_link(it, CHECK_FETCH, VIEW_PART_HTTP, 0, i);
		if (a->body != NULL) {
			it = wlist_add(l, T_EV(3, i * 256 + 36),
			    theme_attr(THEME_LINK),
			    "  %s body as received "
			    "(%zu bytes)",
			    theme_sym(SYM_LINK), a->body_len);
			view_link(it, CHECK_FETCH, VIEW_PART_BODY, 0, i);
		}
	}
}

static void
layer_policy(struct view *v, struct wlist *l)
{
	const struct policy *p = check_policy(v->app->check);
	struct wlist_item   *it;
	size_t		     i;
	char		    *s, *d;

	if (p == NULL)
		return;
	view_add_section(l, 10, "The policy as senders read it");
	d = p->max_age >= 0 ? summary_duration(p->max_age) : xstrdup("missing");
	wlist_add(l, T_EV(1, 0), A_NORMAL,
	    "  version %s, mode %s, max_age "
	    "%s (%lld s)",
	    p->version_ok ? "STSv1" : "MISSING", policy_mode_name(p->mode), d,
	    (long long)p->max_age);
	free(d);
	wlist_add(l, T_EV(1, 1),
	    p->valid ? theme_attr(THEME_PASS) : theme_attr(THEME_FAIL),
	    "  %s%s", p->valid ? "valid" : "INVALID: senders ignore it",
	    p->truncated ? " (too long: the rest was not read)" : "");
	for (i = 0; i < p->nmx; i++) {
		s = text_cleans(p->mx[i].pattern);
		wlist_add(l, T_EV(2, i), A_NORMAL, "  mx: %s  (line %u)", s,
		    p->mx[i].lineno);
		free(s);
	}
	it = wlist_add(l, T_EV(3, 0), theme_attr(THEME_LINK),
	    "  %s policy "
	    "body, %zu lines, invisible characters shown",
	    theme_sym(SYM_LINK), p->nlines);
	view_link(it, CHECK_POLICY, VIEW_PART_POLICY, 0, 0);
	it = wlist_add(l, T_EV(3, 1), theme_attr(THEME_LINK),
	    "  %s MX x "
	    "pattern matrix",
	    theme_sym(SYM_LINK));
	view_link(it, CHECK_MX, VIEW_PART_MATRIX, 0, 0);
}

static void
layer_mx(struct view *v, struct wlist *l)
{
	const struct mx_set  *m = check_mx(v->app->check);
	const struct mx_host *h;
	struct wlist_item    *it;
	size_t		      i, k;
	char		     *s;

	if (m == NULL)
		return;
	view_add_section(l, 10, "MX hosts");
	wlist_add(l, T_EV(1, 0), A_NORMAL, "  MX query: %s%s%s, %u ms",
	    dns_status_name(m->status), m->null_mx ? ", null MX" : "",
	    m->implicit ? ", implicit MX (the domain itself)" : "",
	    m->elapsed_ms);
	for (i = 0; i < m->nhost; i++) {
		h = &m->host[i];
		s = text_cleans(h->name);
		wlist_add(l, T_EV(2, i * 64), A_NORMAL, "  %3u %s", h->pref, s);
		free(s);
		if (h->pattern >= 0)
			wlist_append(l, theme_attr(THEME_PASS), "  covered");
		else if (h->pattern == -1)
			wlist_append(l, theme_attr(THEME_FAIL), "  UNCOVERED");
		for (k = 0; k < h->addrs.n && k < 16; k++)
			wlist_add(l, T_EV(2, i * 64 + 1 + k), A_NORMAL,
			    "        %s", h->addrs.addr[k]);
		if (h->addrs.n == 0)
			wlist_add(l, T_EV(2, i * 64 + 1),
			    theme_attr(THEME_FAIL), "        no address%s%s",
			    h->addrs.error != NULL ? ": " : "",
			    h->addrs.error != NULL ? h->addrs.error : "");
		if (h->why != NULL)
			wlist_add_wrapped(l, T_EV(2, i * 64 + 20),
			    theme_attr(THEME_DIM), "        ", 8, v->cols - 1,
			    h->why);
	}
	if (m->ntruncated > 0)
		wlist_add(l, T_EV(1, 1), theme_attr(THEME_WARN),
		    "  %zu more "
		    "hosts left out",
		    m->ntruncated);
	it = wlist_add(l, T_EV(3, 0), theme_attr(THEME_LINK),
	    "  %s MX x pattern matrix", theme_sym(SYM_LINK));
	view_link(it, CHECK_MX, VIEW_PART_MATRIX, 0, 0);
	it = wlist_add(l, T_EV(3, 1), theme_attr(THEME_LINK),
	    "  %s STARTTLS per address (the mx_tls layer)",
	    theme_sym(SYM_LINK));
	view_link(it, CHECK_MX_TLS, VIEW_PART_LAYER, 0, 0);
}

/*
 * Per host and address: the summary line (Enter opens its chain), the
 * TLS parameters, the certificate verdict, the SNI-less and legacy
 * handshakes, and a link to the SMTP dialogue.
 */
static void
layer_mx_tls(struct view *v, struct wlist *l)
{
	const struct mx_tls_result     *r = check_mx_tls(v->app->check);
	const struct mx_tls_host       *h;
	const struct mx_tls_addr       *a;
	const struct smtp_probe_result *p;
	size_t				i, k;
	uint64_t			t;
	char			       *s;

	if (r == NULL)
		return;
	view_add_section(l, 10, "STARTTLS per MX address");
	s = text_cleans(r->trust_source);
	wlist_add(l, T_EV(1, 0), theme_attr(THEME_DIM),
	    "  trust anchors from %s; %ld ms", s, r->elapsed_ms);
	free(s);
	for (i = 0; i < r->nhosts && i < VIEW_MXTLS_MAX; i++) {
		h = &r->hosts[i];
		s = text_cleans(h->name);
		view_add_section(l, 20 + (int)i, "");
		wlist_append(l, theme_attr(THEME_SECTION),
		    "MX %s, preference %u", s, h->pref);
		free(s);
		if (h->skipped) {
			s = text_cleans(h->skip_reason);
			wlist_add(l, T_EV(2, i * 4096), theme_attr(THEME_DIM),
			    "  skipped: %s", s);
			free(s);
			continue;
		}
		view_add_mxtls_addrs(v, l, i, T_EV(2, i * 4096 + 16), "  ");
		for (k = 0; k < h->naddrs && k < VIEW_MXTLS_MAX; k++) {
			a = &h->addrs[k];
			t = T_EV(4, i * 4096 + k * 16);
			if ((p = a->probe) != NULL && p->tls)
				wlist_add(l, t, A_NORMAL, "  %s: %s %s, kx %s",
				    a->address,
				    p->tls_version != NULL ? p->tls_version
							   : "?",
				    p->tls_cipher != NULL ? p->tls_cipher : "?",
				    p->tls_kx != NULL ? p->tls_kx : "?");
			if (a->verify != NULL) {
				s = text_cleans(a->verify->detail);
				wlist_add(l, t + 1,
				    a->verify->verdict == CERTINFO_OK
					? theme_attr(THEME_PASS)
					: theme_attr(THEME_FAIL),
				    "  %s: certificate %s", a->address,
				    certinfo_verdict_name(a->verify->verdict));
				if (*s != '\0')
					wlist_add_wrapped(l, t + 2, A_NORMAL,
					    "    ", 4, v->cols - 1, s);
				free(s);
			}
			if (a->nosni != NULL)
				wlist_add(l, t + 8, A_NORMAL,
				    "  %s: without SNI: %s%s%s", a->address,
				    a->nosni->tls ? "handshake completes"
						  : "no handshake",
				    a->nosni->tls_version != NULL ? ", " : "",
				    a->nosni->tls_version != NULL
					? a->nosni->tls_version
					: "");
			if (a->legacy != NULL)
				wlist_add(l, t + 9, A_NORMAL,
				    "  %s: TLS 1.0/1.1 only: %s", a->address,
				    a->legacy->tls ? "accepted" : "refused");
		}
	}
}

/* Per MX host: the TLSA lookup and its records; per address the match. */
static void
layer_dane(struct view *v, struct wlist *l)
{
	const struct dane_result   *r = check_dane(v->app->check);
	const struct mx_tls_result *tr = check_mx_tls(v->app->check);
	const struct dane_host	   *h;
	const struct dane_rr	   *rr;
	const struct mx_tls_host   *th;
	size_t			    i, k;
	char			   *s, *sum;

	if (r == NULL)
		return;
	view_add_section(l, 10, "TLSA records per MX host");
	wlist_add(l, T_EV(1, 0), A_NORMAL, "  MX query: %s, %s",
	    dns_status_name(r->mx_status),
	    r->mx_ad ? "DNSSEC secure" : "not DNSSEC secure");
	for (i = 0; i < r->nhosts && i < VIEW_MXTLS_MAX; i++) {
		h = &r->hosts[i];
		sum = dane_summary(r, h, NULL);
		s = text_cleans(sum);
		wlist_add_wrapped(l, T_EV(2, i * 4096),
		    theme_attr(THEME_SECTION), "  ", 4, v->cols - 1, s);
		free(s);
		free(sum);
		s = text_cleans(h->qname);
		wlist_add(l, T_EV(2, i * 4096 + 1), A_NORMAL, "    %s: %s, %s",
		    s, dns_status_name(h->status), dane_dnssec_name(h->dnssec));
		free(s);
		if (h->error != NULL) {
			s = text_cleans(h->error);
			wlist_add(l, T_EV(2, i * 4096 + 2),
			    theme_attr(THEME_FAIL), "    %s", s);
			free(s);
		}
		for (k = 0; k < h->nrrs && k < 64; k++) {
			rr = &h->rrs[k];
			wlist_add(l, T_EV(2, i * 4096 + 16 + k),
			    rr->check == DANE_RR_USABLE
				? A_NORMAL
				: theme_attr(THEME_WARN),
			    "    TLSA %u %u %u (%zu bytes): %s", rr->usage,
			    rr->selector, rr->mtype, rr->datalen,
			    dane_rr_check_name(rr->check));
		}
		if (tr == NULL ||
		    (th = view_mxtls_host(v->app, h->name, NULL)) == NULL)
			continue;
		for (k = 0; k < th->naddrs && k < VIEW_MXTLS_MAX; k++) {
			sum = dane_summary(r, h, &th->addrs[k]);
			s = text_cleans(sum);
			wlist_add_wrapped(l, T_EV(2, i * 4096 + 128 + k),
			    A_NORMAL, "    ", 6, v->cols - 1, s);
			free(s);
			free(sum);
		}
	}
}

static void
layer_tlsrpt(struct view *v, struct wlist *l)
{
	const struct check	   *c = v->app->check;
	const struct tlsrpt_record *r = check_tlsrpt_record(c);
	const struct tlsrpt_uri	   *u;
	size_t			    i;
	char			   *s, *t;

	view_add_section(l, 10, "TXT records as DNS returned them");
	layer_txt(l, check_tlsrpt_answer(c), 1);
	if (r == NULL)
		return;
	view_add_section(l, 11, "The v=TLSRPTv1 record");
	wlist_add(l, T_EV(2, 0), A_NORMAL, "  %zu RR%s, %zu candidate%s: %s",
	    r->nrrs, r->nrrs == 1 ? "" : "s", r->ncandidates,
	    r->ncandidates == 1 ? "" : "s",
	    r->status == TLSRPT_RECORD_ONE
		? (r->usable	     ? "usable"
			  : r->valid ? "valid, no usable destination"
				     : "INVALID")
		: r->status == TLSRPT_RECORD_MULTIPLE ? "several: reporters "
							"ignore them all"
						      : "none");
	for (i = 0; i < r->nuris; i++) {
		u = &r->uris[i];
		s = text_cleans(u->uri);
		t = text_cleans(u->target);
		wlist_add(l, T_EV(3, i),
		    u->usable ? A_NORMAL : theme_attr(THEME_FAIL),
		    "  rua %s  (%s%s%s)%s", s, tlsrpt_scheme_name(u->scheme),
		    u->target != NULL ? " " : "", u->target != NULL ? t : "",
		    u->usable ? "" : "  not usable");
		free(s);
		free(t);
	}
}

static void
layer_history(struct view *v, struct wlist *l)
{
	const struct history_result *h = check_history(v->app->check);
	char			     when[64];
	struct tm		     tm;

	if (h == NULL)
		return;
	view_add_section(l, 10, "Earlier runs on this machine");
	wlist_add(l, T_EV(1, 0), A_NORMAL, "  file: %s",
	    h->path != NULL ? h->path : "(none)");
	if (h->had_previous) {
		when[0] = '\0';
		if (gmtime_r(&h->prev_seen, &tm) != NULL)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		wlist_add(l, T_EV(1, 1), A_NORMAL, "  last seen %s: id %s",
		    when, h->prev_id != NULL ? h->prev_id : "-");
		wlist_add(l, T_EV(1, 2), A_NORMAL, "    body sha256 %s",
		    h->prev_sha256 != NULL ? h->prev_sha256 : "-");
	} else
		wlist_add(l, T_EV(1, 1), A_NORMAL,
		    "  no earlier run on record");
	wlist_add(l, T_EV(1, 3), A_NORMAL, "  now: id %s",
	    h->id != NULL ? h->id : "-");
	wlist_add(l, T_EV(1, 4), A_NORMAL, "    body sha256 %s",
	    h->sha256 != NULL ? h->sha256 : "-");
	wlist_add(l, T_EV(1, 5), A_NORMAL, "  %s",
	    h->written ? "this run was recorded" : "this run was not recorded");
	if (h->error != NULL)
		wlist_add(l, T_EV(1, 6), theme_attr(THEME_WARN), "  %s",
		    h->error);
}

/* One kind of sender: what it does at every MX host. */
static void
layer_verdict_view(struct wlist *l, const struct verdict *vd,
    const struct verdict_view *w, size_t idx)
{
	const struct verdict_host *h;
	size_t			   i;

	if (vd->nviews > 1)
		wlist_add(l, T_EV(4, idx * 64), A_BOLD, "  %s senders (%s): %s",
		    verdict_sender_name(w->sender),
		    w->has_policy ? policy_mode_name(w->mode) : "no policy",
		    w->summary);
	for (i = 0; i < w->nhosts && i < 63; i++) {
		h = &w->hosts[i];
		wlist_add(l, T_EV(4, idx * 64 + i + 1),
		    verdict_outcome_delivers(h->outcome)
			? theme_attr(THEME_PASS)
			: theme_attr(THEME_FAIL),
		    "    %u %s: %s%s%s", h->pref, h->name,
		    verdict_outcome_name(h->outcome),
		    h->why != NULL ? " - " : "", h->why != NULL ? h->why : "");
	}
}

static void
layer_verdict(struct view *v, struct wlist *l)
{
	const struct check	  *c = v->app->check;
	const struct verdict	  *vd = check_verdict(c);
	struct wlist_item	  *it;
	enum check_layer	   bl;
	size_t			   i;
	int			   code, k;
	const struct finding_list *fl;

	if (vd == NULL)
		return;
	view_add_section(l, 10, "What a sender applies today");
	wlist_add_wrapped(l, T_EV(1, 0), A_NORMAL, "  ", 2, v->cols - 1,
	    vd->reason != NULL ? vd->reason : "-");
	wlist_add(l, T_EV(1, 32), A_NORMAL, "  policy applied: %s (%s)",
	    vd->policy_applied ? "yes" : "no",
	    vd->mode != NULL ? vd->mode : "strict senders get no policy");
	wlist_add(l, T_EV(1, 33),
	    vd->enforce_ready ? theme_attr(THEME_PASS) : theme_attr(THEME_FAIL),
	    "  enforce %s", vd->enforce_ready ? "is safe" : "is not safe yet");
	view_add_section(l, 12, "Delivery now");
	wlist_add_wrapped(l, T_EV(1, 34), A_NORMAL, "  ", 2, v->cols - 1,
	    vd->delivery);
	for (i = 0; i < vd->nviews; i++)
		layer_verdict_view(l, vd, &vd->views[i], i);
	view_add_section(l, 13, "Next safe step");
	wlist_add_wrapped(l, T_EV(1, 35), A_NORMAL, "  ", 2, v->cols - 1,
	    vd->next);
	view_add_section(l, 11, "Blockers (Enter opens the layer)");
	for (i = 0; i < vd->nblockers; i++) {
		code = (int)vd->blockers[i].code;
		bl = CHECK_VERDICT;
		for (k = 0; k < CHECK_LAYER__COUNT; k++) {
			fl = check_layer_findings(c, (enum check_layer)k);
			if (fl != NULL &&
			    finding_list_find(fl, (enum finding_code)code, 0) >=
				0) {
				bl = (enum check_layer)k;
				break;
			}
		}
		it = wlist_add(l, T_EV(2, i), theme_attr(THEME_LINK),
		    "  %s %s %s  (%s)", theme_sym(SYM_LINK),
		    finding_code_name(vd->blockers[i].code),
		    vd->blockers[i].subject != NULL ? vd->blockers[i].subject
						    : "",
		    check_layer_name(bl));
		view_link(it, bl, VIEW_PART_LAYER, 0, 0)->code = code;
	}
	if (vd->nblockers == 0)
		wlist_add(l, T_EV(2, 0), theme_attr(THEME_PASS), "  none");
	view_add_section(l, 14, "Hygiene (changes no delivery)");
	for (i = 0; i < vd->nhygiene; i++)
		wlist_add_wrapped(l, T_EV(3, i), theme_attr(THEME_WARN), "  ",
		    2, v->cols - 1, vd->hygiene[i].why);
	if (vd->nhygiene == 0)
		wlist_add(l, T_EV(3, 0), theme_attr(THEME_PASS), "  none");
	wlist_add(l, T_EV(1, 36), A_NORMAL, "  exit status %d: %s",
	    vd->exit_status, vd->exit_why);
}

/*
 * Layers this view has no special evidence for: their summary and
 * findings are shown, and why they were skipped.
 */
static void
layer_generic(struct view *v, struct wlist *l)
{
	const char *skip = check_layer_skip_reason(v->app->check, v->loc.layer);

	if (skip != NULL) {
		view_add_section(l, 10, "Skipped");
		wlist_add(l, T_EV(1, 0), A_NORMAL, "  %s", skip);
	}
}

/*
 * The layers with evidence of their own below their summary and findings,
 * by layer; any other layer shows only those, and why it was skipped.
 */
static const struct {
	enum check_layer layer;
	void (*add)(struct view *, struct wlist *);
	int skip; /* also say why it was skipped */
} layer_specials[] = {
	{ CHECK_DNS, layer_dns, 0 },
	{ CHECK_FETCH, layer_fetch, 0 },
	{ CHECK_POLICY, layer_policy, 0 },
	{ CHECK_MX, layer_mx, 0 },
	{ CHECK_MX_TLS, layer_mx_tls, 1 },
	{ CHECK_DANE, layer_dane, 1 },
	{ CHECK_TLSRPT, layer_tlsrpt, 0 },
	{ CHECK_HISTORY, layer_history, 0 },
	{ CHECK_VERDICT, layer_verdict, 0 },
};

static void
layer_special(struct view *v, struct wlist *l)
{
	size_t i;

	for (i = 0; i < sizeof(layer_specials) / sizeof(layer_specials[0]);
	     i++) {
		if (layer_specials[i].layer != v->loc.layer)
			continue;
		layer_specials[i].add(v, l);
		if (layer_specials[i].skip)
			layer_generic(v, l);
		return;
	}
	layer_generic(v, l);
}

static void
layer_build(struct view *v, struct wlist *l)
{
	const struct check	  *c = v->app->check;
	const struct finding_list *fl;
	struct summary		   s;
	enum check_status	   st;
	size_t			   i;
	long			   fi;

	if (c == NULL) {
		wlist_add(l, 1, theme_attr(THEME_DIM), "no check");
		view_list_title(v, CHECK_SKIP, "%s: detail",
		    check_layer_name(v->loc.layer));
		return;
	}
	st = check_layer_status(c, v->loc.layer);
	view_list_title(v, st, "%s: detail", check_layer_name(v->loc.layer));
	view_add_section(l, 0, "Summary");
	if (st == CHECK_PENDING || st == CHECK_RUNNING) {
		wlist_add(l, 0x10, theme_attr(THEME_DIM), "  %s",
		    st == CHECK_RUNNING ? "running..."
					: "waiting for its inputs");
	} else {
		summary_layer(&s, c, v->loc.layer, v->app->ascii);
		for (i = 0; i < s.n; i++)
			wlist_add_wrapped(l, 0x400 + i * 16, A_NORMAL, "  ", 4,
			    v->cols - 1, s.line[i]);
		if (s.n == 0)
			wlist_add(l, 0x10, theme_attr(THEME_DIM), "  -");
		summary_clear(&s);
		wlist_add(l, 0x30, theme_attr(THEME_DIM), "  %s in %u ms",
		    pane_status_word(st),
		    check_layer_elapsed_ms(c, v->loc.layer));
	}
	view_add_section(l, 1, "Findings");
	view_add_findings(l, check_layer_findings(c, v->loc.layer), v->cols);
	layer_special(v, l);
	/* A scan's record without this layer's details: say so, not "yet". */
	if (check_is_snapshot(c) && !check_json_kept(c, v->loc.layer) &&
	    st != CHECK_SKIP) {
		view_add_section(l, 0x7000, "Details");
		wlist_add(l, 0x7010, theme_attr(THEME_DIM),
		    "  the scan did not keep this layer's details; "
		    "r checks live");
	}
	/* Opened on a finding (b, a blocker): the cursor on it, once. */
	if (v->loc.code >= 0 && v->app->check != NULL &&
	    (fl = check_layer_findings(v->app->check, v->loc.layer)) != NULL &&
	    (fi = finding_list_find(fl, (enum finding_code)v->loc.code, 0)) >=
		0)
		wlist_select_tag(l, VIEW_TAG_FINDING((size_t)fi));
	v->loc.code = -1;
}
