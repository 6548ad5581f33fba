/*
 * libFuzzer target: scan output read by scan-summary.  The input is JSON
 * Lines (a check document per line, metadata lines, anything else); it is
 * read with a small line cap through engine/jsonl into a fleet (engine/fleet).
 * Invariants: rows sorted and unique by domain, every domain, answer, mode,
 * blocker and class a tab- and newline-free token, classes from the
 * vocabulary, and the tallies add up to the rows.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CAP 4096

static void
fuzz_token(const char *s)
{
	if (s == NULL || *s == '\0' || strpbrk(s, "\t\n\r ,") != NULL)
		abort();
}

static int
fuzz_is_class(const char *s)
{
	const char *const *c;

	for (c = fleet_class_names(); *c != NULL; c++)
		if (strcmp(*c, s) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fleet_row	 *r, *prev = NULL;
	const struct fleet_tally *t;
	struct fleet		 *fl;
	struct jsonl		 *rd;
	FILE			 *f;
	json_t			 *doc;
	unsigned long		  line;
	size_t			  i, k, d, sum;

	if (size == 0)
		return 0;
	if ((f = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	fl = fleet_new(NULL, NULL);
	rd = jsonl_new(f, "fuzz", FUZZ_CAP, NULL, NULL);
	while (jsonl_next(rd, &doc, &line) == 1) {
		if (!json_is_object(doc) || line == 0)
			abort();
		fleet_add(fl, doc, "fuzz");
		json_decref(doc);
	}
	jsonl_free(rd);
	fclose(f);

	for (i = 0; i < fleet_count(fl); i++) {
		r = fleet_row_at(fl, i);
		fuzz_token(r->domain);
		fuzz_token(r->answer);
		fuzz_token(r->mode);
		if (prev != NULL && strcmp(prev->domain, r->domain) >= 0)
			abort();
		for (k = 0; k < r->nblockers; k++)
			fuzz_token(r->blockers[k]);
		for (k = 0; k < r->nclasses; k++)
			if (!fuzz_is_class(r->classes[k]))
				abort();
		prev = r;
	}
	for (d = 0; d < FLEET_NDIM; d++) {
		sum = 0;
		for (i = 0; i < fleet_tally_count(fl, (enum fleet_dim)d); i++) {
			t = fleet_tally_at(fl, (enum fleet_dim)d, i);
			sum += t->n;
		}
		/* One answer and one mode per domain. */
		if (d <= FLEET_MODE && sum != fleet_count(fl))
			abort();
	}
	fleet_free(fl);
	return 0;
}
