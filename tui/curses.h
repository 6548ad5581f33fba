/*
 * curses: the one place the TUI includes curses (wide-character ncurses).
 * Nothing outside tui/ includes this file.
 */
#ifndef MTASTS_TUI_CURSES_H
#define MTASTS_TUI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <curses.h>

#endif
