/*
 * verdict_facts: turns a finished check's layer results into the facts
 * the verdict judges (engine/verdict.h), so that the verdict stays pure and
 * knows nothing of probes, answers or parsers.
 */
#ifndef MTASTS_VERDICT_FACTS_H
#define MTASTS_VERDICT_FACTS_H

#include "verdict.h"

struct check;
struct finding_list;

/* The TLS-RPT evidence the caller read (check --reports), if any. */
struct verdict_reports {
	int	    given;
	int	    clean; /* 14+ consecutive clean days */
	const char *why;
};

/*
 * Judges check c (every other layer done; layers are their findings, in
 * registry order); the verdict's own findings go to fl.  Never NULL; free with verdict_free().
 */
struct verdict *verdict_facts_judge(const struct check *c, long long  now,
    const struct verdict_reports *, const struct finding_list *const *layers,
    size_t nlayers, struct finding_list *fl);

#endif
