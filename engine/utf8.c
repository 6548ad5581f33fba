#include "config.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#define UTF8_SHOW_MAX 80 /* bytes of network text quoted in a message */

#include "strbuf.h"
#include "xmalloc.h"

/*
 * Characters that are valid UTF-8 yet must not reach a screen raw: they
 * drive the terminal (C1), reorder what is shown (bidi controls, as in
 * "Trojan Source"), or take no room at all, so two strings that look the
 * same differ.  doc/decisions.md, "Hostile text", says why each is here.
 */
static const struct {
	unsigned int lo, hi;
} utf8_hidden_table[] = {
	{ 0x0080, 0x009f },   /* C1 controls */
	{ 0x00ad, 0x00ad },   /* soft hyphen */
	{ 0x034f, 0x034f },   /* combining grapheme joiner */
	{ 0x061c, 0x061c },   /* arabic letter mark */
	{ 0x115f, 0x1160 },   /* hangul fillers */
	{ 0x180e, 0x180e },   /* mongolian vowel separator */
	{ 0x200b, 0x200f },   /* zero width space, ZWNJ, ZWJ, LRM, RLM */
	{ 0x2028, 0x202e },   /* line, paragraph separators; LRE..RLO */
	{ 0x2060, 0x2064 },   /* word joiner, invisible operators */
	{ 0x2066, 0x206f },   /* LRI, RLI, FSI, PDI; deprecated formats */
	{ 0x3164, 0x3164 },   /* hangul filler */
	{ 0xfeff, 0xfeff },   /* zero width no-break space (BOM) */
	{ 0xffa0, 0xffa0 },   /* halfwidth hangul filler */
	{ 0xfff9, 0xfffb },   /* interlinear annotation */
	{ 0xe0000, 0xe007f }, /* tags */
	{ 0xe0100, 0xe01ef }, /* variation selectors 17..256 */
};

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

unsigned int
utf8_hidden(const unsigned char *p, size_t n)
{
	unsigned int cp;
	size_t	     i;

	switch (n) {
	case 2:
		cp = (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu);
		break;
	case 3:
		cp =
		    (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
		break;
	case 4:
		cp = (p[0] & 0x07u) << 18 | (p[1] & 0x3fu) << 12 |
		    (p[2] & 0x3fu) << 6 | (p[3] & 0x3fu);
		break;
	default:
		return 0;
	}
	for (i = 0;
	     i < sizeof(utf8_hidden_table) / sizeof(utf8_hidden_table[0]); i++)
		if (cp >= utf8_hidden_table[i].lo &&
		    cp <= utf8_hidden_table[i].hi)
			return cp;
	return 0;
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
	unsigned int	     cp;
	size_t		     i = 0, n;

	/* Each input byte yields at most 4 output bytes. */
	strbuf_init(&sb, len * 4 + 1);
	while (i < len) {
		if (p[i] >= 0x80 && !ascii &&
		    (n = utf8_valid_prefix(p + i, len - i)) != 0) {
			if ((cp = utf8_hidden(p + i, n)) != 0)
				strbuf_addf(&sb, "<U+%04X>", cp);
			else
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
