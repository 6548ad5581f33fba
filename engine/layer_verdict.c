/*
 * layer_verdict: the three answers drawn from every other layer.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>
#include <string.h>
#include "dns.h"
#include "finding.h"
#include "mx_lookup.h"
#include "report_summary.h"
#include "summary.h"
#include "verdict.h"
#include "verdict_facts.h"
#include "xmalloc.h"

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

struct layer_verdict_data {
	struct verdict_reports rep;
	char		      *why; /* rep.why's storage */
	struct verdict	      *verdict;
};

static void
layer_verdict_free(void *p)
{
	struct layer_verdict_data *d = p;

	verdict_free(d->verdict);
	free(d->why);
	free(d);
}

/* --reports: local files, read on a worker so a big directory stalls no UI. */
static void
layer_verdict_work(struct layer_job *job)
{
	struct layer_verdict_data *d = job->out = xcalloc(1, sizeof(*d));
	struct report_gate	   gate;
	size_t			   nbad = 0;

	if (job->env->reports == NULL)
		return;
	memset(&gate, 0, sizeof(gate));
	report_gate_path(&gate, job->env->reports, job->env->domain,
	    REPORT_DAY_NONE, &nbad);
	d->rep.given = 1;
	d->rep.clean = gate.state == REPORT_GATE_READY;
	d->why = xstrdup(gate.why != NULL ? gate.why : "no report");
	report_gate_clear(&gate);
}

static int
layer_verdict_dns_dead(const struct dns_answer *a)
{
	return a != NULL &&
	    (a->status == DNS_TIMEOUT || a->status == DNS_ERROR);
}

/*
 * A domain that takes no mail (null MX, RFC 7505) needs neither a policy
 * nor reports: "publish _mta-sts" or "publish _smtp._tls" would be advice
 * to build what has no use (MX-6), so their absence is only noted.
 */
static void
layer_verdict_null_mx_quiet(struct check *c)
{
	static const struct {
		enum check_layer  layer;
		enum finding_code code;
	} moot[] = { { CHECK_DNS, FINDING_STS_TXT_MISSING },
		{ CHECK_TLSRPT, FINDING_TLSRPT_MISSING } };
	const struct mx_set *mx = check_mx(c);
	struct finding_list *fl;
	struct finding	    *f;
	enum check_status    st;
	size_t		     i, j;

	if (mx == NULL || !mx->null_mx || mx->nhost > 0)
		return;
	for (i = 0; i < sizeof(moot) / sizeof(moot[0]); i++) {
		fl = check_layer_fl(c, moot[i].layer);
		for (j = 0; j < finding_list_count(fl); j++) {
			f = finding_list_at(fl, j);
			if (f->code != moot[i].code)
				continue;
			f->severity = FINDING_INFO;
			finding_set_fix(f,
			    "Nothing needed: %s takes no mail "
			    "(null MX).",
			    check_domain(c));
		}
		st = check_layer_status(c, moot[i].layer);
		if (st > CHECK_RUNNING && st != CHECK_SKIP)
			check_layer_finish(c, moot[i].layer,
			    check_layer_elapsed_ms(c, moot[i].layer));
	}
}

/* Why the check could not be made at all, if it could not. */
static void
layer_verdict_failure(struct check *c)
{
	const struct dns_answer *sts = check_sts_answer(c);
	const struct mx_set	*mx = check_mx(c);

	if (mx == NULL && check_was_cut(c))
		check_set_failure(c,
		    xasprintf("the check's deadline (%.1f s) passed before "
			      "the MX set was known",
			check_deadline_ms(c) / 1000.0));
	if (layer_verdict_dns_dead(sts) &&
	    layer_verdict_dns_dead(check_tlsrpt_answer(c)) && mx != NULL &&
	    (mx->status == DNS_TIMEOUT || mx->status == DNS_ERROR))
		check_set_failure(c,
		    xasprintf("the DNS resolver did not answer: %s",
			sts->error != NULL ? sts->error : "no reply"));
}

static int
layer_verdict_judge(struct check *c, struct layer_job *job)
{
	const struct finding_list *layers[CHECK_LAYER__COUNT];
	struct layer_verdict_data *d;
	size_t			   n = 0;
	int			   l;

	if (job != NULL)
		d = check_layer_take(c, CHECK_VERDICT, job);
	else {
		/* The deadline came while the reports were being read. */
		d = xcalloc(1, sizeof(*d));
		check_layer_set_data(c, CHECK_VERDICT, d);
		if (check_env(c)->reports != NULL) {
			d->rep.given = 1;
			d->why = xstrdup("not read: the check's deadline came "
					 "first");
		}
	}
	d->rep.why = d->why;
	layer_verdict_failure(c);
	layer_verdict_null_mx_quiet(c);
	for (l = 0; l < CHECK_LAYER__COUNT; l++)
		if (!check_layer_final(l))
			layers[n++] = check_layer_findings(c, l);
	d->verdict = verdict_facts_judge(c, (long long)check_time(c), &d->rep,
	    layers, n, check_layer_fl(c, CHECK_VERDICT));
	check_layer_finish(c, CHECK_VERDICT, 0);
	/* The verdict layer's status is the exit status in a word. */
	check_layer_set_status(c, CHECK_VERDICT,
	    d->verdict->exit_status == 2       ? CHECK_FAIL
		: d->verdict->exit_status == 1 ? CHECK_WARN
					       : CHECK_PASS);
	return 1;
}

const struct verdict *
check_verdict(const struct check *c)
{
	const struct layer_verdict_data *d = check_layer_data(c, CHECK_VERDICT);

	return d != NULL ? d->verdict : NULL;
}

int
check_exit_status(const struct check *c)
{
	/* One place: the verdict's three answers decide (doc/verdict.md). */
	if (check_failure(c) != NULL || !check_done(c))
		return 3;
	return check_verdict(c)->exit_status;
}

/* Its data is the report's top-level "verdict" (report_json.c). */
const struct layer_class layer_verdict_class = {
	.name = "verdict",
	.flags = LAYER_FINAL,
	.after = LAYER_ALL,
	.work = layer_verdict_work,
	.judge = layer_verdict_judge,
	.free = layer_verdict_free,
	.summary = layer_verdict_summary,
};
