#include "config.h"
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#define JSONW_MAX_DEPTH 64
#define JSONW_MAX_SIZE	(256u * 1024 * 1024) /* far above any report */

struct jsonw {
	struct strbuf out;
	int	      pretty;
	int	      depth;
	int	      first[JSONW_MAX_DEPTH];
};

struct jsonw *
jsonw_new(int pretty)
{
	struct jsonw *j;

	j = xcalloc(1, sizeof(*j));
	strbuf_init(&j->out, JSONW_MAX_SIZE);
	j->pretty = pretty;
	j->first[0] = 1;
	return j;
}

void
jsonw_free(struct jsonw *j)
{
	if (j == NULL)
		return;
	strbuf_free(&j->out);
	free(j);
}

char *
jsonw_finish(struct jsonw *j, size_t *len)
{
	if (j->pretty)
		strbuf_addc(&j->out, '\n');
	return strbuf_detach(&j->out, len);
}

static void
jsonw_indent(struct jsonw *j)
{
	int i;

	if (!j->pretty)
		return;
	strbuf_addc(&j->out, '\n');
	for (i = 0; i < j->depth; i++)
		strbuf_add(&j->out, "  ", 2);
}

void
jsonw_escape(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int	     cp;
	size_t		     i = 0, n;

	while (i < len) {
		if (p[i] >= 0x80) {
			n = utf8_valid_prefix(p + i, len - i);
			if (n == 0) {
				strbuf_addstr(sb, "\\ufffd");
				i++;
			} else if ((cp = utf8_hidden(p + i, n)) != 0) {
				/* Escaped, so a terminal showing the JSON is safe. */
				if (cp >= 0x10000)
					strbuf_addf(sb, "\\u%04x\\u%04x",
					    0xd800 + ((cp - 0x10000) >> 10),
					    0xdc00 + ((cp - 0x10000) & 0x3ff));
				else
					strbuf_addf(sb, "\\u%04x", cp);
				i += n;
			} else {
				strbuf_add(sb, p + i, n);
				i += n;
			}
			continue;
		}
		switch (p[i]) {
		case '"':
			strbuf_addstr(sb, "\\\"");
			break;
		case '\\':
			strbuf_addstr(sb, "\\\\");
			break;
		case '\n':
			strbuf_addstr(sb, "\\n");
			break;
		case '\r':
			strbuf_addstr(sb, "\\r");
			break;
		case '\t':
			strbuf_addstr(sb, "\\t");
			break;
		default:
			if (p[i] < 0x20 || p[i] == 0x7f)
				strbuf_addf(sb, "\\u%04x", p[i]);
			else
				strbuf_addc(sb, (char)p[i]);
		}
		i++;
	}
}

static void
jsonw_key(struct jsonw *j, const char *key)
{
	if (!j->first[j->depth])
		strbuf_addc(&j->out, ',');
	j->first[j->depth] = 0;
	if (j->depth > 0)
		jsonw_indent(j);
	if (key != NULL) {
		strbuf_addc(&j->out, '"');
		jsonw_escape(&j->out, key, strlen(key));
		strbuf_addstr(&j->out, j->pretty ? "\": " : "\":");
	}
}

static void
jsonw_open(struct jsonw *j, const char *key, char c)
{
	jsonw_key(j, key);
	strbuf_addc(&j->out, c);
	if (j->depth + 1 >= JSONW_MAX_DEPTH)
		abort(); /* a programming error: our documents are flat */
	j->first[++j->depth] = 1;
}

static void
jsonw_close(struct jsonw *j, char c)
{
	int empty = j->first[j->depth];

	j->depth--;
	if (!empty)
		jsonw_indent(j);
	strbuf_addc(&j->out, c);
}

void
jsonw_object_begin(struct jsonw *j, const char *key)
{
	jsonw_open(j, key, '{');
}

void
jsonw_object_end(struct jsonw *j)
{
	jsonw_close(j, '}');
}

void
jsonw_array_begin(struct jsonw *j, const char *key)
{
	jsonw_open(j, key, '[');
}

void
jsonw_array_end(struct jsonw *j)
{
	jsonw_close(j, ']');
}

void
jsonw_stringn(struct jsonw *j, const char *key, const char *s, size_t len)
{
	jsonw_key(j, key);
	if (s == NULL) {
		strbuf_addstr(&j->out, "null");
		return;
	}
	strbuf_addc(&j->out, '"');
	jsonw_escape(&j->out, s, len);
	strbuf_addc(&j->out, '"');
}

void
jsonw_string(struct jsonw *j, const char *key, const char *s)
{
	jsonw_stringn(j, key, s, s == NULL ? 0 : strlen(s));
}

void
jsonw_int(struct jsonw *j, const char *key, long long v)
{
	jsonw_key(j, key);
	strbuf_addf(&j->out, "%lld", v);
}

void
jsonw_uint(struct jsonw *j, const char *key, unsigned long long v)
{
	jsonw_key(j, key);
	strbuf_addf(&j->out, "%llu", v);
}

void
jsonw_double(struct jsonw *j, const char *key, double v)
{
	jsonw_key(j, key);
	if (isfinite(v))
		strbuf_addf(&j->out, "%.17g", v);
	else
		strbuf_addstr(&j->out, "null");
}

void
jsonw_bool(struct jsonw *j, const char *key, int v)
{
	jsonw_key(j, key);
	strbuf_addstr(&j->out, v ? "true" : "false");
}

void
jsonw_null(struct jsonw *j, const char *key)
{
	jsonw_key(j, key);
	strbuf_addstr(&j->out, "null");
}
