/*
 * Helpers shared by the libFuzzer targets: turning one input into a TXT
 * RRset, and checking that findings stay printable.
 */
#ifndef MTASTS_FUZZ_COMMON_H
#define MTASTS_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "sts_record.h"

#define FUZZ_MAX_RRS	 8
#define FUZZ_MAX_STRINGS 16

struct fuzz_rrset {
	struct txt_rr	  rr[FUZZ_MAX_RRS];
	struct txt_string str[FUZZ_MAX_RRS][FUZZ_MAX_STRINGS];
	size_t		  nrr;
};

/*
 * '\n' ends an RR and '|' ends a character-string, so RR selection and
 * string joining are fuzzed too; the rest of the bytes are data.
 */
static inline void
fuzz_split(struct fuzz_rrset *s, const unsigned char *d, size_t n)
{
	struct txt_rr *rr;
	size_t	       i, start = 0;

	memset(s, 0, sizeof(*s));
	s->nrr = 1;
	rr = &s->rr[0];
	rr->strings = s->str[0];
	for (i = 0; i <= n; i++) {
		if (i < n && d[i] != '\n' && d[i] != '|')
			continue;
		if (rr->nstrings < FUZZ_MAX_STRINGS) {
			s->str[s->nrr - 1][rr->nstrings].data = d + start;
			s->str[s->nrr - 1][rr->nstrings].len = i - start;
			rr->nstrings++;
		}
		start = i + 1;
		if (i < n && d[i] == '\n' && s->nrr < FUZZ_MAX_RRS) {
			rr = &s->rr[s->nrr];
			rr->strings = s->str[s->nrr];
			s->nrr++;
		}
	}
}

/* Messages reach terminals: they must be printable ASCII. */
static inline void
fuzz_check_findings(const struct finding_list *fl)
{
	const struct finding *f;
	const unsigned char  *m;
	size_t		      i;

	for (i = 0; i < finding_list_count(fl); i++) {
		f = finding_list_get(fl, i);
		for (m = (const unsigned char *)f->message; *m != '\0'; m++)
			if (*m < 0x20 || *m >= 0x7f)
				abort();
	}
}

#endif
