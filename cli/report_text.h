/*
 * report_text: the readable report of `check --text` and `lint --text`.
 * Grouped by layer, errors first within a layer; colour only when asked
 * (the caller decides: a terminal, no --no-color, no NO_COLOR); every
 * string that came from the network is neutralised before it is printed.
 */
#ifndef MTASTS_CLI_REPORT_TEXT_H
#define MTASTS_CLI_REPORT_TEXT_H

#include <stdio.h>

#include "check.h"

struct report_text_style {
	int color;
	int ascii; /* the locale is not UTF-8 */
};

void report_text_check(FILE *, const struct check *, const char *domain_unicode,
    const struct report_text_style *);
/* One layer's heading, summary lines and findings (also used by lint). */
void report_text_layer(FILE *, const char *name, enum check_status,
    unsigned elapsed_ms, const char *const *lines, size_t nlines,
    const struct finding_list *, const struct report_text_style *);
void report_text_style_init(struct report_text_style *, int color_allowed,
    FILE *);

#endif
