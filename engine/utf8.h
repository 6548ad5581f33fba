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
 * The code point of the valid n-byte sequence at p if it must not reach a
 * screen or a JSON reader as it is, else 0: C1 controls, bidirectional
 * controls, zero-width and other invisible format characters, line and
 * paragraph separators (doc/decisions.md, "Hostile text").
 */
unsigned int utf8_hidden(const unsigned char *p, size_t n);
/*
 * A copy safe to print on a terminal (caller frees): control characters,
 * DEL and invalid UTF-8 bytes become visible \xNN escapes, the characters
 * of utf8_hidden() become <U+XXXX>, and a backslash becomes \\ so a byte
 * escape is unambiguous.  With ascii set, every non-ASCII byte is escaped
 * as \xNN.
 */
char *utf8_sanitize(const char *s, size_t len, int ascii);
/*
 * utf8_sanitize in ASCII, cut to 80 bytes with "...": network text quoted
 * in a finding message (caller frees).
 */
char *utf8_show(const char *s, size_t len);

#endif
