#include "config.h"
#include "view_list.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "keys.h"
#include "theme.h"
#include "widget_list.h"
#include "xmalloc.h"

struct view_list {
	struct wlist	  lines;
	char		  title[160];
	enum check_status status;
	void		 *data; /* the list view's own */
};

void
view_list_init(struct view *v)
{
	const struct view_list_ops *lo = v->ops->list;
	struct view_list	   *vl = xcalloc(1, sizeof(*vl));

	wlist_init(&vl->lines);
	vl->status = (enum check_status) - 1;
	if (lo->size > 0)
		vl->data = xcalloc(1, lo->size);
	v->data = vl;
	if (lo->init != NULL)
		lo->init(v);
}

void
view_list_free(struct view *v)
{
	const struct view_list_ops *lo = v->ops->list;
	struct view_list	   *vl = v->data;

	if (lo->free != NULL)
		lo->free(v);
	wlist_free(&vl->lines);
	free(vl->data);
	free(vl);
}

void *
view_list_data(struct view *v)
{
	return ((struct view_list *)v->data)->data;
}

struct wlist *
view_list_lines(struct view *v)
{
	return &((struct view_list *)v->data)->lines;
}

void
view_list_title(struct view *v, enum check_status st, const char *fmt, ...)
{
	struct view_list *vl = v->data;
	va_list		  ap;

	va_start(ap, fmt);
	vsnprintf(vl->title, sizeof(vl->title), fmt, ap);
	va_end(ap);
	vl->status = st;
}

/* On update and on resize: wrapped lines depend on the width. */
void
view_list_update(struct view *v)
{
	struct view_list *vl = v->data;

	wlist_begin(&vl->lines);
	v->ops->list->build(v, &vl->lines);
	wlist_end(&vl->lines);
}

void
view_list_draw(struct view *v)
{
	struct view_list *vl = v->data;

	view_draw_list(v, &vl->lines, vl->title, vl->status);
}

int
view_list_key(struct view *v, int key)
{
	const struct view_list_ops *lo = v->ops->list;
	struct view_list	   *vl = v->data;
	int			    f;

	if (lo->key != NULL &&
	    ((f = lo->key(v, &vl->lines, key)) & APP_UNHANDLED) == 0)
		return f;
	if (wlist_key(&vl->lines, key))
		return APP_REDRAW;
	if (key == KEYS_TAB || key == KEYS_BTAB) {
		if (!wlist_next_link(&vl->lines, key == KEYS_TAB ? 1 : -1))
			app_message(v->app, 0, "nothing to open here");
		return APP_REDRAW;
	}
	if (keys_is_enter(key))
		return view_activate(v, wlist_selected(&vl->lines));
	return APP_UNHANDLED;
}

const char *
view_list_keys(struct view *v)
{
	const struct view_list_ops *lo = v->ops->list;

	return theme_ascii() ? lo->keys_ascii : lo->keys;
}
