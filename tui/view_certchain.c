#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "check_json.h"
#include "certinfo.h"
#include "mx_tls.h"
#include "smtp_probe.h"
#include "policy_fetch.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "view_list.h"
#include "widget_list.h"
#include "xmalloc.h"

/*
 * A certificate chain as the server sent it, leaf first: per certificate
 * subject, issuer, SANs (the one that matched highlighted), validity with
 * days left, key, signature algorithm, fingerprints and how it links to the
 * next one or to a trust anchor; then the verdict and where the anchor
 * came from.  The locator: for the fetch layer, addr is the policy host
 * address; for the mx_tls layer, host and addr the MX address.
 */
static void certchain_build(struct view *, struct wlist *);

static const struct view_list_ops certchain_list = {
	.build = certchain_build,
	.keys = VIEW_KEYS_SCROLL,
	.keys_ascii = VIEW_KEYS_SCROLL_ASCII,
};

const struct view_ops view_certchain_ops =
    VIEW_LIST_OPS("certchain", &certchain_list);

#define T_CERT(i, k) (0x10000ULL * ((uint64_t)(i) + 1) + (uint64_t)(k))

/* Finds the chain the locator names; NULL while it is not there. */
static int
certchain_find(struct view *v, const struct certinfo_chain **chain,
    const struct certinfo_verify **verify, const char **host,
    const char **where)
{
	const struct policy_fetch_result *r;
	const struct mx_tls_result	 *t;
	const struct mx_tls_host	 *h;
	const struct mx_tls_addr	 *a;
	size_t				  hi, ai;

	if (v->app->check == NULL)
		return -1;
	switch (v->loc.layer) {
	case CHECK_FETCH:
		if ((r = check_fetch(v->app->check)) == NULL ||
		    v->loc.addr >= r->naddrs)
			return -1;
		*chain = r->addrs[v->loc.addr].chain;
		*verify = r->addrs[v->loc.addr].verify;
		*host = r->host;
		*where = r->addrs[v->loc.addr].address;
		return *chain != NULL ? 0 : -1;
	case CHECK_MX_TLS:
		hi = v->loc.host;
		ai = v->loc.addr;
		if ((t = check_mx_tls(v->app->check)) == NULL ||
		    hi >= t->nhosts || ai >= t->hosts[hi].naddrs)
			return -1;
		h = &t->hosts[hi];
		a = &h->addrs[ai];
		if (a->probe == NULL || a->probe->chain == NULL)
			return -1;
		*chain = a->probe->chain;
		*verify = a->verify;
		*host = h->name;
		*where = a->address;
		return 0;
	default:
		return -1;
	}
}

static void
certchain_date(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(buf, len, "?");
	else
		strftime(buf, len, "%Y-%m-%d", &tm);
}

