#include "config.h"
#include "domain_list.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain.h"
#include "utf8.h"
#include "xmalloc.h"

struct domain_list_entry {
	char	     *ascii;
	char	     *unicode; /* NULL: no IDN label */
	unsigned long line;
};

struct domain_list {
	domain_list_note_cb	  cb;
	void			 *arg;
	struct domain_list_entry *v;
	size_t			  n, cap;
	/* Open addressing over v: slot holds index + 1, 0 is empty. */
	size_t *slots;
	size_t	nslots;
	/* The line being read: at most DOMAIN_LIST_MAX_LINE bytes kept. */
	char			  line[DOMAIN_LIST_MAX_LINE + 1];
	size_t			  len;
	int			  too_long;
	unsigned long		  lineno;
	size_t			  notes;
	struct domain_list_counts counts;
};

static void domain_list_note(struct domain_list *, unsigned long, const char *,
    ...) __attribute__((format(printf, 3, 4)));

static void
domain_list_note(struct domain_list *dl, unsigned long line, const char *fmt,
    ...)
{
	va_list ap;
	char   *msg, *safe;

	if (dl->cb == NULL || dl->notes > DOMAIN_LIST_MAX_NOTES)
		return;
	if (dl->notes++ == DOMAIN_LIST_MAX_NOTES) {
		dl->cb(line, "too many notes; the rest are only counted",
		    dl->arg);
		return;
	}
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	/* Causes quote the line, and the line is hostile. */
	safe = utf8_sanitize(msg, strlen(msg), 0);
	dl->cb(line, safe, dl->arg);
	free(safe);
	free(msg);
}

/* FNV-1a 32: spreads short names well enough for a table index. */
static size_t
domain_list_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static size_t *
domain_list_slot(const struct domain_list *dl, const char *ascii)
{
	size_t i, *slot;

	i = domain_list_hash(ascii) & (dl->nslots - 1);
	for (;;) {
		slot = &dl->slots[i];
		if (*slot == 0 || strcmp(dl->v[*slot - 1].ascii, ascii) == 0)
			return slot;
		i = (i + 1) & (dl->nslots - 1);
	}
}

/* Keeps the table at most half full. */
static void
domain_list_grow(struct domain_list *dl)
{
	size_t i, *old = dl->slots, nold = dl->nslots;

	if (dl->nslots != 0 && (dl->n + 1) * 2 <= dl->nslots)
		return;
	dl->nslots = nold == 0 ? 64 : nold * 2;
	dl->slots = xcalloc(dl->nslots, sizeof(*dl->slots));
	for (i = 0; i < nold; i++)
		if (old[i] != 0)
			*domain_list_slot(dl, dl->v[old[i] - 1].ascii) = old[i];
	free(old);
}

static void
domain_list_add(struct domain_list *dl, const char *name)
{
	struct domain_list_entry *e;
	struct domain_name	 *dn;
	char			 *cause;
	size_t			 *slot;

	if ((dn = domain_name_parse(name, &cause)) == NULL) {
		dl->counts.invalid++;
		domain_list_note(dl, dl->lineno, "invalid domain, skipped: %s",
		    cause);
		free(cause);
		return;
	}
	domain_list_grow(dl);
	slot = domain_list_slot(dl, domain_name_ascii(dn));
	if (*slot != 0) {
		dl->counts.duplicates++;
		domain_list_note(dl, dl->lineno,
		    "duplicate of line %lu (%s), skipped",
		    dl->v[*slot - 1].line, domain_name_ascii(dn));
		domain_name_free(dn);
		return;
	}
	if (dl->n == DOMAIN_LIST_MAX) {
		if (dl->counts.over++ == 0)
			domain_list_note(dl, dl->lineno,
			    "more than %d domains: this and every later "
			    "domain skipped",
			    DOMAIN_LIST_MAX);
		domain_name_free(dn);
		return;
	}
	if (dl->n == dl->cap) {
		dl->cap = dl->cap == 0 ? 64 : dl->cap * 2;
		dl->v = xreallocarray(dl->v, dl->cap, sizeof(*dl->v));
	}
	e = &dl->v[dl->n];
	e->ascii = xstrdup(domain_name_ascii(dn));
	e->unicode = domain_name_unicode(dn) == NULL
	    ? NULL
	    : xstrdup(domain_name_unicode(dn));
	e->line = dl->lineno;
	domain_name_free(dn);
	*slot = ++dl->n;
	dl->counts.domains = dl->n;
}

