/*
 * layer_verdict: the three answers drawn from every other layer.
 */
#include "config.h"
#include "layer.h"

#include "summary.h"
#include "verdict.h"

static void
layer_verdict_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct verdict *v = check_verdict(c);

	(void)ascii;
	if (v == NULL)
		return;
	if (check_failure(c) != NULL) {
		summary_add(s, "Could not check: %s", check_failure(c));
		return;
	}
	summary_add(s, "%s", v->reason);
	summary_add(s, "%s", v->summary);
}

/* Its data is the report's top-level "verdict" (report_json.c). */
const struct layer_class layer_verdict_class = {
	.name = "verdict",
	.flags = LAYER_FINAL,
	.needs = ~0u,
	.summary = layer_verdict_summary,
};
