/*
 * libFuzzer target: the scan's input list (engine/domain_list.h).  The
 * first byte picks a chunk size; the rest is parsed whole and in chunks of
 * that size, and both must give the same list.  Every kept name must be a
 * valid lower-case A-label that parses to itself, found at its own index
 * (no duplicates), with increasing line numbers; every note must be
 * printable UTF-8 on a line that exists.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "domain_list.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static unsigned long fuzz_last_note;

static void
fuzz_note(unsigned long line, const char *msg, void *arg)
{
	const unsigned char *p = (const unsigned char *)msg;
	size_t		     len = strlen(msg), i;

	(void)arg;
	if (line == 0 || line < fuzz_last_note || !utf8_is_valid(msg, len))
		abort();
	fuzz_last_note = line;
	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			abort();
}

static struct domain_list *
fuzz_parse(const uint8_t *d, size_t n, size_t chunk)
{
	struct domain_list *dl;
	size_t		    off, len;

	fuzz_last_note = 0;
	dl = domain_list_new(fuzz_note, NULL);
	for (off = 0; off < n; off += len) {
		len = n - off < chunk ? n - off : chunk;
		domain_list_feed(dl, d + off, len);
	}
	domain_list_end(dl);
	return dl;
}

static void
fuzz_check(const struct domain_list *dl)
{
	struct domain_list_counts c;
	struct domain_name	 *dn;
	const char		 *a, *u;
	char			 *cause;
	unsigned long		  prev = 0;
	size_t			  i;

	domain_list_counts(dl, &c);
	if (c.domains != domain_list_count(dl))
		abort();
	for (i = 0; i < domain_list_count(dl); i++) {
		a = domain_list_ascii(dl, i);
		u = domain_list_unicode(dl, i);
		if (strlen(a) > DOMAIN_MAX_NAME ||
		    domain_list_find(dl, a) != (long)i ||
		    domain_list_line(dl, i) <= prev ||
		    domain_list_line(dl, i) > c.lines)
			abort();
		prev = domain_list_line(dl, i);
		if ((dn = domain_name_parse(a, &cause)) == NULL)
			abort();
		if (strcmp(domain_name_ascii(dn), a) != 0 ||
		    (u == NULL) != (domain_name_unicode(dn) == NULL) ||
		    (u != NULL && strcmp(u, domain_name_unicode(dn)) != 0))
			abort();
		domain_name_free(dn);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct domain_list *whole, *parts;
	size_t		    i, chunk;

	if (size == 0)
		return 0;
	chunk = (size_t)data[0] % 64 + 1;
	data++;
	size--;
	whole = fuzz_parse(data, size, size == 0 ? 1 : size);
	parts = fuzz_parse(data, size, chunk);
	fuzz_check(whole);
	if (domain_list_count(whole) != domain_list_count(parts))
		abort();
	for (i = 0; i < domain_list_count(whole); i++)
		if (strcmp(domain_list_ascii(whole, i),
			domain_list_ascii(parts, i)) != 0 ||
		    domain_list_line(whole, i) != domain_list_line(parts, i))
			abort();
	domain_list_free(whole);
	domain_list_free(parts);
	return 0;
}