static int
domain_list_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* One whole line (without its newline) is in dl->line. */
static void
domain_list_line_end(struct domain_list *dl)
{
	char  *s = dl->line, *hash, *end;
	size_t len = dl->len;

	dl->lineno++;
	dl->counts.lines++;
	if (dl->too_long) {
		dl->counts.invalid++;
		domain_list_note(dl, dl->lineno,
		    "line longer than %d bytes, skipped", DOMAIN_LIST_MAX_LINE);
		goto out;
	}
	if (memchr(s, '\0', len) != NULL) {
		dl->counts.invalid++;
		domain_list_note(dl, dl->lineno, "NUL byte in line, skipped");
		goto out;
	}
	if (!utf8_is_valid(s, len)) {
		dl->counts.invalid++;
		domain_list_note(dl, dl->lineno,
		    "line is not valid UTF-8, skipped");
		goto out;
	}
	s[len] = '\0';
	if ((hash = strchr(s, '#')) != NULL)
		*hash = '\0';
	while (domain_list_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && domain_list_space(end[-1]))
		*--end = '\0';
	if (*s != '\0')
		domain_list_add(dl, s);
out:
	dl->len = 0;
	dl->too_long = 0;
}

struct domain_list *
domain_list_new(domain_list_note_cb cb, void *arg)
{
	struct domain_list *dl = xcalloc(1, sizeof(*dl));

	dl->cb = cb;
	dl->arg = arg;
	return dl;
}

void
domain_list_free(struct domain_list *dl)
{
	size_t i;

	if (dl == NULL)
		return;
	for (i = 0; i < dl->n; i++) {
		free(dl->v[i].ascii);
		free(dl->v[i].unicode);
	}
	free(dl->v);
	free(dl->slots);
	free(dl);
}

void
domain_list_feed(struct domain_list *dl, const void *buf, size_t len)
{
	const char *p = buf, *end = p + len, *nl;
	size_t	    n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl == NULL ? end : nl) - p);
		if (dl->too_long || n > DOMAIN_LIST_MAX_LINE - dl->len)
			dl->too_long = 1; /* consumed, not kept */
		else {
			memcpy(dl->line + dl->len, p, n);
			dl->len += n;
		}
		if (nl == NULL)
			break;
		domain_list_line_end(dl);
		p = nl + 1;
	}
}

void
domain_list_end(struct domain_list *dl)
{
	if (dl->len != 0 || dl->too_long)
		domain_list_line_end(dl);
}

int
domain_list_read_fd(struct domain_list *dl, int fd, char **cause)
{
	char	buf[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("read: %s", strerror(errno));
			return -1;
		}
		domain_list_feed(dl, buf, (size_t)n);
	}
	domain_list_end(dl);
	return 0;
}

size_t
domain_list_count(const struct domain_list *dl)
{
	return dl->n;
}

const char *
domain_list_ascii(const struct domain_list *dl, size_t i)
{
	return i < dl->n ? dl->v[i].ascii : NULL;
}

const char *
domain_list_unicode(const struct domain_list *dl, size_t i)
{
	return i < dl->n ? dl->v[i].unicode : NULL;
}

unsigned long
domain_list_line(const struct domain_list *dl, size_t i)
{
	return i < dl->n ? dl->v[i].line : 0;
}

long
domain_list_find(const struct domain_list *dl, const char *ascii)
{
	size_t *slot;

	if (dl->nslots == 0)
		return -1;
	slot = domain_list_slot(dl, ascii);
	return *slot == 0 ? -1 : (long)(*slot - 1);
}

void
domain_list_counts(const struct domain_list *dl, struct domain_list_counts *c)
{
	*c = dl->counts;
}
