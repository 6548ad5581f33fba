/*
 * finding: what the engine has to say about a domain.
 *
 * A broken domain is not an engine error: every problem or notable fact is a
 * struct finding with a stable code from finding_table.h.  Findings are
 * collected in a finding_list, which owns them.
 */
#ifndef MTASTS_FINDING_H
#define MTASTS_FINDING_H

#include <stddef.h>

/*
 * Ordered: a higher value is worse, so the worst of a list is a max() and
 * exit codes follow directly (0 ok, 1 warnings, 2 errors).
 */
enum finding_severity {
	FINDING_NONE = -1, /* "no finding at all" for finding_list_worst */
	FINDING_INFO = 0,
	FINDING_WARNING,
	FINDING_ERROR
};

enum finding_code {
#define FINDING(id, code, sev, layer, answer, rule, text, fix) FINDING_##id,
#include "finding_table.h"
#undef FINDING
	FINDING__COUNT
};

/*
 * Which verdict answer a finding feeds (engine/verdict.h): what senders do
 * now, the next safe step, or what is wrong without changing delivery.
 * Report-reading findings feed none of them.
 */
enum finding_answer {
	FINDING_ANSWER_DELIVERY = 0,
	FINDING_ANSWER_PROMOTION,
	FINDING_ANSWER_HYGIENE,
	FINDING_ANSWER_REPORT
};

/* Read-only for clients: the list owns every pointer. */
struct finding {
	enum finding_code     code;
	enum finding_severity severity;
	char		     *subject; /* record, host, address or NULL */
	unsigned	      line;    /* 1-based line, 0 for none */
	char		     *message; /* this instance, one line */
	char		     *fix;     /* NULL: the catalog's fix */
};

struct finding_list;

const char	     *finding_code_name(enum finding_code);
enum finding_severity finding_code_severity(enum finding_code);
/* The layer's name ("dns", ..., "report"): JSON and markdown. */
const char *finding_code_layer(enum finding_code);
/* The layer itself: an enum check_layer, or FINDING_LAYER_REPORT. */
int		    finding_code_layer_id(enum finding_code);
enum finding_answer finding_code_answer(enum finding_code);
const char	   *finding_answer_name(enum finding_answer);
const char	   *finding_code_rule(enum finding_code);
const char	   *finding_code_text(enum finding_code);
const char	   *finding_code_fix(enum finding_code);
/* Looks a code string up; returns -1 when unknown. */
int	    finding_code_lookup(const char *);
const char *finding_severity_name(enum finding_severity);

/* The instance's fix, or the catalog's when the instance has none. */
const char *finding_fix(const struct finding *);

struct finding_list *finding_list_new(void);
void		     finding_list_free(struct finding_list *);
/*
 * Adds a finding with the code's default severity; message is printf-style
 * and may be NULL (then the catalog text is used).  The returned pointer
 * stays valid until the next add, for adjusting severity or fix.
 */
struct finding *finding_add(struct finding_list *, enum finding_code,
    const char *subject, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void finding_set_fix(struct finding *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Replaces the message, for a layer that learns more after adding it. */
void finding_set_message(struct finding *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Moves every finding of src to the end of dst; src is left empty. */
void   finding_list_move(struct finding_list *dst, struct finding_list *src);
size_t finding_list_count(const struct finding_list *);
const struct finding *finding_list_get(const struct finding_list *, size_t);
/* As finding_list_get, for the list's owner to adjust severity or fix. */
struct finding *finding_list_at(struct finding_list *, size_t);
/* Index of the first finding with this code at or after start, or -1. */
long finding_list_find(const struct finding_list *, enum finding_code,
    size_t start);
enum finding_severity finding_list_worst(const struct finding_list *);
/* Sorts worst first, keeping insertion order within a severity. */
void finding_list_sort(struct finding_list *);

#endif
