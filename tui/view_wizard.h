/*
 * view_wizard: the rollout wizard as a view on the screen's one loop and
 * view stack: seven screens (current state, MX patterns, mode and
 * max_age, TLS-RPT, policy id, hosting, output), and from the first one
 * a change plan of the served policy (issue 13), over a wizard_draft
 * (wizard/draft.h, which holds every rule); this view only draws the
 * draft and turns keys (keys_wizard.h) into draft changes.  Text is typed
 * through the prompt (prompt.h), checked while typing.
 */
#ifndef MTASTS_TUI_VIEW_WIZARD_H
#define MTASTS_TUI_VIEW_WIZARD_H

struct app;
struct wizard_draft;

/* The screens, as bits of the key table (keys_wizard.h). */
#define WIZ_STATE   0x01
#define WIZ_MX	    0x02
#define WIZ_MODE    0x04
#define WIZ_RUA	    0x08
#define WIZ_ID	    0x10
#define WIZ_HOSTING 0x20
#define WIZ_OUTPUT  0x40
#define WIZ_STEPS   0x7f
#define WIZ_LISTS   (WIZ_MX | WIZ_RUA)
#define WIZ_ASK	    0x80  /* asking once whether to replace files and plan */
#define WIZ_CHANGE  0x100 /* a change plan: its kind and settings */
#define WIZ_CHASK   0x200 /* a change plan made: save it? */

/* In the key table: every Enter key (keys_is_enter()). */
#define WIZ_ENTER '\r'

/* How the wizard ended, for mtasts-tui wizard (the screen alone). */
struct view_wizard_end {
	int   rc;      /* 0 written, 1 left */
	char *summary; /* when written: what and where (caller frees) */
};

/*
 * Pushes the wizard over the draft (taken over).  With end set, leaving
 * or writing quits the screen and fills *end; without, it pops back to
 * the view below with a message.  Returns APP_* flags.
 */
int view_wizard_open(struct app *, struct wizard_draft *,
    struct view_wizard_end *end);

#endif
