/*
 * app: the state the one UI thread owns -- the check, the domain, the
 * view stack, the prompt and the windows -- and the actions on it.
 * Handlers and engine callbacks only change this state and return or set
 * APP_* flags; the loop turns flags into one update and one redraw.
 */
#ifndef MTASTS_TUI_APP_H
#define MTASTS_TUI_APP_H

#include <stddef.h>

#include "check.h"
#include "curses.h"
#include "prompt.h"

#define APP_REDRAW    0x01 /* draw the frame again */
#define APP_UPDATE    0x02 /* the model changed: views rebuild */
#define APP_RESIZE    0x04 /* windows must be made again */
#define APP_QUIT      0x08
#define APP_UNHANDLED 0x100 /* a key handler did not want the key */

#define APP_MAX_VIEWS 16

struct app_plan;
struct tui_watch;
struct domain_name;
struct run_config;
struct view;
struct view_loc;
struct view_ops;

/*
 * A second source of events the loop waits on beside the keyboard and the
 * check: the fleet view's scan (view_fleet.c).  fd() is -1 when there is
 * nothing to wait for; process() runs when it is readable and on every
 * tick, and returns APP_* flags; header() is the header line's text while
 * the view at the bottom of the stack is shown.
 */
struct app_source {
	int (*fd)(void *);
	int (*process)(void *);
	const char *(*header)(void *);
	void *arg;
};

struct app {
	const struct run_config	 *cfg;	  /* borrowed from main */
	const struct domain_name *dn;	  /* borrowed from main */
	struct domain_name	 *dn_own; /* after '/' */
	struct check		 *check;
	char			 *check_error; /* check_start failed */
	unsigned		  runs;	       /* checks started */
	char			  resolver[64];
	int			  ascii;

	struct view *views[APP_MAX_VIEWS];
	size_t	     nviews;

	struct prompt prompt;
	char	     *message; /* until the next key */
	int	      message_error;
	char	     *save_path; /* awaiting y/n */
	char	     *save_text; /* S: the view's text, awaiting a path */
	size_t	      save_text_len;

	struct app_plan *plan;		 /* plan.h */
	char		*reports_path;	 /* --reports, or given at t */
	int		 wizard_pending; /* w during a check: open at its end */
	struct tui_watch *watch;	 /* --watch (watch.h); NULL: off */

	int	 rows;
	int	 cols;
	WINDOW	*header;
	WINDOW	*status;
	unsigned spin;
	int	 flags; /* pending APP_* */

	struct app_source source; /* fd NULL: none */
};

void app_init(struct app *, const struct run_config *,
    const struct domain_name *, int ascii);
/* The same with another view than the panes at the bottom (dn may be NULL). */
void app_init_base(struct app *, const struct run_config *,
    const struct domain_name *, int ascii, const struct view_ops *);
void app_free(struct app *);
/* Frees the current check (never waits) and starts a new one. */
void app_start(struct app *);
/* Takes dn over, closes every drill-down view and checks the new name. */
void app_switch(struct app *, struct domain_name *);
/*
 * Opens the wizard asked for with w while the check ran, once the check is
 * done; returns APP_* flags (0 when nothing was pending or it still runs).
 */
int app_wizard_if_pending(struct app *);
/*
 * A scan's record on the usual domain screen: makes a check rebuilt from
 * doc (one `check --json` document, check_json.h) the app's check and
 * pushes the main view above the current one; Esc there returns to the
 * view under it, r checks the domain live instead.  Returns APP_* flags;
 * a document that cannot be read leaves everything as it was and says why
 * on the status line.
 */
int app_open_snapshot(struct app *, const char *doc, size_t len);
/*
 * Takes the finished snapshot c over as the app's check, on the views as
 * they are (mtasts-tui --from-json).  Returns 0, or -1 with *cause set
 * (caller frees) when its domain cannot be shown; c is freed then.
 */
int app_take_snapshot(struct app *, struct check *c, char **cause);
/* The check's callback: marks the model changed. */
void	    app_layer_cb(struct check *, enum check_layer, void *);
const char *app_domain(const struct app *);
const char *app_domain_unicode(const struct app *);

struct view *app_view(struct app *);
/* Pushes a view showing what loc names (NULL: nothing in particular). */
struct view *app_push(struct app *, const struct view_ops *,
    const struct view_loc *);
void	     app_pop(struct app *);
/* Pops down to the topmost main view (the domain screen). */
void app_pop_to_main(struct app *);
/* Opens the layer's detail view on the first finding with this code. */
void app_open_layer(struct app *, enum check_layer, int code);
/* The first blocker of the verdict: its layer and code; -1 if none. */
int app_first_blocker(struct app *, enum check_layer *);

void app_message(struct app *, int error, const char *, ...)
    __attribute__((format(printf, 3, 4)));
int  app_key(struct app *, int key);
void app_resize(struct app *);
void app_update(struct app *);
void app_draw(struct app *);

/* Rows the header and status line take; views get the rest. */
#define APP_HEADER_ROWS 1
#define APP_STATUS_ROWS 1

#endif
