/*
 * view: the screen's views as vtables (after tmux's window_mode).  The
 * main view shows the panes; each drill-down view is one file exporting
 * one const struct view_ops.  A view never keeps pointers into the check:
 * it finds its data again in update() through its locator (layer, index),
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

struct app;
struct view;

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
};

struct view {
	const struct view_ops *ops;
	struct app	      *app;
	void		      *data;
	/* Locator: what the view shows. */
	enum check_layer layer;
	size_t		 index;
	uint64_t	 select; /* tag to put the cursor on */
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

/* The tag of finding i in a layer view (app_open_layer selects it). */
#define VIEW_TAG_FINDING(i) (0x1000000ULL + (uint64_t)(i)*0x100)

/* view_raw index values: what to show (the address index is added). */
#define VIEW_RAW_POLICY	 0x10000 /* the parsed policy's lines */
#define VIEW_RAW_HTTP	 0x20000 /* + fetch address index */
#define VIEW_RAW_BODY	 0x30000 /* + fetch address index */
#define VIEW_RAW_SMTP	 0x40000 /* + VIEW_MXTLS(host, address) */
#define VIEW_RAW_KIND(i) ((i)&0xff0000)
#define VIEW_RAW_ADDR(i) ((i)&0xffff)

/*
 * An address of an MX host in the mx_tls result, as one index (the
 * certchain view with layer CHECK_MX_TLS, VIEW_RAW_SMTP): host and
 * address indexes below 256 each.
 */
#define VIEW_MXTLS(h, a)   ((((size_t)(h)&0xff) << 8) | ((size_t)(a)&0xff))
#define VIEW_MXTLS_HOST(i) (((i) >> 8) & 0xff)
#define VIEW_MXTLS_ADDR(i) ((i)&0xff)
#define VIEW_MXTLS_MAX	   256

#endif

#ifndef MTASTS_TUI_VIEW_HELPERS
#define MTASTS_TUI_VIEW_HELPERS

struct finding_list;
struct wlist;
struct wlist_item;

/* What Enter on a list line does (struct wlist_item action). */
enum view_action {
	VIEW_ACT_NONE = 0,
	VIEW_ACT_LAYER,	  /* arg: layer | (finding code + 1) << 8 */
	VIEW_ACT_CHAIN,	  /* arg: fetch address index */
	VIEW_ACT_HTTP,	  /* arg: fetch address index */
	VIEW_ACT_BODY,	  /* arg: fetch address index */
	VIEW_ACT_POLICY,  /* the parsed policy, line by line */
	VIEW_ACT_MATRIX,  /* the MX x pattern matrix */
	VIEW_ACT_DOMAIN,  /* arg: line of the domain list */
	VIEW_ACT_MXCHAIN, /* arg: VIEW_MXTLS(host, address) */
	VIEW_ACT_SMTP	  /* arg: VIEW_MXTLS(host, address) */
};

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
/* Opens what a line's action names; returns APP_* flags. */
int view_activate(struct view *, const struct wlist_item *);
/* Movement, Enter on an action; APP_UNHANDLED for the rest. */
int view_list_key(struct view *, struct wlist *, int key);

#endif
