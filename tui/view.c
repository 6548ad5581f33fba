#include "config.h"
#include "view.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "app.h"
#include "finding.h"
#include "keys.h"
#include "layer_mx_tls.h"
#include "mx_tls.h"
#include "smtp_probe.h"
#include "certinfo.h"
#include "pane.h"
#include "strbuf.h"
#include "text.h"
#include "theme.h"
#include "view_list.h"
#include "widget_list.h"
#include "xmalloc.h"

#define VIEW_TEXT_MAX (16u * 1024 * 1024) /* a saved view, at most */

int
view_draw_title(struct view *v, const char *title, enum check_status st)
{
	char buf[64];
	int  x;

	text_fill(v->win, 0, 0, v->cols, theme_sym(SYM_HLINE),
	    theme_attr(THEME_DIM));
	x = text_draw(v->win, 0, 0, v->cols, theme_sym(SYM_HLINE),
	    theme_attr(THEME_DIM));
	x += text_draw(v->win, 0, x, v->cols - x, " ", A_NORMAL);
	x += text_draw(v->win, 0, x, v->cols - x, title,
	    theme_attr(THEME_TITLE));
	x += text_draw(v->win, 0, x, v->cols - x, " ", A_NORMAL);
	if ((int)st >= 0) {
		snprintf(buf, sizeof(buf), " %s %s ",
		    pane_status_sym(st, v->app->spin), pane_status_word(st));
		x += text_draw(v->win, 0, x, v->cols - x, buf,
		    theme_attr(pane_status_item(st)));
	}
	return x;
}

void
view_draw_list(struct view *v, struct wlist *l, const char *title,
    enum check_status st)
{
	char pos[32];
	int  pw, x;

	if (v->win == NULL)
		return;
	werase(v->win);
	x = view_draw_title(v, title, st);
	wlist_draw(l, v->win, 1, v->rows - 1, v->cols);
	/* Where the list is, at the right end of the title line. */
	if (wlist_position(l, pos, sizeof(pos)) &&
	    x + (pw = text_width(pos)) + 2 <= v->cols)
		text_draw(v->win, 0, v->cols - pw - 1, pw, pos,
		    theme_attr(THEME_DIM));
	wnoutrefresh(v->win);
}

void
view_add_section(struct wlist *l, int n, const char *title)
{
	wlist_add(l, VIEW_TAG_SECTION(n), A_NORMAL, "%s", "");
	wlist_add(l, VIEW_TAG_SECTION(n) + 1, theme_attr(THEME_SECTION), "%s",
	    title);
}

void
view_add_findings(struct wlist *l, const struct finding_list *fl, int cols)
{
	const struct finding *f;
	size_t		      i, n = fl != NULL ? finding_list_count(fl) : 0;
	uint64_t	      tag;
	attr_t		      sa;
	char		     *s;

	if (n == 0) {
		wlist_add(l, VIEW_TAG_FINDING(0), theme_attr(THEME_DIM),
		    "  no findings");
		return;
	}
	for (i = 0; i < n; i++) {
		f = finding_list_get(fl, i);
		tag = VIEW_TAG_FINDING(i);
		sa = theme_attr(pane_severity_item(f->severity));
		wlist_add(l, tag, sa, "%s %-7s ",
		    pane_severity_sym(f->severity),
		    finding_severity_name(f->severity));
		wlist_append(l, theme_attr(THEME_SECTION), "%s",
		    finding_code_name(f->code));
		wlist_append(l, theme_attr(THEME_DIM), "  [%s]",
		    finding_code_rule(f->code));
		if (f->subject != NULL || f->line != 0) {
			s = text_cleans(f->subject);
			if (f->line != 0)
				wlist_add(l, tag + 1, theme_attr(THEME_DIM),
				    "    %s%sline %u", s,
				    *s != '\0' ? ", " : "", f->line);
			else
				wlist_add(l, tag + 1, theme_attr(THEME_DIM),
				    "    %s", s);
			free(s);
		}
		wlist_add_wrapped(l, tag + 2, A_NORMAL, "    ", 4, cols - 1,
		    f->message != NULL ? f->message
				       : finding_code_text(f->code));
		wlist_add_wrapped(l, tag + 0x40, A_NORMAL, "    fix: ", 9,
		    cols - 1, finding_fix(f) != NULL ? finding_fix(f) : "-");
	}
}

