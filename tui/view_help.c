#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "keys.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "view_list.h"
#include "widget_list.h"
#include "xmalloc.h"

/* Every key, from the key tables (keys_table.h, keys_wizard.h). */
static const struct {
	const char *keys; /* NULL: a section title */
	const char *what;
} help_table[] = {
#define KEYS_SECTION(t) { NULL, t },
#define KEYS_KEY(k, w)	{ k, w },
#define KEYS_MARK(m, w) { m, w },
#include "keys_table.h"
#undef KEYS_SECTION
#undef KEYS_KEY
#undef KEYS_MARK
	/* The wizard's keys, from the table its view dispatches from. */
	{ NULL, "Rollout wizard (w)" },
#define WIZARD_KEY(screens, key, name, hint, what, fn) { name, what },
#include "keys_wizard.h"
#undef WIZARD_KEY
};

#define HELP_N (sizeof(help_table) / sizeof(help_table[0]))

/* The column the explanations start at. */
#define HELP_KEYS_COLS 22

static void   help_init(struct view *);
static void   help_build(struct view *, struct wlist *);
static int    help_key(struct view *, struct wlist *, int);
static char  *help_link(const char *);
static size_t help_add(struct view *, struct wlist *, size_t);

static const struct view_list_ops help_list = {
	.init = help_init,
	.build = help_build,
	.key = help_key,
	.keys = "Esc/?/q close help",
	.keys_ascii = "Esc/?/q close help",
};

const struct view_ops view_help_ops = VIEW_LIST_OPS("help", &help_list);

static void
help_init(struct view *v)
{
	view_list_title(v, (enum check_status) - 1, "keys");
}

static void
help_build(struct view *v, struct wlist *l)
{
	size_t i;

	for (i = 0; i < HELP_N;) {
		if (help_table[i].keys == NULL) {
			if (i > 0)
				wlist_add(l, i * 64, A_NORMAL, "%s", "");
			wlist_add(l, i * 64 + 1, theme_attr(THEME_SECTION),
			    "%s", help_table[i].what);
			i++;
			continue;
		}
		i = help_add(v, l, i);
	}
}

/* "{link}" in s made the screen's mark (caller frees). */
static char *
help_link(const char *s)
{
	const char *at = strstr(s, "{link}");

	if (at == NULL)
		return xstrdup(s);
	return xasprintf("%.*s%s%s", (int)(at - s), s, theme_sym(SYM_LINK),
	    at + strlen("{link}"));
}

/*
 * One entry: its keys, then what they do wrapped to the view's width.
 * The entries after it that do the same (the wizard's y and Y) join its
 * keys.  Returns the entry after them.
 */
static size_t
help_add(struct view *v, struct wlist *l, size_t i)
{
	char **lines, *keys, *what, *t;
	size_t n, k, next;

	keys = help_link(help_table[i].keys);
	for (next = i + 1; next < HELP_N && help_table[next].keys != NULL &&
	     help_table[next].keys[0] != '\0' &&
	     strcmp(help_table[next].what, help_table[i].what) == 0;
	     next++) {
		t = xasprintf("%s %s", keys, help_table[next].keys);
		free(keys);
		keys = t;
	}
	what = help_link(help_table[i].what);
	n = text_wrap(what, v->cols - 1 - HELP_KEYS_COLS, &lines);
	for (k = 0; k < n; k++) {
		/* Tags: 64 per entry, so a wrap never reuses another's. */
		if (k == 0) {
			wlist_add(l, i * 64 + 1, theme_attr(THEME_TITLE),
			    "  %-*s", HELP_KEYS_COLS - 2, keys);
			wlist_append(l, A_NORMAL, "%s", lines[k]);
		} else
			wlist_add(l, i * 64 + 1 + k, A_NORMAL, "%*s%s",
			    HELP_KEYS_COLS, "", lines[k]);
		free(lines[k]);
	}
	free(lines);
	free(keys);
	free(what);
	return next;
}

static int
help_key(struct view *v, struct wlist *l, int key)
{
	(void)l;
	if (key == 'q' || keys_is_enter(key)) {
		app_pop(v->app);
		return APP_REDRAW;
	}
	return APP_UNHANDLED;
}
