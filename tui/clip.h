/*
 * clip: copying text to the clipboard through the terminal (OSC 52), the
 * only way that works over ssh and inside tmux.  Off unless the terminal
 * says it can (terminfo's Ms capability, which tmux also reads) or the
 * user turns it on with MTASTS_OSC52=1; MTASTS_OSC52=0 turns it off
 * (doc/decisions.md, "Copying with OSC 52").
 *
 * UI thread only; call after term_init().
 */
#ifndef MTASTS_TUI_CLIP_H
#define MTASTS_TUI_CLIP_H

#include <stddef.h>

#define CLIP_MAX (64u * 1024) /* more is refused: terminals drop it */

/* 1 when copying is on; *why (static) says why not. */
int clip_enabled(const char **why);
/* Sends text; 0, or -1 with *why (static). */
int clip_copy(const char *text, size_t len, const char **why);

#endif
