/*
 * curses: the one place the wizard includes curses (wide-character
 * ncurses).  Only screens.c includes this file.
 */
#ifndef MTASTS_WIZARD_CURSES_H
#define MTASTS_WIZARD_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <curses.h>

#endif
