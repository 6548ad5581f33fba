#include "config.h"
#include "finding.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "layers.h"
#include "xmalloc.h"

struct finding_row {
	const char	     *code;
	enum finding_severity severity;
	int layer; /* enum check_layer, or FINDING_LAYER_REPORT */
	enum finding_answer answer;
	const char	   *rule;
	const char	   *text;
	const char	   *fix;
};

static const struct finding_row finding_rows[] = {
#define FINDING(id, code, sev, layer, answer, rule, text, fix)             \
	{ code, FINDING_##sev, layer, FINDING_ANSWER_##answer, rule, text, \
		fix },
#include "finding_table.h"
#undef FINDING
};

struct finding_list {
	struct finding *v;
	size_t		n;
	size_t		cap;
};

static const struct finding_row *
finding_row(enum finding_code code)
{
	if ((unsigned)code >= FINDING__COUNT)
		abort();
	return &finding_rows[code];
}

const char *
finding_code_name(enum finding_code code)
{
	return finding_row(code)->code;
}

enum finding_severity
finding_code_severity(enum finding_code code)
{
	return finding_row(code)->severity;
}

const char *
finding_code_layer(enum finding_code code)
{
	int l = finding_row(code)->layer;

	return l == FINDING_LAYER_REPORT ? "report" : check_layer_name(l);
}

int
finding_code_layer_id(enum finding_code code)
{
	return finding_row(code)->layer;
}

enum finding_answer
finding_code_answer(enum finding_code code)
{
	return finding_row(code)->answer;
}

const char *
finding_answer_name(enum finding_answer a)
{
	static const char *names[] = { "delivery", "promotion", "hygiene",
		"report" };

	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}

const char *
finding_code_rule(enum finding_code code)
{
	return finding_row(code)->rule;
}

const char *
finding_code_text(enum finding_code code)
{
	return finding_row(code)->text;
}

const char *
finding_code_fix(enum finding_code code)
{
	return finding_row(code)->fix;
}

int
finding_code_lookup(const char *name)
{
	int i;

	for (i = 0; i < FINDING__COUNT; i++)
		if (strcmp(finding_rows[i].code, name) == 0)
			return i;
	return -1;
}

const char *
finding_severity_name(enum finding_severity sev)
{
	switch (sev) {
	case FINDING_INFO:
		return "info";
	case FINDING_WARNING:
		return "warning";
	case FINDING_ERROR:
		return "error";
	default:
		return "none";
	}
}

const char *
finding_fix(const struct finding *f)
{
	return f->fix != NULL ? f->fix : finding_code_fix(f->code);
}

struct finding_list *
finding_list_new(void)
{
	return xcalloc(1, sizeof(struct finding_list));
}

static void
finding_clear(struct finding *f)
{
	free(f->subject);
	free(f->message);
	free(f->fix);
}

void
finding_list_free(struct finding_list *fl)
{
	size_t i;

	if (fl == NULL)
		return;
	for (i = 0; i < fl->n; i++)
		finding_clear(&fl->v[i]);
	free(fl->v);
	free(fl);
}

static struct finding *
finding_list_grow(struct finding_list *fl)
{
	if (fl->n == fl->cap) {
		fl->cap = fl->cap == 0 ? 8 : fl->cap * 2;
		fl->v = xreallocarray(fl->v, fl->cap, sizeof(*fl->v));
	}
	return &fl->v[fl->n++];
}

struct finding *
finding_add(struct finding_list *fl, enum finding_code code,
    const char *subject, unsigned line, const char *fmt, ...)
{
	struct finding *f;
	va_list		ap;

	f = finding_list_grow(fl);
	memset(f, 0, sizeof(*f));
	f->code = code;
	f->severity = finding_code_severity(code);
	f->subject = subject != NULL ? xstrdup(subject) : NULL;
	f->line = line;
	if (fmt != NULL) {
		va_start(ap, fmt);
		f->message = xvasprintf(fmt, ap);
		va_end(ap);
	} else
		f->message = xstrdup(finding_code_text(code));
	return f;
}

void
finding_set_fix(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	free(f->fix);
	va_start(ap, fmt);
	f->fix = xvasprintf(fmt, ap);
	va_end(ap);
}

void
finding_set_message(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	free(f->message);
	va_start(ap, fmt);
	f->message = xvasprintf(fmt, ap);
	va_end(ap);
}

void
finding_list_move(struct finding_list *dst, struct finding_list *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		*finding_list_grow(dst) = src->v[i];
	src->n = 0;
}

size_t
finding_list_count(const struct finding_list *fl)
{
	return fl->n;
}

const struct finding *
finding_list_get(const struct finding_list *fl, size_t i)
{
	return i < fl->n ? &fl->v[i] : NULL;
}

struct finding *
finding_list_at(struct finding_list *fl, size_t i)
{
	return i < fl->n ? &fl->v[i] : NULL;
}

long
finding_list_find(const struct finding_list *fl, enum finding_code code,
    size_t start)
{
	size_t i;

	for (i = start; i < fl->n; i++)
		if (fl->v[i].code == code)
			return (long)i;
	return -1;
}

enum finding_severity
finding_list_worst(const struct finding_list *fl)
{
	enum finding_severity worst = FINDING_NONE;
	size_t		      i;

	for (i = 0; i < fl->n; i++)
		if (fl->v[i].severity > worst)
			worst = fl->v[i].severity;
	return worst;
}

void
finding_list_sort(struct finding_list *fl)
{
	struct finding tmp;
	size_t	       i, j;

	/* Insertion sort: stable, and lists are short. */
	for (i = 1; i < fl->n; i++) {
		tmp = fl->v[i];
		for (j = i; j > 0 && fl->v[j - 1].severity < tmp.severity; j--)
			fl->v[j] = fl->v[j - 1];
		fl->v[j] = tmp;
	}
}
