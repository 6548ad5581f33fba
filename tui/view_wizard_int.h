/*
 * view_wizard_int: what the wizard view's files share (view_wizard.c:
 * keys, typing, the end; view_wizard_draw.c: the screens' drawing).
 */
#ifndef MTASTS_TUI_VIEW_WIZARD_INT_H
#define MTASTS_TUI_VIEW_WIZARD_INT_H

#include <stddef.h>

#include "prompt.h"
#include "wizard/draft.h"

struct view;
struct view_wizard_end;

#define WIZ_NSTEPS 7

struct wiz {
	struct wizard_draft    *d;
	struct view_wizard_end *end;	/* NULL: inside the TUI */
	int			step;	/* 0 .. WIZ_NSTEPS - 1 */
	size_t			sel;	/* selected line of a list screen */
	char		       *status; /* one message, until the next key */

	/* A value being typed (input.kind PROMPT_TEXT). */
	struct prompt	input;
	wizard_valid_fn valid;
	void (*accept)(struct view *, const char *);

	/* Writing: the file asked about, and the answers given so far. */
	char  *asking;
	char **answered;
	int   *replace;
	size_t nanswered;
};

/* A screen: its title and how it draws (from row y of the view). */
struct wiz_step {
	const char *title;
	void (*draw)(struct view *, struct wiz *, int y, int max);
};

extern const struct wiz_step wiz_steps[WIZ_NSTEPS];

/* Draws the whole view (title, screen, the typed line, the message). */
void wiz_draw(struct view *);

#endif
