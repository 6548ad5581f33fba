/*
 * libFuzzer target: the SMTP reply parser.  The input is parsed twice,
 * whole and in chunks whose sizes come from the input itself, and both
 * must give the same replies; every reply must respect the limits.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_reply.h"

#define FUZZ_MAX_REPLIES 64

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_out {
	int    code[FUZZ_MAX_REPLIES];
	size_t size[FUZZ_MAX_REPLIES];
	size_t n;
	int    error;
	size_t consumed;
};

static void
fuzz_check(const struct smtp_reply *r)
{
	const char *params;
	size_t	    i, len;

	if (r->code < 200 || r->code > 559 || r->code % 100 > 59)
		abort();
	if (r->nlines == 0 || r->nlines > SMTP_REPLY_MAXLINES ||
	    r->size > SMTP_REPLY_MAXSIZE)
		abort();
	for (i = 0; i < r->nlines; i++) {
		len = strlen(r->lines[i]);
		if (len + 4 + 2 > SMTP_REPLY_LINEMAX + 1 ||
		    strpbrk(r->lines[i], "\r\n") != NULL)
			abort();
	}
	if (smtp_reply_ehlo_has(r, "STARTTLS", &params) &&
	    (params == NULL || strpbrk(params, "\r\n") != NULL))
		abort();
}

/* chunk 0: all at once; else bytes are fed chunk at a time. */
static void
fuzz_run(const uint8_t *d, size_t n, size_t chunk, struct fuzz_out *o)
{
	struct smtp_reply_parser *p;
	struct smtp_reply	 *r;
	enum smtp_reply_status	  st;
	size_t			  off = 0, len, used;

	memset(o, 0, sizeof(*o));
	p = smtp_reply_parser_new();
	while (off < n && o->n < FUZZ_MAX_REPLIES) {
		len = chunk == 0 || n - off < chunk ? n - off : chunk;
		st = smtp_reply_parser_feed(p, d + off, len, &used);
		if (used > len)
			abort();
		off += used;
		if (st == SMTP_REPLY_ERROR) {
			if (strlen(smtp_reply_parser_error(p)) == 0)
				abort();
			o->error = 1;
			break;
		}
		if (st == SMTP_REPLY_DONE) {
			if ((r = smtp_reply_parser_take(p)) == NULL)
				abort();
			fuzz_check(r);
			o->code[o->n] = r->code;
			o->size[o->n++] = r->size;
			smtp_reply_free(r);
		} else if (used != len)
			abort();
	}
	o->consumed = off;
	smtp_reply_parser_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_out	   a, b;
	struct smtp_reply *r;
	size_t		   chunk, used;
	char		  *cause;

	fuzz_run(data, size, 0, &a);
	chunk = size > 0 ? (size_t)data[0] % 17 + 1 : 1;
	fuzz_run(data, size, chunk, &b);
	if (a.n != b.n || a.error != b.error || a.consumed != b.consumed ||
	    memcmp(a.code, b.code, sizeof(a.code)) != 0 ||
	    memcmp(a.size, b.size, sizeof(a.size)) != 0)
		abort();

	r = smtp_reply_parse(data, size, &used, &cause);
	if ((r == NULL) == (cause == NULL) || used > size)
		abort();
	if (r != NULL &&
	    (a.n == 0 || r->code != a.code[0] || used != a.size[0]))
		abort();
	smtp_reply_free(r);
	free(cause);
	return 0;
}
