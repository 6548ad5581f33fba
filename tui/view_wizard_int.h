/*
 * view_wizard_int: what the wizard view's files share (view_wizard.c:
 * keys, typing, the end; view_wizard_draw.c: the screens' drawing).
 */
#ifndef MTASTS_TUI_VIEW_WIZARD_INT_H
#define MTASTS_TUI_VIEW_WIZARD_INT_H

#include <stddef.h>

#include "prompt.h"
#include "widget_list.h"
#include "wizard/draft.h"

struct view;
struct view_wizard_end;

/*
 * A value the wizard asks for: its label, how it is checked while typed,
 * and where it goes (set; NULL: it replaces the selected list entry).
 */
struct wiz_field {
	const char     *label;
	wizard_valid_fn valid;
	wizard_set_fn	set;
	const char *full; /* the status when set refuses: the list is full */
};

#define WIZ_NSTEPS 7

struct wiz {
	struct wizard_draft    *d;
	struct view_wizard_end *end;	 /* NULL: inside the TUI */
	int			step;	 /* 0 .. WIZ_NSTEPS - 1 */
	struct wlist		entries; /* a list screen's entries */
	char		       *status;	 /* one message, until the next key */

	/* A value being typed (input.kind PROMPT_TEXT), and which. */
	struct prompt		input;
	const struct wiz_field *field;

	/*
	 * Writing: asked once, on one screen, when files exist and differ
	 * or a plan would be replaced (bits: 1 << gen_format).
	 */
	int	 confirming;
	unsigned exists, differ;

	/*
	 * A change plan instead of a rollout: on its screen (changing),
	 * a kind chosen (the draft holds it), and the plan made, shown
	 * and asked about before it is saved.
	 */
	int	      changing;
	int	      chosen;
	struct state *chplan;
};

/* A screen: its title and how it draws (from row y of the view). */
struct wiz_step {
	const char *title;
	void (*draw)(struct view *, struct wiz *, int y, int max);
};

extern const struct wiz_step wiz_steps[WIZ_NSTEPS];

/* The entries of the list screen: the MX patterns or the TLS-RPT URIs. */
char **wiz_list(struct wiz *, size_t **n);
/* Rebuilds the entries' lines from the draft (tag: entry + 1). */
void wiz_entries(struct wiz *);
/* The entry under the cursor (0 when the list is empty). */
size_t wiz_sel(struct wiz *);
/* Puts the cursor on entry i. */
void wiz_select(struct wiz *, size_t i);

/* The screen the keys go to: WIZ_ASK, WIZ_CHASK, WIZ_CHANGE or a step. */
int wiz_screen(const struct wiz *);
/* The change screen (view_wizard_draw.c). */
void wiz_draw_change(struct view *, struct wiz *, int y, int max);

/* Draws the whole view (title, screen, the typed line, the message). */
void wiz_draw(struct view *);

#endif
