#include "config.h"
#include "smtp_reply.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "xmalloc.h"

struct smtp_reply_parser {
	struct strbuf	   line;  /* current line, EOL not included */
	struct smtp_reply *reply; /* being assembled, NULL before 1st */
	size_t		   size;  /* octets of this reply so far */
	int		   done;  /* reply complete, not yet taken */
	char		  *error; /* set once: the parser is stuck */
};

static int smtp_reply_fail(struct smtp_reply_parser *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
static int smtp_reply_line(struct smtp_reply_parser *, int);
static int smtp_reply_kchar(int);

struct smtp_reply_parser *
smtp_reply_parser_new(void)
{
	struct smtp_reply_parser *p;

	p = xcalloc(1, sizeof(*p));
	strbuf_init(&p->line, SMTP_REPLY_LINEMAX);
	return p;
}

void
smtp_reply_parser_free(struct smtp_reply_parser *p)
{
	if (p == NULL)
		return;
	strbuf_free(&p->line);
	smtp_reply_free(p->reply);
	free(p->error);
	free(p);
}

void
smtp_reply_free(struct smtp_reply *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nlines; i++)
		free(r->lines[i]);
	free(r->lines);
	free(r);
}

static int
smtp_reply_fail(struct smtp_reply_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	p->error = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * One complete line is in p->line.  Returns 1 when it ends the reply, 0
 * when more lines follow, -1 on error.
 */
static int
smtp_reply_line(struct smtp_reply_parser *p, int bare_lf)
{
	const unsigned char *s = (const unsigned char *)p->line.data;
	size_t		     len = p->line.len, i;
	struct smtp_reply   *r;
	int		     code, last;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	for (i = 0; i < len; i++) {
		if (s[i] == '\r')
			return smtp_reply_fail(p, "CR inside a reply line");
	}
	if (len < 3)
		return smtp_reply_fail(p, "reply line shorter than a code");
	if (s[0] < '2' || s[0] > '5' || s[1] < '0' || s[1] > '5' ||
	    s[2] < '0' || s[2] > '9')
		return smtp_reply_fail(p, "bad reply code \"%c%c%c\"",
		    s[0] >= 0x20 && s[0] < 0x7f ? s[0] : '?',
		    s[1] >= 0x20 && s[1] < 0x7f ? s[1] : '?',
		    s[2] >= 0x20 && s[2] < 0x7f ? s[2] : '?');
	code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	if (len == 3)
		last = 1;
	else if (s[3] == ' ')
		last = 1;
	else if (s[3] == '-')
		last = 0;
	else
		return smtp_reply_fail(p,
		    "code %d followed by neither space "
		    "nor hyphen",
		    code);
	for (i = 4; i < len; i++) {
		if (s[i] != '\t' && (s[i] < 0x20 || s[i] == 0x7f))
			return smtp_reply_fail(p,
			    "control character 0x%02x "
			    "in reply text",
			    s[i]);
	}

	if (p->reply == NULL)
		p->reply = xcalloc(1, sizeof(*p->reply));
	r = p->reply;
	if (r->nlines > 0 && code != r->code)
		return smtp_reply_fail(p,
		    "reply code changes from %d to %d "
		    "inside one reply",
		    r->code, code);
	if (r->nlines == SMTP_REPLY_MAXLINES)
		return smtp_reply_fail(p, "more than %d lines in one reply",
		    SMTP_REPLY_MAXLINES);
	r->code = code;
	r->lines = xreallocarray(r->lines, r->nlines + 1, sizeof(*r->lines));
	r->lines[r->nlines++] =
	    len > 4 ? xstrndup((const char *)s + 4, len - 4) : xstrdup("");
	if (bare_lf)
		r->bare_lf = 1;
	strbuf_reset(&p->line);
	return last;
}

enum smtp_reply_status
smtp_reply_parser_feed(struct smtp_reply_parser *p, const void *buf, size_t len,
    size_t *used)
{
	const unsigned char *b = buf;
	size_t		     i;
	int		     bare, rc;

	*used = 0;
	if (p->error != NULL)
		return SMTP_REPLY_ERROR;
	if (p->done)
		return SMTP_REPLY_DONE; /* take it first */
	for (i = 0; i < len; i++) {
		*used = i + 1;
		if (++p->size > SMTP_REPLY_MAXSIZE) {
			smtp_reply_fail(p, "reply longer than %d octets",
			    SMTP_REPLY_MAXSIZE);
			return SMTP_REPLY_ERROR;
		}
		if (b[i] == '\0') {
			smtp_reply_fail(p, "NUL byte in reply");
			return SMTP_REPLY_ERROR;
		}
		if (b[i] != '\n') {
			/* Room is kept for the LF: the limit counts the EOL. */
			if (p->line.len + 1 >= SMTP_REPLY_LINEMAX ||
			    strbuf_addc(&p->line, (char)b[i]) == -1) {
				smtp_reply_fail(p,
				    "reply line longer than %d "
				    "octets",
				    SMTP_REPLY_LINEMAX);
				return SMTP_REPLY_ERROR;
			}
			continue;
		}
		bare =
		    p->line.len == 0 || p->line.data[p->line.len - 1] != '\r';
		if ((rc = smtp_reply_line(p, bare)) == -1)
			return SMTP_REPLY_ERROR;
		if (rc == 1) {
			p->reply->size = p->size;
			p->done = 1;
			return SMTP_REPLY_DONE;
		}
	}
	return SMTP_REPLY_MORE;
}

struct smtp_reply *
smtp_reply_parser_take(struct smtp_reply_parser *p)
{
	struct smtp_reply *r;

	if (!p->done)
		return NULL;
	r = p->reply;
	p->reply = NULL;
	p->done = 0;
	p->size = 0;
	return r;
}

const char *
smtp_reply_parser_error(const struct smtp_reply_parser *p)
{
	return p->error != NULL ? p->error : "no error";
}

size_t
smtp_reply_parser_pending(const struct smtp_reply_parser *p)
{
	return p->done ? 0 : p->size;
}

struct smtp_reply *
smtp_reply_parse(const void *buf, size_t len, size_t *used, char **cause)
{
	struct smtp_reply_parser *p;
	struct smtp_reply	 *r = NULL;

	*cause = NULL;
	p = smtp_reply_parser_new();
	switch (smtp_reply_parser_feed(p, buf, len, used)) {
	case SMTP_REPLY_DONE:
		r = smtp_reply_parser_take(p);
		break;
	case SMTP_REPLY_MORE:
		*cause = xstrdup(p->line.len > 0 || p->reply != NULL
			? "reply incomplete (no final line)"
			: "no reply");
		break;
	case SMTP_REPLY_ERROR:
		*cause = xstrdup(p->error);
		break;
	}
	smtp_reply_parser_free(p);
	return r;
}

/* RFC 5321 ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-") */
static int
smtp_reply_kchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

int
smtp_reply_ehlo_has(const struct smtp_reply *r, const char *keyword,
    const char **params)
{
	const char *s, *e;
	size_t	    i, klen = strlen(keyword);

	if (r == NULL || klen == 0)
		return 0;
	for (i = 1; i < r->nlines; i++) {
		s = r->lines[i];
		if (*s == '-')
			continue; /* a keyword cannot start with '-' */
		for (e = s; smtp_reply_kchar((unsigned char)*e); e++)
			;
		if (e == s || (*e != '\0' && *e != ' '))
			continue;
		if ((size_t)(e - s) != klen ||
		    strncasecmp(s, keyword, klen) != 0)
			continue;
		if (params != NULL) {
			while (*e == ' ')
				e++;
			*params = e;
		}
		return 1;
	}
	return 0;
}
