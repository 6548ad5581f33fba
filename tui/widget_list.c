#include "config.h"
#include "widget_list.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "text.h"
#include "theme.h"
#include "xmalloc.h"

static void wlist_seg_add(struct wlist_item *, attr_t, const char *);
static void wlist_show(struct wlist *);

void
wlist_init(struct wlist *l)
{
	memset(l, 0, sizeof(*l));
}

static void
wlist_clear(struct wlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].text);
		free(l->items[i].segs);
	}
	l->n = 0;
}

void
wlist_free(struct wlist *l)
{
	wlist_clear(l);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void
wlist_begin(struct wlist *l)
{
	if (l->sel < l->n && !l->sel_lost)
		l->sel_tag = l->items[l->sel].tag;
	wlist_clear(l);
}

static void
wlist_seg_add(struct wlist_item *it, attr_t attr, const char *s)
{
	char  *g = text_guard(s);
	size_t old = it->text != NULL ? strlen(it->text) : 0;
	size_t add = strlen(g);

	it->text = xreallocarray(it->text, old + add + 1, 1);
	memcpy(it->text + old, g, add + 1);
	free(g);
	it->segs = xreallocarray(it->segs, it->nsegs + 1, sizeof(*it->segs));
	it->segs[it->nsegs].off = old;
	it->segs[it->nsegs].len = add;
	it->segs[it->nsegs].attr = attr;
	it->nsegs++;
}

struct wlist_item *
wlist_add(struct wlist *l, uint64_t tag, attr_t attr, const char *fmt, ...)
{
	struct wlist_item *it;
	va_list		   ap;
	char		  *s;

	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
	}
	it = &l->items[l->n++];
	memset(it, 0, sizeof(*it));
	it->tag = tag;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	wlist_seg_add(it, attr, s);
	free(s);
	return it;
}

void
wlist_append(struct wlist *l, attr_t attr, const char *fmt, ...)
{
	va_list ap;
	char   *s;

	if (l->n == 0)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	wlist_seg_add(&l->items[l->n - 1], attr, s);
	free(s);
}

size_t
wlist_add_wrapped(struct wlist *l, uint64_t tag, attr_t attr,
    const char *prefix, int indent, int cols, const char *text)
{
	char **lines;
	size_t n, i;
	int    pw = text_width(prefix);

	n = text_wrap(text, cols - (pw > indent ? pw : indent), &lines);
	for (i = 0; i < n; i++) {
		if (i == 0)
			wlist_add(l, tag, attr, "%s%s", prefix, lines[i]);
		else
			wlist_add(l, tag + i, attr, "%*s%s",
			    pw > indent ? pw : indent, "", lines[i]);
		free(lines[i]);
	}
	free(lines);
	return n;
}

void
wlist_end(struct wlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->items[i].tag == l->sel_tag) {
			l->sel = i;
			l->sel_lost = 0;
			return;
		}
	}
	l->sel_lost = 1;
	if (l->sel >= l->n)
		l->sel = l->n > 0 ? l->n - 1 : 0;
}

void
wlist_select_tag(struct wlist *l, uint64_t tag)
{
	l->sel_tag = tag;
	wlist_end(l);
	l->top = l->sel;
}

struct wlist_item *
wlist_selected(struct wlist *l)
{
	if (l->sel >= l->n)
		return NULL;
	return &l->items[l->sel];
}

/* Scrolls so the cursor is on the screen. */
static void
wlist_show(struct wlist *l)
{
	size_t rows = l->rows > 0 ? (size_t)l->rows : 1;

	if (l->sel < l->top)
		l->top = l->sel;
	else if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (l->n <= rows)
		l->top = 0;
	else if (l->top > l->n - rows)
		l->top = l->n - rows;
}

int
wlist_key(struct wlist *l, int key)
{
	size_t page = l->rows > 1 ? (size_t)l->rows - 1 : 1;

	if (l->n == 0)
		return 0;
	switch (key) {
	case KEYS_UP:
	case 'k':
		if (l->sel > 0)
			l->sel--;
		break;
	case KEYS_DOWN:
	case 'j':
		if (l->sel + 1 < l->n)
			l->sel++;
		break;
	case KEYS_PPAGE:
		l->sel = l->sel > page ? l->sel - page : 0;
		break;
	case KEYS_NPAGE:
		l->sel = l->sel + page < l->n ? l->sel + page : l->n - 1;
		break;
	case KEYS_HOME:
	case 'g':
		l->sel = 0;
		break;
	case KEYS_END:
	case 'G':
		l->sel = l->n - 1;
		break;
	default:
		return 0;
	}
	l->sel_tag = l->items[l->sel].tag;
	l->sel_lost = 0;
	wlist_show(l);
	return 1;
}

int
wlist_next_link(struct wlist *l, int dir)
{
	size_t i, k;

	for (k = 1; k <= l->n; k++) {
		i = (l->sel + l->n + (dir > 0 ? k : l->n - k)) % l->n;
		if (l->items[i].link) {
			l->sel = i;
			l->sel_tag = l->items[i].tag;
			l->sel_lost = 0;
			wlist_show(l);
			return 1;
		}
	}
	return 0;
}

void
wlist_draw(struct wlist *l, WINDOW *w, int y, int rows, int cols)
{
	struct wlist_item *it;
	size_t		   i, k;
	int		   r, x, used;
	attr_t		   a;
	char		  *seg;

	l->rows = rows;
	wlist_show(l);
	for (r = 0; r < rows; r++) {
		i = l->top + (size_t)r;
		if (i >= l->n)
			break;
		it = &l->items[i];
		x = 0;
		if (i == l->sel)
			text_fill(w, y + r, 0, cols, " ",
			    theme_attr(THEME_SELECTED));
		for (k = 0; k < it->nsegs && x < cols; k++) {
			a = i == l->sel ? theme_attr(THEME_SELECTED)
					: it->segs[k].attr;
			seg = xstrndup(it->text + it->segs[k].off,
			    it->segs[k].len);
			used = text_draw(w, y + r, x, cols - x, seg, a);
			free(seg);
			x += used;
		}
	}
}

int
wlist_position(const struct wlist *l, char *buf, size_t len)
{
	if (l->rows <= 0 || l->n <= (size_t)l->rows)
		return 0;
	snprintf(buf, len, " %zu/%zu ", l->sel + 1, l->n);
	return 1;
}
