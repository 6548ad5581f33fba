#include "config.h"
#include "jsonl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct jsonl {
	FILE	      *f;
	char	      *name;
	size_t	       max;
	jsonl_note_fn *note;
	void	      *arg;
	char	      *buf; /* grows up to max + 1 */
	size_t	       cap;
	unsigned long  line;
	unsigned long  skipped;
	long long      pos;   /* bytes read so far */
	long long      start; /* of the line read last */
	size_t	       len;   /* its length, without the newline */
};

struct jsonl *
jsonl_new(FILE *f, const char *name, size_t max_line, jsonl_note_fn *note,
    void *arg)
{
	struct jsonl *r = xcalloc(1, sizeof(*r));

	r->f = f;
	r->name = xstrdup(name != NULL ? name : "-");
	r->max = max_line > 0 ? max_line : JSONL_MAX_LINE;
	r->note = note;
	r->arg = arg;
	return r;
}

void
jsonl_free(struct jsonl *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->name);
	free(r);
}

long long
jsonl_offset(const struct jsonl *r)
{
	return r->start;
}

size_t
jsonl_length(const struct jsonl *r)
{
	return r->len;
}

unsigned long
jsonl_skipped(const struct jsonl *r)
{
	return r->skipped;
}

static void
jsonl_note(struct jsonl *r, const char *fmt, const char *detail)
{
	char *t;

	r->skipped++;
	if (r->note == NULL)
		return;
	t = xasprintf("%s:%lu: %s%s", r->name, r->line, fmt,
	    detail != NULL ? detail : "");
	r->note(r->arg, t);
	free(t);
}

/*
 * One line into r->buf without its newline: 1 (*len set), 2 a line over
 * the cap (read through, dropped), 3 a last line without newline, 0 EOF,
 * -1 read error.
 */
static int
jsonl_read_line(struct jsonl *r, size_t *len)
{
	size_t n = 0;
	int    c, over = 0;

	r->start = r->pos;
	/* One reader per FILE: no other thread reads it. */
	while ((c = getc_unlocked(r->f)) != EOF) {
		r->pos++;
		if (c == '\n')
			break;
		if (over)
			continue;
		if (n == r->max) {
			over = 1;
			continue;
		}
		if (n + 1 >= r->cap) {
			r->cap = r->cap ? r->cap * 2 : 4096;
			if (r->cap > r->max + 1)
				r->cap = r->max + 1;
			r->buf = xreallocarray(r->buf, r->cap, 1);
		}
		r->buf[n++] = (char)c;
	}
	if (c == EOF && ferror(r->f))
		return -1;
	if (c == EOF && n == 0 && !over)
		return 0;
	r->line++;
	*len = n;
	if (c == EOF)
		return 3;
	return over ? 2 : 1;
}

int
jsonl_next(struct jsonl *r, json_t **doc, unsigned long *line)
{
	json_error_t err;
	json_t	    *d;
	size_t	     len, i;
	int	     rv;

	*doc = NULL;
	for (;;) {
		rv = jsonl_read_line(r, &len);
		if (rv == 0)
			return 0;
		if (rv == -1) {
			jsonl_note(r, "read error: ", strerror(errno));
			return -1;
		}
		if (rv == 2) {
			jsonl_note(r, "line longer than the cap, skipped",
			    NULL);
			continue;
		}
		if (rv == 3) {
			jsonl_note(r,
			    "last line has no newline (a killed run?), skipped",
			    NULL);
			return 0;
		}
		for (i = 0; i < len &&
		     (r->buf[i] == ' ' || r->buf[i] == '\t' ||
			 r->buf[i] == '\r');
		     i++)
			;
		if (i == len)
			continue; /* blank line */
		d = json_loadb(r->buf, len, JSON_REJECT_DUPLICATES, &err);
		if (d == NULL) {
			jsonl_note(r, "not JSON, skipped: ", err.text);
			continue;
		}
		if (!json_is_object(d)) {
			json_decref(d);
			jsonl_note(r, "not a JSON object, skipped", NULL);
			continue;
		}
		if (json_object_get(d, "mtasts_scan") != NULL ||
		    json_object_get(d, "mtasts_scan_end") != NULL) {
			json_decref(d);
			continue;
		}
		*doc = d;
		*line = r->line;
		r->len = len;
		return 1;
	}
}