struct view_loc
view_loc(enum check_layer layer, enum view_part part)
{
	struct view_loc l = { layer, part, 0, 0, -1, 0 };

	return l;
}

struct view_loc *
view_link(struct wlist_item *it, enum check_layer layer, enum view_part part,
    size_t host, size_t addr)
{
	it->link = 1;
	it->to = view_loc(layer, part);
	it->to.host = host;
	it->to.addr = addr;
	return &it->to;
}

/* The view that shows each part. */
static const struct view_ops *
view_part_ops(enum view_part part)
{
	static const struct view_ops *const ops[] = {
		[VIEW_PART_LAYER] = &view_layer_ops,
		[VIEW_PART_POLICY] = &view_raw_ops,
		[VIEW_PART_HTTP] = &view_raw_ops,
		[VIEW_PART_BODY] = &view_raw_ops,
		[VIEW_PART_CHAIN] = &view_certchain_ops,
		[VIEW_PART_SMTP] = &view_raw_ops,
		[VIEW_PART_MATRIX] = &view_mxmatch_ops,
		[VIEW_PART_DOMAIN] = NULL, /* the domain list's own Enter */
	};

	return (size_t)part < sizeof(ops) / sizeof(ops[0]) ? ops[part] : NULL;
}

int
view_open(struct app *a, const struct view_loc *loc)
{
	const struct view_ops *ops = view_part_ops(loc->part);

	if (ops == NULL)
		return APP_REDRAW;
	app_push(a, ops, loc);
	return APP_REDRAW | APP_UPDATE | APP_RESIZE;
}

int
view_activate(struct view *v, const struct wlist_item *it)
{
	if (it == NULL)
		return APP_UNHANDLED;
	if (!it->link)
		return APP_REDRAW;
	return view_open(v->app, &it->to);
}

const struct mx_tls_host *
view_mxtls_host(struct app *a, const char *name, size_t *index)
{
	const struct mx_tls_result *r;
	size_t			    i;

	if (a->check == NULL || name == NULL ||
	    (r = check_mx_tls(a->check)) == NULL)
		return NULL;
	for (i = 0; i < r->nhosts && i < VIEW_MXTLS_MAX; i++) {
		if (r->hosts[i].name != NULL &&
		    strcasecmp(r->hosts[i].name, name) == 0) {
			if (index != NULL)
				*index = i;
			return &r->hosts[i];
		}
	}
	return NULL;
}

void
view_add_mxtls_addrs(struct view *v, struct wlist *l, size_t hi, uint64_t tag,
    const char *indent)
{
	const struct mx_tls_result *r;
	const struct mx_tls_host   *h;
	const struct mx_tls_addr   *ad;
	struct wlist_item	   *it;
	size_t			    k;
	char			   *sum, *s, *pre;
	attr_t			    at;

	if (v->app->check == NULL ||
	    (r = check_mx_tls(v->app->check)) == NULL || hi >= r->nhosts) {
		wlist_add(l, tag, theme_attr(THEME_DIM),
		    "%sTLS per address: waiting for the mx_tls layer", indent);
		return;
	}
	h = &r->hosts[hi];
	if (h->skipped || h->naddrs == 0) {
		sum = mx_tls_summary(r, h, NULL);
		s = text_cleans(sum);
		wlist_add(l, tag, theme_attr(THEME_DIM), "%s%s", indent, s);
		free(s);
		free(sum);
		return;
	}
	for (k = 0; k < h->naddrs && k < VIEW_MXTLS_MAX; k++) {
		ad = &h->addrs[k];
		sum = mx_tls_summary(r, h, ad);
		s = text_cleans(sum);
		at = ad->probe != NULL && ad->probe->tls &&
			ad->verify != NULL && ad->verify->verdict == CERTINFO_OK
		    ? theme_attr(THEME_PASS)
		    : theme_attr(THEME_FAIL);
		pre = xasprintf("%sTLS ", indent);
		wlist_add_wrapped(l, tag + k * 16, at, pre, text_width(pre),
		    v->cols - 1, s);
		free(pre);
		free(s);
		free(sum);
		if (ad->probe != NULL && ad->probe->chain != NULL) {
			it = wlist_add(l, tag + k * 16 + 8,
			    theme_attr(THEME_LINK),
			    "%s  %s certificate chain of %s", indent,
			    theme_sym(SYM_LINK), ad->address);
			view_link(it, CHECK_MX_TLS, VIEW_PART_CHAIN, hi, k);
		}
		it = wlist_add(l, tag + k * 16 + 9, theme_attr(THEME_LINK),
		    "%s  %s SMTP banner, EHLO and transcript", indent,
		    theme_sym(SYM_LINK));
		view_link(it, CHECK_MX_TLS, VIEW_PART_SMTP, hi, k);
	}
}

