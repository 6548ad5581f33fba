/*
 * keys: one int per key press.  Characters are their code point; function
 * keys are the curses KEY_* value with KEYS_FN set, so they never collide
 * with a character.
 */
#ifndef MTASTS_TUI_KEYS_H
#define MTASTS_TUI_KEYS_H

#include "curses.h"

#define KEYS_FN	     0x1000000
#define KEYS_CTRL(c) ((c)&0x1f)
#define KEYS_ESC     0x1b
#define KEYS_TAB     '\t'
#define KEYS_UP	     (KEYS_FN | KEY_UP)
#define KEYS_DOWN    (KEYS_FN | KEY_DOWN)
#define KEYS_LEFT    (KEYS_FN | KEY_LEFT)
#define KEYS_RIGHT   (KEYS_FN | KEY_RIGHT)
#define KEYS_PPAGE   (KEYS_FN | KEY_PPAGE)
#define KEYS_NPAGE   (KEYS_FN | KEY_NPAGE)
#define KEYS_HOME    (KEYS_FN | KEY_HOME)
#define KEYS_END     (KEYS_FN | KEY_END)
#define KEYS_BTAB    (KEYS_FN | KEY_BTAB)
#define KEYS_DC	     (KEYS_FN | KEY_DC)
#define KEYS_RESIZE  (KEYS_FN | KEY_RESIZE)

/* Reads one pending key without waiting; returns 0, or -1 if none. */
int keys_read(int *key);
int keys_is_enter(int key);
int keys_is_back(int key); /* Esc, Backspace, Left */
int keys_is_backspace(int key);

#endif
