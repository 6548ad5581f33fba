#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_json.h"
#include "keys.h"
#include "mx_lookup.h"
#include "mx_match.h"
#include "policy_parse.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "view_list.h"
#include "widget_list.h"
#include "xmalloc.h"

/*
 * The MX x pattern matrix: MX hosts (preference, name, addresses) against
 * the policy's mx patterns, each cell match or no match; uncovered hosts
 * and unused patterns marked.  Below it, the host under the cursor: its
 * addresses and, per pattern, why it does or does not match, in words
 * (mx_match_explain).  Per-address TLS results of that host come from the
 * mx_tls layer (mxmatch_tls(), the hook for the engine's accessor).
 */
struct mxmatch_data {
	size_t cur; /* MX index the preview shows */
};

static void mxmatch_init(struct view *);
static void mxmatch_build(struct view *, struct wlist *);
static int  mxmatch_key(struct view *, struct wlist *, int);

static const struct view_list_ops mxmatch_list = {
	.size = sizeof(struct mxmatch_data),
	.init = mxmatch_init,
	.build = mxmatch_build,
	.key = mxmatch_key,
	.keys = "\u2191\u2193 move (details follow the MX)  Tab next \u25b8  "
		"\u23ce open  Esc back  ? help  q quit",
	.keys_ascii = "j/k move (details follow the MX)  Tab next >  Enter "
		      "open  Esc back  ? help  q quit",
};

const struct view_ops view_mxmatch_ops =
    VIEW_LIST_OPS("mxmatch", &mxmatch_list);

#define T_PAT(j)     (0x1000ULL + (uint64_t)(j))
#define T_ROW(i)     (0x10000ULL + (uint64_t)(i))
#define T_PREV(k)    (0x100000ULL + (uint64_t)(k))
#define MXMATCH_CELL 4

static void
mxmatch_init(struct view *v)
{
	/* The cursor starts on the first MX row, not on the legend. */
	wlist_select_tag(view_list_lines(v), T_ROW(0));
}

/*
 * The mx_tls layer's results for host: one line per address (STARTTLS,
 * TLS version, certificate verdict) with links to the address's chain
 * and SMTP dialogue.
 */
static void
mxmatch_tls(struct view *v, struct wlist *l, const struct mx_host *h,
    uint64_t *tag)
{
	size_t hi;

	if (view_mxtls_host(v->app, h->name, &hi) == NULL) {
		wlist_add(l, T_PREV((*tag)++), theme_attr(THEME_DIM),
		    "  TLS per address: %s",
		    v->app->check != NULL && check_mx_tls(v->app->check) == NULL
			? (check_is_snapshot(v->app->check)
				  ? "the scan did not keep them; r checks live"
				  : "waiting for the mx_tls layer")
			: "this host was not probed");
		return;
	}
	view_add_mxtls_addrs(v, l, hi, T_PREV(*tag), "  ");
	*tag += 16 * VIEW_MXTLS_MAX;
}

static void
mxmatch_preview(struct view *v, struct wlist *l, const struct mx_set *m,
    const struct policy *p)
{
	struct mxmatch_data  *d = view_list_data(v);
	const struct mx_host *h;
	enum mx_match_result  r;
	uint64_t	      tag = 0;
	size_t		      j, k;
	char		     *why, *s, *pat;

	if (d->cur >= m->nhost)
		return;
	h = &m->host[d->cur];
	s = text_cleans(h->name);
	view_add_section(l, 40, "");
	wlist_append(l, theme_attr(THEME_SECTION), "MX %s, preference %u%s", s,
	    h->pref, h->implicit ? " (implicit: the domain itself)" : "");
	free(s);
	if (h->cname != NULL) {
		s = text_cleans(h->cname);
		wlist_add(l, T_PREV(tag++), A_NORMAL, "  CNAME to %s", s);
		free(s);
	}
	for (k = 0; k < h->addrs.n && k < 32; k++)
		wlist_add(l, T_PREV(tag++), A_NORMAL, "  address %s",
		    h->addrs.addr[k]);
	if (h->addrs.n == 0)
		wlist_add(l, T_PREV(tag++), theme_attr(THEME_FAIL),
		    "  no address");
	for (j = 0; p != NULL && j < p->nmx; j++) {
		r = mx_match_explain(p->mx[j].pattern, h->name, &why);
		pat = text_cleans(p->mx[j].pattern);
		s = text_cleans(why);
		wlist_add(l, T_PREV(tag++),
		    r == MX_MATCH_NONE || r == MX_MATCH_BAD_PATTERN
			? theme_attr(THEME_DIM)
			: theme_attr(THEME_MATCH),
		    "  P%zu %s: %s", j + 1, pat,
		    r == MX_MATCH_EXACT		    ? "exact match"
			: r == MX_MATCH_WILDCARD    ? "wildcard match"
			: r == MX_MATCH_BAD_PATTERN ? "invalid pattern"
						    : "no match");
		wlist_add_wrapped(l, T_PREV(tag), A_NORMAL, "      ", 6,
		    v->cols - 1, s);
		tag += 16;
		free(pat);
		free(s);
		free(why);
	}
	if (h->why != NULL) {
		s = text_cleans(h->why);
		wlist_add_wrapped(l, T_PREV(tag), A_NORMAL, "  verdict: ", 11,
		    v->cols - 1, s);
		tag += 16;
		free(s);
	}
	mxmatch_tls(v, l, h, &tag);
}

