#include "config.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void
strbuf_init(struct strbuf *sb, size_t max)
{
	memset(sb, 0, sizeof(*sb));
	sb->max = max;
}

int
strbuf_add(struct strbuf *sb, const void *p, size_t n)
{
	size_t want;

	if (n > sb->max - sb->len) {
		sb->toobig = 1;
		return -1;
	}
	if (sb->len + n + 1 > sb->cap) {
		want = sb->cap == 0 ? 64 : sb->cap;
		while (want < sb->len + n + 1)
			want *= 2;
		if (want > sb->max + 1)
			want = sb->max + 1;
		sb->data = xreallocarray(sb->data, want, 1);
		sb->cap = want;
	}
	if (n > 0)
		memcpy(sb->data + sb->len, p, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
	return 0;
}

int
strbuf_addc(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

int
strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char   *s;
	int	rc;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	rc = strbuf_addstr(sb, s);
	free(s);
	return rc;
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->toobig = 0;
	if (sb->data != NULL)
		sb->data[0] = '\0';
}

char *
strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	if (sb->data == NULL)
		p = xstrdup("");
	else
		p = sb->data;
	if (len != NULL)
		*len = sb->len;
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void
strbuf_free(struct strbuf *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
}
