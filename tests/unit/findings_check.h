/*
 * findings_check: assertions on finding lists shared by the parser unit
 * tests (codes compared as sorted sets, message search, printable
 * messages, a dump for failures).  Header-only; include after cmocka.h.
 */
#ifndef MTASTS_TEST_FINDINGS_CHECK_H
#define MTASTS_TEST_FINDINGS_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "xmalloc.h"

/* Sorted, space-joined codes of a finding list; caller frees. */
static inline char *
codes_of(const struct finding_list *fl)
{
	const char *v[256];
	size_t	    n, i, j, len = 1;
	char	   *out;
	const char *t;

	n = finding_list_count(fl);
	if (n > 256)
		n = 256;
	for (i = 0; i < n; i++)
		v[i] = finding_code_name(finding_list_get(fl, i)->code);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	out = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, v[i], len - strlen(out) - 1);
	}
	return out;
}

/* The expected code string, sorted the same way. */
static inline char *
codes_sorted(const char *spec)
{
	struct finding_list *fl;
	char		    *copy, *p, *tok;
	char		    *out;
	int		     c;

	fl = finding_list_new();
	copy = xstrdup(spec);
	for (p = copy; (tok = strsep(&p, " ")) != NULL;) {
		if (*tok == '\0')
			continue;
		c = finding_code_lookup(tok);
		if (c < 0)
			fail_msg("unknown code '%s' in a test table", tok);
		finding_add(fl, (enum finding_code)c, NULL, 0, NULL);
	}
	out = codes_of(fl);
	free(copy);
	finding_list_free(fl);
	return out;
}

static inline int
has_message(const struct finding_list *fl, const char *needle)
{
	size_t i;

	for (i = 0; i < finding_list_count(fl); i++)
		if (strstr(finding_list_get(fl, i)->message, needle) != NULL)
			return 1;
	return 0;
}

/* No message may carry a raw control byte or a non-ASCII byte. */
static inline void
assert_printable(const struct finding_list *fl)
{
	const unsigned char *m;
	size_t		     i;

	for (i = 0; i < finding_list_count(fl); i++)
		for (m = (const unsigned char *)finding_list_get(fl, i)
			     ->message;
		     *m != '\0'; m++)
			assert_true(*m >= 0x20 && *m < 0x7f);
}

static inline void
dump(const struct finding_list *fl)
{
	const struct finding *f;
	size_t		      i;

	for (i = 0; i < finding_list_count(fl); i++) {
		f = finding_list_get(fl, i);
		print_message("  %s@%u: %s\n", finding_code_name(f->code),
		    f->line, f->message);
	}
}

#endif
