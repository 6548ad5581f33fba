#include "config.h"

#include <stdlib.h>

#include "app.h"
#include "keys.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "widget_list.h"
#include "xmalloc.h"

/* Every key, in one table: the help view and the man page list these. */
static const struct {
	const char *keys;
	const char *what;
} help_table[] = {
	{ NULL, "Moving" },
	{ "Up Down j k", "move between panes, or lines in a view" },
	{ "Tab Shift+Tab", "next / previous pane (the verdict bar too);" },
	{ "", "in a view: next / previous entry marked >" },
	{ "Left Right", "the other column of panes (wide screens)" },
	{ "PgUp PgDn", "scroll a page" },
	{ "Home End g G", "first / last" },
	{ NULL, "Views" },
	{ "Enter", "open the selected pane, or the entry marked >" },
	{ "Esc Backspace", "back to the previous view" },
	{ "b", "open the layer of the first blocker" },
	{ "?", "this help (again: close it)" },
	{ NULL, "Actions" },
	{ "r", "run the check again" },
	{ "/ Ctrl+L", "check another domain (Esc cancels)" },
	{ "l", "list of domains to pick from (MTASTS_TUI_DOMAINS)" },
	{ "s", "save the JSON report to a file (asks before overwriting)" },
	{ "w", "the rollout wizard for this domain (q there comes back)" },
	{ "p", "the rollout schedule of this domain, if it has a plan" },
	{ "t", "TLS-RPT reports: per-day bars, the clean-day gate" },
	{ "", "(--reports PATH, or asks for a file or directory)" },
	{ "q Ctrl+C", "quit" },
	{ NULL, "Marks" },
	{ "PASS WARN FAIL SKIP", "layer status; a spinner while it runs" },
	{ "! * (policy body)",
	    "a finding points at the line / a sender uses it" },
};

struct help_data {
	struct wlist list;
};

static void	   help_init(struct view *);
static void	   help_free(struct view *);
static void	   help_update(struct view *);
static void	   help_draw(struct view *);
static int	   help_key(struct view *, int);
static const char *help_keys(struct view *);

const struct view_ops view_help_ops = {
	.name = "help",
	.init = help_init,
	.free = help_free,
	.resize = help_update,
	.update = help_update,
	.draw = help_draw,
	.key = help_key,
	.keys = help_keys,
};

static void
help_init(struct view *v)
{
	struct help_data *d = xcalloc(1, sizeof(*d));

	wlist_init(&d->list);
	v->data = d;
}

static void
help_free(struct view *v)
{
	struct help_data *d = v->data;

	wlist_free(&d->list);
	free(d);
}

static void
help_update(struct view *v)
{
	struct help_data *d = v->data;
	size_t		  i;

	wlist_begin(&d->list);
	for (i = 0; i < sizeof(help_table) / sizeof(help_table[0]); i++) {
		if (help_table[i].keys == NULL) {
			if (i > 0)
				wlist_add(&d->list, i * 2, A_NORMAL, "%s", "");
			wlist_add(&d->list, i * 2 + 1,
			    theme_attr(THEME_SECTION), "%s",
			    help_table[i].what);
			continue;
		}
		wlist_add(&d->list, i * 2 + 1, theme_attr(THEME_TITLE),
		    "  %-20s", help_table[i].keys);
		wlist_append(&d->list, A_NORMAL, "%s", help_table[i].what);
	}
	wlist_end(&d->list);
}

static void
help_draw(struct view *v)
{
	struct help_data *d = v->data;

	view_draw_list(v, &d->list, "keys", (enum check_status) - 1);
}

static int
help_key(struct view *v, int key)
{
	struct help_data *d = v->data;

	if (wlist_key(&d->list, key))
		return APP_REDRAW;
	if (key == 'q' || keys_is_enter(key)) {
		app_pop(v->app);
		return APP_REDRAW;
	}
	return APP_UNHANDLED;
}

static const char *
help_keys(struct view *v)
{
	(void)v;
	return "Esc/?/q close help";
}
