/*
 * libFuzzer target: the policy body, and MX matching of its patterns
 * against host names taken from the same input.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "mx_match.h"
#include "policy_parse.h"
#include "xmalloc.h"
#include "fuzz_common.h"

#define FUZZ_HOSTS 4

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct finding_list *fl;
	struct policy	    *p;
	const char	    *hosts[FUZZ_HOSTS], **pats;
	char		    *h[FUZZ_HOSTS], *why, *cause;
	enum mx_match_result m;
	long		     first[FUZZ_HOSTS];
	int		    *used;
	size_t		     i, j, nh = 0;

	fl = finding_list_new();
	p = policy_parse((const char *)data, size, "fuzz", fl);
	if (p->valid &&
	    (!p->version_ok || p->max_age < 0 ||
		p->mode == POLICY_MODE_MISSING))
		abort();
	if (p->nlines > POLICY_MAX_LINES || p->nmx > POLICY_MAX_MX ||
	    p->bodylen > POLICY_MAX_BYTES)
		abort();
	for (i = 0; i < p->nlines; i++)
		if (p->lines[i].raw < p->body ||
		    p->lines[i].raw + p->lines[i].len > p->body + p->bodylen)
			abort();

	/* Host names: every line of the input that is short enough. */
	for (i = 0; i < p->nlines && nh < FUZZ_HOSTS; i++)
		if (p->lines[i].len < 300)
			h[nh++] = xstrndup(p->lines[i].raw, p->lines[i].len);
	for (i = 0; i < nh; i++)
		hosts[i] = h[i];
	pats = xcalloc(p->nmx + 1, sizeof(*pats));
	used = xcalloc(p->nmx + 1, sizeof(*used));
	for (j = 0; j < p->nmx; j++) {
		pats[j] = p->mx[j].pattern;
		if (mx_match_pattern_check(pats[j], &cause) ==
		    MX_PATTERN_INVALID)
			abort(); /* policy_parse keeps valid ones only */
		free(cause);
	}
	mx_match_coverage(hosts, nh, pats, p->nmx, first, used);
	for (i = 0; i < nh; i++) {
		/* Every host against every line, as pattern too. */
		for (j = 0; j < nh; j++) {
			m = mx_match_explain(h[j], h[i], &why);
			if (why == NULL)
				abort();
			if (m == MX_MATCH_EXACT && mx_match(h[j], h[i]) != m)
				abort();
			free(why);
		}
		if (first[i] >= 0 &&
		    mx_match(pats[first[i]], h[i]) != MX_MATCH_EXACT &&
		    mx_match(pats[first[i]], h[i]) != MX_MATCH_WILDCARD)
			abort();
	}
	for (i = 0; i < nh; i++)
		free(h[i]);
	free(pats);
	free(used);
	policy_free(p);
	fuzz_check_findings(fl);
	finding_list_free(fl);
	return 0;
}
