#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "keys.h"
#include "theme.h"
#include "view.h"
#include "view_list.h"
#include "watch.h"
#include "widget_list.h"
#include "xmalloc.h"

/*
 * The changes view (`c` under --watch): what changed between the run shown
 * and the run before, one line per change as `check --watch` prints it,
 * wrapped; new things and changed values in the warning colour.
 */
static void changes_build(struct view *, struct wlist *);
static int  changes_key(struct view *, struct wlist *, int);

static const struct view_list_ops changes_list = {
	.build = changes_build,
	.key = changes_key,
	.keys = VIEW_KEYS_SCROLL,
	.keys_ascii = VIEW_KEYS_SCROLL_ASCII,
};

const struct view_ops view_changes_ops =
    VIEW_LIST_OPS("changes", &changes_list);

static void
changes_build(struct view *v, struct wlist *l)
{
	const struct check_diff	       *d = watch_diff(v->app->watch, v->app);
	const struct check_diff_change *c;
	size_t				i, n;
	char			       *line;
	attr_t				attr;

	if (d == NULL) {
		view_list_title(v, (enum check_status) - 1, "changes");
		wlist_add(l, 1, theme_attr(THEME_DIM), "%s",
		    v->app->check != NULL && !check_done(v->app->check)
			? "a run is under way"
			: "nothing to compare with yet: the next run will say");
		return;
	}
	n = check_diff_count(d);
	view_list_title(v, (enum check_status) - 1,
	    "changes since run %u (%zu%s)", watch_prev_run(v->app->watch), n,
	    check_diff_truncated(d) ? ", more left out" : "");
	if (n == 0)
		wlist_add(l, 1, theme_attr(THEME_DIM), "%s", "no change");
	for (i = 0; i < n; i++) {
		c = check_diff_at(d, i);
		line = check_diff_line(c);
		attr = c->new == NULL ? theme_attr(THEME_DIM)
				      : theme_attr(THEME_WARN);
		/* Tags: 64 per change, so a wrap never reuses another's. */
		wlist_add_wrapped(l, (uint64_t)(i + 1) * 64, attr, "", 4,
		    v->cols - 1, line);
		free(line);
	}
}

static int
changes_key(struct view *v, struct wlist *l, int key)
{
	(void)l;
	if (key == 'c') {
		app_pop(v->app);
		return APP_REDRAW;
	}
	return APP_UNHANDLED;
}