static void
mxmatch_build(struct view *v, struct wlist *l)
{
	const struct mx_set  *m = NULL;
	const struct policy  *p = NULL;
	const struct mx_host *h;
	const char	    **hosts = NULL, **pats = NULL;
	long		     *first = NULL;
	int		     *used = NULL, namew, ncell, x;
	size_t		      i, j;
	struct wlist_item    *it;
	enum mx_match_result  r;
	char		     *s;
	const char	     *sym;

	view_list_title(v,
	    v->app->check != NULL ? check_layer_status(v->app->check, CHECK_MX)
				  : CHECK_SKIP,
	    "MX x pattern matrix");
	if (v->app->check != NULL) {
		m = check_mx(v->app->check);
		p = check_policy(v->app->check);
	}
	if (m == NULL) {
		wlist_add(l, 1, theme_attr(THEME_DIM),
		    "waiting for the MX "
		    "layer");
		return;
	}
	if (p == NULL || p->nmx == 0)
		wlist_add(l, 2, theme_attr(THEME_WARN),
		    "no usable policy "
		    "patterns: nothing covers any MX");
	hosts = xcalloc(m->nhost + 1, sizeof(*hosts));
	first = xcalloc(m->nhost + 1, sizeof(*first));
	for (i = 0; i < m->nhost; i++)
		hosts[i] = m->host[i].name;
	if (p != NULL && p->nmx > 0) {
		pats = xcalloc(p->nmx, sizeof(*pats));
		used = xcalloc(p->nmx, sizeof(*used));
		for (j = 0; j < p->nmx; j++)
			pats[j] = p->mx[j].pattern;
		mx_match_coverage(hosts, m->nhost, pats, p->nmx, first, used);
	}
	/* Legend: the patterns, numbered as the columns. */
	for (j = 0; p != NULL && j < p->nmx; j++) {
		s = text_cleans(p->mx[j].pattern);
		wlist_add(l, T_PAT(j), A_NORMAL, "P%-3zu %s", j + 1, s);
		wlist_append(l, theme_attr(THEME_DIM), "  (line %u)",
		    p->mx[j].lineno);
		if (!used[j])
			wlist_append(l, theme_attr(THEME_WARN),
			    "  unused: covers no MX");
		free(s);
	}
	/* Column widths: the host name gets what the cells leave. */
	ncell = p != NULL ? (int)p->nmx : 0;
	namew = v->cols - 6 - 12 - ncell * MXMATCH_CELL;
	if (namew > 48)
		namew = 48;
	if (namew < 16) {
		namew = 16;
		ncell = (v->cols - 6 - 12 - namew) / MXMATCH_CELL;
		if (ncell < 0)
			ncell = 0;
	}
	wlist_add(l, 3, theme_attr(THEME_SECTION), "%s", "");
	wlist_add(l, 4, theme_attr(THEME_SECTION), "pref  %-*s", namew,
	    "MX host");
	for (x = 0; x < ncell; x++)
		wlist_append(l, theme_attr(THEME_SECTION), "P%-3d", x + 1);
	if (p != NULL && ncell < (int)p->nmx)
		wlist_append(l, theme_attr(THEME_SECTION), "%s",
		    theme_sym(SYM_DOTS));
	for (i = 0; i < m->nhost; i++) {
		h = &m->host[i];
		s = text_cleans(h->name);
		it = wlist_add(l, T_ROW(i), A_NORMAL, "%4u  %-*.*s", h->pref,
		    namew, namew, s);
		it->arg = i + 1;
		free(s);
		for (x = 0; x < ncell; x++) {
			r = mx_match(p->mx[x].pattern, h->name);
			/* Pad by columns: the symbols may be multibyte. */
			sym = theme_sym(
			    r == MX_MATCH_EXACT || r == MX_MATCH_WILDCARD
				? SYM_YES
				: SYM_NO);
			wlist_append(l,
			    theme_attr(
				r == MX_MATCH_EXACT || r == MX_MATCH_WILDCARD
				    ? THEME_MATCH
				    : THEME_DIM),
			    "%s%*s", sym, MXMATCH_CELL - text_width(sym), "");
		}
		if (p != NULL && p->nmx > 0)
			wlist_append(l,
			    first[i] >= 0 ? theme_attr(THEME_PASS)
					  : theme_attr(THEME_FAIL),
			    " %s", first[i] >= 0 ? "covered" : "UNCOVERED");
	}
	if (m->nhost == 0)
		wlist_add(l, 5, theme_attr(THEME_DIM), "no MX hosts");
	mxmatch_preview(v, l, m, p);
	free(hosts);
	free(first);
	free(pats);
	free(used);
}

static int
mxmatch_key(struct view *v, struct wlist *l, int key)
{
	struct mxmatch_data *d = view_list_data(v);
	struct wlist_item   *it;

	if (wlist_key(l, key)) {
		it = wlist_selected(l);
		if (it != NULL && it->arg > 0 && it->arg - 1 != d->cur) {
			d->cur = it->arg - 1;
			return APP_REDRAW | APP_UPDATE;
		}
		return APP_REDRAW;
	}
	/* Enter on an MX row: to its first address's line. */
	it = wlist_selected(l);
	if (!keys_is_enter(key) || it == NULL || it->link || it->arg == 0)
		return APP_UNHANDLED;
	d->cur = it->arg - 1;
	if (wlist_next_link(l, 1) == 0)
		app_message(v->app, 0, "%s",
		    check_is_snapshot(v->app->check)
			? "the scan kept no TLS results for this MX; r checks "
			  "live"
			: "no TLS results for this MX (yet)");
	return APP_REDRAW | APP_UPDATE;
}
