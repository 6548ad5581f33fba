/*
 * text: display width, wrapping and clipped drawing of UTF-8 strings, and
 * the neutralising of text before it reaches the terminal.
 *
 * Network strings go through text_clean() (utf8_sanitize: control bytes,
 * invalid UTF-8 and backslashes escaped, bidi controls and invisible
 * characters shown as <U+XXXX>) before they enter any view.  text_draw()
 * additionally guards everything it draws with text_guard(), which escapes
 * any control byte, invalid sequence or utf8_hidden() character still left
 * (engine text is already clean, so backslashes are left alone there).
 */
#ifndef MTASTS_TUI_TEXT_H
#define MTASTS_TUI_TEXT_H

#include <stddef.h>

#include "curses.h"

/* A copy of network bytes safe to draw (caller frees). */
char *text_clean(const char *s, size_t len);
/* The same for a NUL-terminated string; NULL gives "". */
char *text_cleans(const char *s);
/*
 * A copy with control bytes, invalid UTF-8 and hidden characters escaped
 * (caller frees).
 */
char *text_guard(const char *s);
/* Columns s takes on the screen. */
int text_width(const char *s);
/* Bytes of s that fit in cols columns; *used gets the columns taken. */
size_t text_fit(const char *s, int cols, int *used);
/*
 * Splits s into lines of at most cols columns, at spaces where it can.
 * Returns the number of lines; *lines is an array of copies (caller
 * frees each and the array).  An empty s gives one empty line.
 */
size_t text_wrap(const char *s, int cols, char ***lines);
/*
 * Draws s at (y, x) clipped to cols columns, with attr; returns the
 * columns used.  s is guarded first.
 */
int text_draw(WINDOW *, int y, int x, int cols, const char *s, attr_t);
/* Fills cols columns of a line with ch (one column wide) and attr. */
void text_fill(WINDOW *, int y, int x, int cols, const char *ch, attr_t);

#endif
