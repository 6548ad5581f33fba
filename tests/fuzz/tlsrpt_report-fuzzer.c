/*
 * libFuzzer target: one input read as a report file (content sniffing,
 * gzip, MIME, mbox, JSON) and summarised, with the gate evaluated.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "report_input.h"
#include "report_summary.h"
#include "tlsrpt_report.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_input	       *in = report_input_new();
	const struct report_input_item *it;
	struct report_summary	       *s;
	struct report_gate		g;
	size_t				i;

	report_input_add_buffer(in, data, size, "fuzz");
	for (i = 0; i < report_input_count(in); i++) {
		it = report_input_get(in, i);
		fuzz_check_findings(it->findings);
		/* Every input that gives no report says why. */
		if (it->report == NULL && finding_list_count(it->findings) == 0)
			abort();
	}
	s = report_summary_new(in);
	for (i = 0; i < s->ndomains; i++) {
		if (report_gate_evaluate(&g, s, s->domains[i].domain,
			REPORT_DAY_NONE) == REPORT_GATE_READY &&
		    g.clean_days < REPORT_GATE_DAYS)
			abort();
		if (g.why == NULL)
			abort();
		report_gate_clear(&g);
	}
	report_summary_free(s);
	report_input_free(in);
	return 0;
}
