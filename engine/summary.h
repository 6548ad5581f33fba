/*
 * summary: the two or three lines that matter for each layer, computed
 * apart from any rendering so the TUI panes and the text report show the
 * same thing.  Network strings in them are already neutralised with
 * utf8_sanitize() (ascii selects the non-UTF-8 form).
 */
#ifndef MTASTS_SUMMARY_H
#define MTASTS_SUMMARY_H

#include <stddef.h>

#include "check.h"

#define SUMMARY_MAX_LINES 16

struct summary {
	char  *line[SUMMARY_MAX_LINES];
	size_t n;
};

/* Fills s (the caller frees it with summary_clear). */
void summary_layer(struct summary *s, const struct check *, enum check_layer,
    int				   ascii);
void summary_clear(struct summary *);
/* For the layers' summary functions (layer_*.c): one more line. */
void summary_add(struct summary *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
/* A sanitised copy of network text (caller frees). */
char *summary_clean(const char *, size_t len, int ascii);
/* "7 d", "1 y", "86400 s": a max_age for people. */
char *summary_duration(long long seconds);

#endif
