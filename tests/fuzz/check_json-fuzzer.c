/*
 * libFuzzer target: a stored `check --json` document (a file anyone may
 * have written, or a line of a scan) rebuilt into a check by
 * engine/check_json.  Invariants: either a check or a reason; the check is
 * a finished snapshot whose statuses are valid, whose stored lines are
 * printable (no control characters), and whose --json, read again, gives
 * a check that writes the very same document.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_json.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "report_json.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_printable(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

static void
fuzz_walk(const struct check *c)
{
	const struct mx_set	   *m;
	const struct mx_tls_result *t;
	struct summary		    s;
	size_t			    i, k;
	int			    l, ascii;

	if (!check_is_snapshot(c) || !check_done(c))
		abort();
	if (check_exit_status(c) < 0 || check_exit_status(c) > 3)
		abort();
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		if (check_layer_status(c, l) > CHECK_CUT)
			abort();
		for (ascii = 0; ascii < 2; ascii++) {
			summary_layer(&s, c, l, ascii);
			if (s.n > SUMMARY_MAX_LINES)
				abort();
			for (i = 0; i < s.n; i++)
				fuzz_printable(s.line[i]);
			summary_clear(&s);
		}
	}
	/* What the drill-down views walk. */
	if ((m = check_mx(c)) != NULL)
		for (i = 0; i < m->nhost; i++)
			if (m->host[i].name == NULL ||
			    (m->host[i].addrs.n > 0 &&
				m->host[i].addrs.addr == NULL))
				abort();
	if ((t = check_mx_tls(c)) != NULL)
		for (i = 0; i < t->nhosts; i++)
			for (k = 0; k < t->hosts[i].naddrs; k++)
				if (t->hosts[i].addrs[k].address == NULL)
					abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check *c, *again;
	char	     *why = NULL, *doc, *doc2;
	size_t	      len, len2;

	c = check_from_json((const char *)data, size, &why);
	if (c == NULL) {
		if (why == NULL || *why == '\0')
			abort();
		free(why);
		return 0;
	}
	if (why != NULL)
		abort();
	fuzz_walk(c);
	/* Saved and read again: the same check, the same document. */
	doc = report_json_compact(c, NULL, "fuzz", &len);
	if ((again = check_from_json(doc, len, &why)) == NULL)
		abort();
	doc2 = report_json_compact(again, NULL, "fuzz", &len2);
	if (len != len2 || memcmp(doc, doc2, len) != 0)
		abort();
	free(doc);
	free(doc2);
	check_free(again);
	check_free(c);
	return 0;
}