static void
certchain_cert(struct view *v, struct wlist *l, size_t i,
    const struct certinfo *ci, const struct certinfo_verify *vf)
{
	const struct certinfo_link *lk;
	char			   *s, nb[32], na[32];
	size_t			    k;
	attr_t			    a;
	int			    matched;

	wlist_add(l, T_CERT(i, 0), A_NORMAL, "%s", "");
	s = text_cleans(ci->subject);
	wlist_add(l, T_CERT(i, 1), theme_attr(THEME_SECTION), "#%zu %s%s%s", i,
	    i == 0	    ? "leaf"
		: ci->is_ca ? "CA"
			    : "certificate",
	    ci->self_signed ? ", self-signed" : "", "");
	wlist_add_wrapped(l, T_CERT(i, 2), A_NORMAL, "  subject   ", 12,
	    v->cols - 1, s);
	free(s);
	s = text_cleans(ci->issuer);
	wlist_add_wrapped(l, T_CERT(i, 0x10), A_NORMAL, "  issuer    ", 12,
	    v->cols - 1, s);
	free(s);
	for (k = 0; k < ci->ndns && k < 200; k++) {
		matched = i == 0 && vf != NULL && vf->matched_dns == (long)k;
		s = text_cleans(ci->dns_names[k]);
		a = matched ? theme_attr(THEME_MATCH) : A_NORMAL;
		wlist_add(l, T_CERT(i, 0x100 + k), A_NORMAL, "  %s",
		    k == 0 ? "SAN DNS   " : "          ");
		wlist_append(l, a, "%s", s);
		if (matched)
			wlist_append(l, theme_attr(THEME_MATCH), "  %s matched",
			    theme_ascii() ? "<-" : "\u2190");
		free(s);
	}
	if (ci->ndns == 0)
		wlist_add(l, T_CERT(i, 0x100),
		    i == 0 ? theme_attr(THEME_FAIL) : theme_attr(THEME_DIM),
		    "  SAN DNS   none%s",
		    i == 0 ? " (the CN does not count)" : "");
	for (k = 0; k < ci->nip && k < 50; k++)
		wlist_add(l, T_CERT(i, 0x400 + k), A_NORMAL, "  SAN IP    %s",
		    ci->ip_addrs[k]);
	certchain_date(nb, sizeof(nb), ci->not_before);
	certchain_date(na, sizeof(na), ci->not_after);
	wlist_add(l, T_CERT(i, 0x500), A_NORMAL, "  valid     %s to %s  ", nb,
	    na);
	if (ci->days_left < 0)
		wlist_append(l, theme_attr(THEME_FAIL), "expired %ld days ago",
		    -ci->days_left);
	else
		wlist_append(l,
		    ci->days_left < 14 ? theme_attr(THEME_WARN)
				       : theme_attr(THEME_PASS),
		    "%ld days left", ci->days_left);
	wlist_add(l, T_CERT(i, 0x501), A_NORMAL,
	    "  key       %s, "
	    "signature %s",
	    ci->key != NULL ? ci->key : "?",
	    ci->sig_alg != NULL ? ci->sig_alg : "?");
	wlist_add(l, T_CERT(i, 0x502), A_NORMAL, "  sha256    %s",
	    ci->fpr_sha256);
	wlist_add(l, T_CERT(i, 0x503), A_NORMAL, "  spki      %s",
	    ci->spki_sha256);
	if (vf == NULL || i >= vf->nlinks)
		return;
	lk = &vf->links[i];
	if (lk->signed_by_next == 1)
		wlist_add(l, T_CERT(i, 0x510), theme_attr(THEME_PASS),
		    "  link      signed by #%zu", i + 1);
	else if (lk->signed_by_next == 0)
		wlist_add(l, T_CERT(i, 0x510), theme_attr(THEME_FAIL),
		    "  link      NOT signed by #%zu", i + 1);
	else
		wlist_add(l, T_CERT(i, 0x510), A_NORMAL,
		    "  link      last certificate sent");
	if (lk->is_anchor)
		wlist_add(l, T_CERT(i, 0x511), A_NORMAL,
		    "  anchor    this certificate is in the trust store");
	else if (lk->anchor != NULL) {
		s = text_cleans(lk->anchor);
		wlist_add_wrapped(l, T_CERT(i, 0x511), theme_attr(THEME_PASS),
		    "  anchor    issued by ", 12, v->cols - 1, s);
		free(s);
	}
	wlist_add(l, T_CERT(i, 0x530), theme_attr(THEME_DIM), "  %s",
	    lk->in_path ? "on the judged path" : "not on the judged path");
}

static void
certchain_build(struct view *v, struct wlist *l)
{
	const struct certinfo_chain  *ch = NULL;
	const struct certinfo_verify *vf = NULL;
	const char		     *host = NULL, *where = NULL;
	char			     *s, *hs;
	size_t			      i;

	if (certchain_find(v, &ch, &vf, &host, &where) != 0) {
		view_list_title(v, (enum check_status) - 1,
		    "certificate chain");
		wlist_add(l, 1, theme_attr(THEME_DIM), "%s",
		    check_is_snapshot(v->app->check)
			? "the scan did not keep a chain here; r checks live"
			: "no chain here (yet)");
		return;
	}
	hs = text_cleans(host);
	view_list_title(v, (enum check_status) - 1,
	    "certificate chain of %s at %s", hs, where);
	if (vf != NULL) {
		wlist_add(l, 2,
		    vf->verdict == CERTINFO_OK ? theme_attr(THEME_PASS)
					       : theme_attr(THEME_FAIL),
		    "verdict: %s", certinfo_verdict_name(vf->verdict));
		s = text_cleans(vf->detail);
		wlist_add_wrapped(l, 3, A_NORMAL, "  ", 2, v->cols - 1, s);
		free(s);
		s = text_cleans(vf->anchor);
		wlist_add_wrapped(l, 0x40, A_NORMAL, "trust anchor: ", 14,
		    v->cols - 1, vf->anchor != NULL ? s : "none reached");
		free(s);
		wlist_add(l, 0x80, A_NORMAL, "anchors from: %s",
		    vf->anchor_source != NULL ? vf->anchor_source : "?");
	}
	wlist_add(l, 0x81, theme_attr(THEME_DIM),
	    "%zu certificate%s as the "
	    "server sent them, leaf first; reference name %s",
	    ch->ncerts, ch->ncerts == 1 ? "" : "s", hs);
	free(hs);
	for (i = 0; i < ch->ncerts; i++)
		certchain_cert(v, l, i, &ch->certs[i], vf);
}
