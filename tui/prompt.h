/*
 * prompt: the one-line editor in the status line ('/' for a domain, 's'
 * for a file name, y/n to overwrite).  Input is UTF-8; editing happens at
 * the end of the line (Backspace, Ctrl+U, Ctrl+W).
 */
#ifndef MTASTS_TUI_PROMPT_H
#define MTASTS_TUI_PROMPT_H

#include <stddef.h>

#include "curses.h"

#define PROMPT_MAX 512

enum prompt_kind {
	PROMPT_NONE = 0,
	PROMPT_DOMAIN,
	PROMPT_SAVE,
	PROMPT_CONFIRM,
	PROMPT_REPORTS,
	PROMPT_TEXT /* a value a view asked for (the wizard's) */
};

enum prompt_result {
	PROMPT_EDITED,
	PROMPT_DONE,  /* Enter */
	PROMPT_CANCEL /* Esc */
};

struct prompt {
	enum prompt_kind kind;
	char		 label[64];
	char		 buf[PROMPT_MAX];
	size_t		 len;
	char		*error; /* shown after the text */
	char		*hint;	/* shown when no error */
};

void prompt_open(struct prompt *, enum prompt_kind, const char *label,
    const char *initial, const char *hint);
void prompt_close(struct prompt *);
void prompt_set_error(struct prompt *, const char *);
enum prompt_result prompt_key(struct prompt *, int key);
void		   prompt_draw(struct prompt *, WINDOW *, int cols);
/*
 * Only the label, the text (its end when long) and the cursor, at row y
 * from column x over cols columns: for a view that shows the error its
 * own way.  Returns the columns used.
 */
int prompt_draw_line(struct prompt *, WINDOW *, int y, int x, int cols);

#endif
