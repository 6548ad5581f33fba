/*
 * view_list: the one base of the list views (after tmux's mode-tree.c):
 * a title line over a scrolling list (widget_list.h).  The base is the
 * view's ops (VIEW_LIST_OPS below); a list view gives only what differs,
 * in a struct view_list_ops: how its lines are built from the model, its
 * own keys if any, its key line.  The base owns the list and the title,
 * rebuilds on update and resize with the cursor kept on its tag, moves
 * and scrolls, Tab between the lines marked as links, Enter on a link
 * (view_open()), the scroll position on the title line.
 */
#ifndef MTASTS_TUI_VIEW_LIST_H
#define MTASTS_TUI_VIEW_LIST_H

#include <stddef.h>

#include "check.h"
#include "view.h"

struct wlist;

struct view_list_ops {
	size_t size; /* private data, zeroed and freed by the base; 0: none */
	/* Optional: once the private data exists, before the first build. */
	void (*init)(struct view *);
	/* Optional: frees what the private data owns (not the data). */
	void (*free)(struct view *);
	/*
	 * Adds the lines from the model (between wlist_begin() and
	 * wlist_end(), which the base calls) and may set the title.
	 */
	void (*build)(struct view *, struct wlist *);
	/* Optional: keys of its own, before the base's; APP_* flags. */
	int (*key)(struct view *, struct wlist *, int key);
	/* The key line, UTF-8 and ASCII (theme_ascii()). */
	const char *keys;
	const char *keys_ascii;
};

/* The base's view callbacks; a list view's ops are VIEW_LIST_OPS. */
void	    view_list_init(struct view *);
void	    view_list_free(struct view *);
void	    view_list_update(struct view *);
void	    view_list_draw(struct view *);
int	    view_list_key(struct view *, int key);
const char *view_list_keys(struct view *);

#define VIEW_LIST_OPS(n, l)                                                  \
	{                                                                    \
		.name = (n), .init = view_list_init, .free = view_list_free, \
		.resize = view_list_update, .update = view_list_update,      \
		.draw = view_list_draw, .key = view_list_key,                \
		.keys = view_list_keys, .list = (l)                          \
	}

/* The view's private data (view_list_ops size). */
void *view_list_data(struct view *);
/* Its lines, e.g. to put the cursor on a tag before the first build. */
struct wlist *view_list_lines(struct view *);
/* The title line: its text and status badge ((enum check_status)-1: none). */
void view_list_title(struct view *, enum check_status, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* The usual key lines. */
#define VIEW_KEYS_SCROLL \
	"\u2191\u2193 PgUp/PgDn Home/End scroll  Esc back  ? help  q quit"
#define VIEW_KEYS_SCROLL_ASCII \
	"j/k PgUp/PgDn Home/End scroll  Esc back  ? help  q quit"

#endif
