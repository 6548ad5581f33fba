/*
 * layer_policy: the policy file, parsed from what the fetch brought back.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>

#include "jsonw.h"
#include "policy_parse.h"
#include "report_json.h"
#include "summary.h"
#include "xmalloc.h"

static void
layer_policy_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct policy *p = check_policy(c);
	char		    *d;

	(void)ascii;
	if (p == NULL) {
		if (check_layer_skip_reason(c, CHECK_POLICY) != NULL)
			summary_add(s, "skipped: %s",
			    check_layer_skip_reason(c, CHECK_POLICY));
		return;
	}
	d = p->max_age >= 0 ? summary_duration(p->max_age) : xstrdup("missing");
	summary_add(s, "mode %s, %zu mx pattern%s, max_age %s%s",
	    policy_mode_name(p->mode), p->nmx, p->nmx == 1 ? "" : "s", d,
	    p->valid ? "" : " - INVALID: senders ignore it");
	free(d);
}

static void
layer_policy_json(struct jsonw *j, const struct check *c)
{
	if (check_policy(c) != NULL)
		report_json_policy(j, check_policy(c));
}

const struct layer_class layer_policy_class = {
	.name = "policy",
	.needs = LAYER_BIT(CHECK_FETCH),
	.summary = layer_policy_summary,
	.json = layer_policy_json,
};
