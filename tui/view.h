/*
 * view: the screen's views as vtables (after tmux's window_mode).  The
 * main view shows the panes; each drill-down view is one file exporting
 * one const struct view_ops.  A view never keeps pointers into the check:
 * it finds its data again in update() through its locator (view_loc.h),
 * so it survives a re-run and fills in while the check is still running.
 *
 * Handlers return APP_* flags (app.h) and never draw; the loop calls
 * draw() once per frame.
 */
#ifndef MTASTS_TUI_VIEW_H
#define MTASTS_TUI_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "curses.h"
#include "view_loc.h"

struct app;
struct view;
struct view_list_ops;

struct view_ops {
	const char *name;
	void (*init)(struct view *);
	void (*free)(struct view *);
	/* The body area changed size (and on open). */
	void (*resize)(struct view *);
	/* The model changed (a layer finished, a re-run, a new domain). */
	void (*update)(struct view *);
	/* Draws into its windows and wnoutrefresh()es them. */
	void (*draw)(struct view *);
	/* Returns APP_* flags, APP_UNHANDLED if the key is not its own. */
	int (*key)(struct view *, int key);
	/* The keys that work here, for the status line. */
	const char *(*keys)(struct view *);
	/* A list view: what it adds to the list base (view_list.h). */
	const struct view_list_ops *list;
	/*
	 * Optional: the selected record as plain text for the clipboard
	 * (malloc'd, NULL: nothing).  List views copy their selected line
	 * without it.
	 */
	char *(*selection)(struct view *);
};

struct view {
	const struct view_ops *ops;
	struct app	      *app;
	void		      *data;
	struct view_loc	       loc; /* what the view shows */
	/* The body area. */
	WINDOW *win;
	int	rows;
	int	cols;
};

extern const struct view_ops view_main_ops;
extern const struct view_ops view_layer_ops;
extern const struct view_ops view_certchain_ops;
extern const struct view_ops view_mxmatch_ops;
extern const struct view_ops view_raw_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_domains_ops;
extern const struct view_ops view_plan_ops;
extern const struct view_ops view_reports_ops;
extern const struct view_ops view_wizard_ops;

/* The tag of finding i in a layer view. */
#define VIEW_TAG_FINDING(i) (0x1000000ULL + (uint64_t)(i)*0x100)

/*
 * The most MX hosts, and addresses per host, a view lists: their lines'
 * tags are counted out from a base, 16 per address.
 */
#define VIEW_MXTLS_MAX 256

#endif

#ifndef MTASTS_TUI_VIEW_HELPERS
#define MTASTS_TUI_VIEW_HELPERS

struct finding_list;
struct wlist;
struct wlist_item;

/*
 * Makes the line open what to names on Enter (and Tab stop on it);
 * returns the line's locator, for a finding code to set.
 */
struct view_loc *view_link(struct wlist_item *, enum check_layer,
    enum view_part, size_t host, size_t addr);
/* Pushes the view that shows what loc names; returns APP_* flags. */
int view_open(struct app *, const struct view_loc *);

/*
 * The mx_tls host named name and its index; NULL when the layer has no
 * result (yet) or no such host.
 */
struct mx_tls_host;
const struct mx_tls_host *view_mxtls_host(struct app *, const char *name,
    size_t *index);
/*
 * One line per address of host hi (summary, wrapped; link to its chain)
 * and a link to its SMTP dialogue; tags from tag on (16 per address).
 */
void view_add_mxtls_addrs(struct view *, struct wlist *, size_t hi,
    uint64_t tag, const char *indent);

/* Tags of helper-made lines live above this; views use tags below. */
#define VIEW_TAG_SECTION(n) (0x2000000ULL + (uint64_t)(n)*0x10000)

/*
 * The title line of a drill-down view, at row 0 of its window; returns
 * the columns its text takes.
 */
int view_draw_title(struct view *, const char *title, enum check_status);
/* Title plus a list below it; wnoutrefresh()es the window. */
void view_draw_list(struct view *, struct wlist *, const char *title,
    enum check_status);
/* A bold heading with a blank line before it. */
void view_add_section(struct wlist *, int n, const char *title);
/* Severity, code, rule ids, subject, message and fix of each finding. */
void view_add_findings(struct wlist *, const struct finding_list *, int cols);
/* Opens what a line links to; returns APP_* flags. */
int view_activate(struct view *, const struct wlist_item *);

/*
 * What the screen shows as plain UTF-8 text, for S: the header and the
 * view's rows as they are on the terminal; a list view gives its whole
 * list, not only the rows on screen.  Trailing blanks cut, one newline a
 * line.  Call between frames (it reads curses' copy of the terminal).
 */
char *view_text(struct view *, size_t *len);
/* The selected record, line or pane as text, for y; NULL: none. */
char *view_selection(struct view *);

#endif
