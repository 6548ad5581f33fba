/*
 * libFuzzer target: the HTTP response headers of a policy fetch.  Each
 * input line goes to the header callback of policy_fetch.c as libcurl
 * hands it over (one line, CRLF included, not NUL-terminated); the kept
 * Content-Type is then parsed by policy_fetch_content_type(), as the
 * classification does, and so is the whole input as one header value.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy_fetch.h"
#include "policy_fetch_internal.h"
#include "xmalloc.h"

#define FUZZ_HDRMAX 1024 /* POLICY_FETCH_HDRMAX */

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_content_type(const char *value)
{
	char *cs = NULL;

	(void)policy_fetch_content_type(value, &cs);
	if (cs != NULL && strlen(cs) > strlen(value))
		abort();
	free(cs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_fetch_addr a;
	const uint8_t		*nl;
	char			*line, *whole;
	size_t			 off = 0, len;

	memset(&a, 0, sizeof(a));
	while (off < size) {
		nl = memchr(data + off, '\n', size - off);
		len = nl != NULL ? (size_t)(nl - (data + off)) + 1 : size - off;
		/* An exact-size copy: ASan sees any read past the line. */
		line = xmalloc(len);
		memcpy(line, data + off, len);
		if (policy_fetch_header_feed(&a, line, len) != len)
			abort();
		free(line);
		off += len;
	}
	if ((a.content_type != NULL && strlen(a.content_type) > FUZZ_HDRMAX) ||
	    (a.location != NULL && strlen(a.location) > FUZZ_HDRMAX) ||
	    (a.cache_control != NULL &&
		strlen(a.cache_control) > 2 * FUZZ_HDRMAX + 2))
		abort();
	if (a.content_type != NULL)
		fuzz_content_type(a.content_type);
	free(a.content_type);
	free(a.location);
	free(a.cache_control);

	whole = xstrndup((const char *)data, size);
	fuzz_content_type(whole);
	free(whole);
	return 0;
}
