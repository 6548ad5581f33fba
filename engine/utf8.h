/*
 * utf8: strict UTF-8 checks and the neutralising of hostile text.
 */
#ifndef MTASTS_UTF8_H
#define MTASTS_UTF8_H

#include <stddef.h>

/*
 * Length (1-4) of the valid UTF-8 sequence at p, or 0 if the bytes there
 * are not one (overlong forms, surrogates and values past U+10FFFF are not).
 */
size_t utf8_valid_prefix(const unsigned char *p, size_t len);
/* 1 if all len bytes are valid UTF-8. */
int utf8_is_valid(const char *s, size_t len);
/*
 * A copy safe to print on a terminal (caller frees): control characters,
 * DEL, C1 controls and invalid UTF-8 bytes become visible \xNN escapes, and
 * a backslash becomes \\ so the result is unambiguous.  With ascii set,
 * every non-ASCII byte is escaped too.
 */
char *utf8_sanitize(const char *s, size_t len, int ascii);
/*
 * utf8_sanitize in ASCII, cut to 80 bytes with "...": network text quoted
 * in a finding message (caller frees).
 */
char *utf8_show(const char *s, size_t len);

#endif