/* Adds s without its trailing blanks, and a newline. */
static void
view_text_line(struct strbuf *sb, const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == ' ')
		n--;
	strbuf_add(sb, s, n);
	strbuf_addc(sb, '\n');
}

/* Row y of the terminal as curses last wrote it (curscr). */
static void
view_text_row(struct strbuf *sb, int y, int x, int cols)
{
	wchar_t	  wbuf[1024];
	char	  line[sizeof(wbuf) / sizeof(wbuf[0]) * MB_LEN_MAX];
	mbstate_t st;
	size_t	  i, n, len = 0;
	int	  got;

	if (cols > (int)(sizeof(wbuf) / sizeof(wbuf[0])) - 1)
		cols = (int)(sizeof(wbuf) / sizeof(wbuf[0])) - 1;
	if (cols <= 0 || (got = mvwinnwstr(curscr, y, x, wbuf, cols)) == ERR)
		got = 0;
	wbuf[got] = L'\0';
	memset(&st, 0, sizeof(st));
	for (i = 0; wbuf[i] != L'\0'; i++) {
		if ((n = wcrtomb(line + len, wbuf[i], &st)) == (size_t)-1) {
			line[len++] = '?';
			memset(&st, 0, sizeof(st));
		} else
			len += n;
	}
	view_text_line(sb, line, len);
}

char *
view_text(struct view *v, size_t *len)
{
	struct strbuf sb;
	struct wlist *l;
	const char   *s;
	int	      y, by = 0, bx = 0;
	size_t	      i;

	strbuf_init(&sb, VIEW_TEXT_MAX);
	for (y = 0; y < APP_HEADER_ROWS && y < v->app->rows; y++)
		view_text_row(&sb, y, 0, v->app->cols);
	if (v->win != NULL)
		getbegyx(v->win, by, bx);
	if (v->ops->list != NULL && (l = view_list_lines(v)) != NULL) {
		/* The title row as drawn, then every line of the list. */
		view_text_row(&sb, by, bx, v->cols);
		for (i = 0; i < l->n; i++) {
			s = l->items[i].text != NULL ? l->items[i].text : "";
			view_text_line(&sb, s, strlen(s));
		}
	} else
		for (y = 0; y < v->rows; y++)
			view_text_row(&sb, by + y, bx, v->cols);
	return strbuf_detach(&sb, len);
}

char *
view_selection(struct view *v)
{
	struct wlist	  *l;
	struct wlist_item *it;
	const char	  *s;

	if (v->ops->selection != NULL)
		return v->ops->selection(v);
	if (v->ops->list == NULL || (l = view_list_lines(v)) == NULL ||
	    (it = wlist_selected(l)) == NULL || it->text == NULL)
		return NULL;
	/* A blank line is no selection; the indentation is layout. */
	for (s = it->text; *s == ' '; s++)
		;
	if (*s == '\0')
		return NULL;
	return xstrdup(s);
}
