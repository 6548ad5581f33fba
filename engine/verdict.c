#include "config.h"
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "xmalloc.h"

static void
verdict_add_blocker(struct verdict *v, const char *code)
{
	size_t i;

	for (i = 0; i < v->nblockers; i++)
		if (strcmp(v->blockers[i], code) == 0)
			return;
	v->blockers =
	    xreallocarray(v->blockers, v->nblockers + 1, sizeof(*v->blockers));
	v->blockers[v->nblockers++] = xstrdup(code);
}

/*
 * Would this finding stop mail under enforce?  Every error does; so does an
 * uncovered MX, which is only a warning while the policy is in testing.
 */
static int
verdict_blocks(const struct finding *f)
{
	return f->severity == FINDING_ERROR ||
	    f->code == FINDING_MX_UNCOVERED ||
	    f->code == FINDING_VERDICT_REPORTS_NOT_CLEAN;
}

struct verdict *
verdict_judge(const struct verdict_input *in, struct finding_list *fl)
{
	struct verdict	     *v;
	const struct finding *f;
	size_t		      i, j;

	v = xcalloc(1, sizeof(*v));
	if (in->txt_valid && in->policy_valid) {
		v->policy_applied = 1;
		v->mode = xstrdup(in->mode);
		if (strcmp(in->mode, "none") == 0)
			v->reason =
			    xstrdup("Senders fetch the policy, which "
				    "is mode none: no MTA-STS protection.");
		else
			v->reason = xasprintf("Senders apply the %s policy%s.",
			    in->mode,
			    strcmp(in->mode, "enforce") == 0
				? ": mail goes only to matching MX hosts over "
				  "verified TLS"
				: ": failures are reported, mail "
				  "is still delivered");
	} else if (!in->txt_present)
		v->reason = xstrdup("No policy: there is no v=STSv1 TXT "
				    "record, so senders do not look for one.");
	else if (!in->txt_valid)
		v->reason =
		    xstrdup("No policy: the _mta-sts TXT record is "
			    "unusable, so senders act as if there were none.");
	else if (!in->policy_fetched)
		v->reason =
		    xstrdup("No policy: the policy cannot be fetched; "
			    "senders without a cached policy deliver without "
			    "MTA-STS.");
	else
		v->reason =
		    xstrdup("No policy: the policy file is invalid; "
			    "senders without a cached policy deliver without "
			    "MTA-STS.");

	/* Half-done deployments, in the words of what senders see. */
	if (in->txt_valid && !in->policy_valid)
		finding_add(fl, FINDING_VERDICT_TXT_WITHOUT_POLICY, in->domain,
		    0,
		    "The TXT record announces a policy, but "
		    "no valid policy can be fetched: new senders get none, "
		    "senders with a cached one keep using it");
	if (!in->txt_valid && in->policy_valid)
		finding_add(fl, FINDING_VERDICT_POLICY_WITHOUT_TXT, in->domain,
		    0,
		    "A valid %s policy is served, but without "
		    "a valid TXT record senders never fetch it",
		    in->mode);
	if (v->policy_applied && strcmp(v->mode, "testing") == 0 &&
	    !in->tlsrpt_usable)
		finding_add(fl, FINDING_VERDICT_TESTING_WITHOUT_TLSRPT,
		    in->domain, 0,
		    "The policy is in testing mode but there "
		    "is no usable TLS-RPT record: no one will report the "
		    "failures that testing is meant to reveal");

	/* The testing phase is judged by what senders report (issue 7). */
	if (in->have_reports && in->reports_ready)
		finding_add(fl, FINDING_VERDICT_REPORTS_CLEAN, in->domain, 0,
		    "TLS-RPT reports: %s", in->reports_why);
	else if (in->have_reports)
		finding_add(fl, FINDING_VERDICT_REPORTS_NOT_CLEAN, in->domain,
		    0, "TLS-RPT reports: %s", in->reports_why);

	for (i = 0; i < in->nlayers; i++) {
		for (j = 0; j < finding_list_count(in->layers[i]); j++) {
			f = finding_list_get(in->layers[i], j);
			if (verdict_blocks(f))
				verdict_add_blocker(v,
				    finding_code_name(f->code));
		}
	}
	for (j = 0; j < finding_list_count(fl); j++) {
		f = finding_list_get(fl, j);
		if (verdict_blocks(f))
			verdict_add_blocker(v, finding_code_name(f->code));
	}
	if (!v->policy_applied && v->nblockers == 0)
		verdict_add_blocker(v,
		    finding_code_name(FINDING_STS_TXT_MISSING));
	v->enforce_ready = v->nblockers == 0 && !in->mx_null;

	if (v->policy_applied && strcmp(v->mode, "enforce") == 0)
		v->summary = v->enforce_ready
		    ? xstrdup("enforce: healthy")
		    : xasprintf("enforce: BROKEN, %zu blocker%s: senders may "
				"refuse mail",
			  v->nblockers, v->nblockers == 1 ? "" : "s");
	else if (v->policy_applied && strcmp(v->mode, "testing") == 0)
		v->summary = v->enforce_ready
		    ? xstrdup("testing: ready for enforce once TLS-RPT reports "
			      "are clean")
		    : xasprintf("testing: not ready for enforce, %zu blocker%s",
			  v->nblockers, v->nblockers == 1 ? "" : "s");
	else
		v->summary = xasprintf("no MTA-STS policy applied: %zu "
				       "blocker%s",
		    v->nblockers, v->nblockers == 1 ? "" : "s");
	return v;
}

void
verdict_free(struct verdict *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nblockers; i++)
		free(v->blockers[i]);
	free(v->blockers);
	free(v->mode);
	free(v->reason);
	free(v->summary);
	free(v);
}
