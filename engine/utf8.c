#include "config.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#define UTF8_SHOW_MAX 80 /* bytes of network text quoted in a message */

#include "strbuf.h"
#include "xmalloc.h"

size_t
utf8_valid_prefix(const unsigned char *p, size_t len)
{
	unsigned int cp;
	size_t	     n, i;

	if (len == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int
utf8_is_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		     i = 0, n;

	while (i < len) {
		if ((n = utf8_valid_prefix(p + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

char *
utf8_show(const char *s, size_t len)
{
	char *clean, *out;

	if (len <= UTF8_SHOW_MAX)
		return utf8_sanitize(s, len, 1);
	clean = utf8_sanitize(s, UTF8_SHOW_MAX, 1);
	out = xasprintf("%s...", clean);
	free(clean);
	return out;
}

char *
utf8_sanitize(const char *s, size_t len, int ascii)
{
	const unsigned char *p = (const unsigned char *)s;
	struct strbuf	     sb;
	size_t		     i = 0, n;

	/* Each input byte yields at most 4 output bytes. */
	strbuf_init(&sb, len * 4 + 1);
	while (i < len) {
		if (p[i] >= 0x80 && !ascii &&
		    (n = utf8_valid_prefix(p + i, len - i)) != 0) {
			/* C1 controls (U+0080..U+009F) can drive terminals. */
			if (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) {
				strbuf_addf(&sb, "\\x%02x\\x%02x", p[i],
				    p[i + 1]);
			} else
				strbuf_add(&sb, p + i, n);
			i += n;
			continue;
		}
		if (p[i] < 0x20 || p[i] >= 0x7f)
			strbuf_addf(&sb, "\\x%02x", p[i]);
		else if (p[i] == '\\')
			strbuf_add(&sb, "\\\\", 2);
		else
			strbuf_addc(&sb, (char)p[i]);
		i++;
	}
	return strbuf_detach(&sb, NULL);
}
