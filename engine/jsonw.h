/*
 * jsonw: a small streaming JSON writer.
 *
 * Strings are escaped for JSON and made valid UTF-8: control bytes, and
 * the characters of utf8_hidden() (C1, bidi controls, invisible formats),
 * become \uXXXX escapes, and each byte that is not part of a valid UTF-8
 * sequence becomes U+FFFD, so hostile network strings always yield valid
 * JSON that is safe to show on a terminal.
 * key is NULL for array members and for the top-level value.
 */
#ifndef MTASTS_JSONW_H
#define MTASTS_JSONW_H

#include <stddef.h>

struct jsonw;

struct jsonw *jsonw_new(int pretty);
void	      jsonw_free(struct jsonw *);
/* The finished document (caller frees); the writer is then spent. */
char *jsonw_finish(struct jsonw *, size_t *len);

void jsonw_object_begin(struct jsonw *, const char *key);
void jsonw_object_end(struct jsonw *);
void jsonw_array_begin(struct jsonw *, const char *key);
void jsonw_array_end(struct jsonw *);
/* s may be NULL: writes null. */
void jsonw_string(struct jsonw *, const char *key, const char *s);
void jsonw_stringn(struct jsonw *, const char *key, const char *s, size_t);
void jsonw_int(struct jsonw *, const char *key, long long);
void jsonw_uint(struct jsonw *, const char *key, unsigned long long);
void jsonw_double(struct jsonw *, const char *key, double);
void jsonw_bool(struct jsonw *, const char *key, int);
void jsonw_null(struct jsonw *, const char *key);

/* Appends s (len bytes) JSON-escaped, without quotes, to a strbuf. */
struct strbuf;
void jsonw_escape(struct strbuf *, const char *s, size_t len);

#endif
