/*
 * strbuf: a growable byte buffer with a hard maximum size.
 *
 * Everything assembled from network input goes through one of these, so a
 * hostile peer can make us allocate at most `max` bytes.  Fields are
 * read-only for callers; data is always NUL-terminated (the NUL is not
 * counted in len and not against max).
 */
#ifndef MTASTS_STRBUF_H
#define MTASTS_STRBUF_H

#include <stddef.h>

struct strbuf {
	char  *data; /* NULL until the first byte is added */
	size_t len;
	size_t cap;
	size_t max;
	int    toobig; /* set once an add was refused */
};

void strbuf_init(struct strbuf *, size_t max);
/* These return 0, or -1 (and set toobig) when max would be exceeded. */
int strbuf_add(struct strbuf *, const void *, size_t);
int strbuf_addc(struct strbuf *, char);
int strbuf_addstr(struct strbuf *, const char *);
int strbuf_addf(struct strbuf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *);
/* Hands the buffer (never NULL, possibly "") to the caller, who frees it. */
char *strbuf_detach(struct strbuf *, size_t *len);
void  strbuf_free(struct strbuf *);

#endif
