/*
 * layer_verdict: the three answers drawn from every other layer.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>
#include <string.h>
#include "check_json.h"
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

/* Bounds on a stored verdict. */
#define VERDICT_LOAD_ITEMS 256
#define VERDICT_LOAD_VIEWS 3
#define VERDICT_LOAD_HOSTS 64
#define VERDICT_LOAD_ADDRS 64

/* A finding code by name; -1 for null or a code this build lacks. */
static int
layer_verdict_code(const json_t *o, const char *key)
{
	const char *s = check_json_str(o, key);

	return s != NULL ? finding_code_lookup(s) : -1;
}

static enum verdict_outcome
layer_verdict_outcome(const json_t *o)
{
	const char *s = check_json_str(o, "outcome");
	int	    e;

	for (e = VERDICT_VERIFIED; s != NULL && e <= VERDICT_UNKNOWN; e++)
		if (strcmp(s, verdict_outcome_name(e)) == 0)
			return e;
	return VERDICT_UNKNOWN;
}

static enum verdict_state
layer_verdict_state(const json_t *o)
{
	const char *s = check_json_str(o, "state");
	int	    e;

	for (e = VERDICT_ALL; s != NULL && e <= VERDICT_STATE_UNKNOWN; e++)
		if (strcmp(s, verdict_state_name(e)) == 0)
			return e;
	return VERDICT_STATE_UNKNOWN;
}

/* Items whose code this build does not know are left out. */
static struct verdict_item *
layer_verdict_items(const json_t *o, const char *key, size_t *n)
{
	const json_t	    *a = check_json_array(o, key), *io;
	struct verdict_item *it;
	size_t		     i, cnt = check_json_count(a, VERDICT_LOAD_ITEMS);
	int		     code;

	*n = 0;
	it = xcalloc(cnt + 1, sizeof(*it));
	for (i = 0; i < cnt; i++) {
		io = json_array_get(a, i);
		if ((code = layer_verdict_code(io, "code")) < 0)
			continue;
		it[*n].code = code;
		it[*n].subject = check_json_strdup(io, "subject");
		it[*n].why = check_json_strdup(io, "why");
		it[*n].fix = check_json_strdup(io, "fix");
		(*n)++;
	}
	return it;
}

static void
layer_verdict_load_host(struct verdict_host *h, const json_t *ho)
{
	const json_t *a = check_json_array(ho, "addresses"), *ao;
	size_t	      i, n = check_json_count(a, VERDICT_LOAD_ADDRS);
	int	      code;

	h->name = check_json_strdup(ho, "host");
	if (h->name == NULL)
		h->name = xstrdup("?");
	h->pref = (unsigned)check_json_int(ho, "pref", 0, 65535, 0);
	h->outcome = layer_verdict_outcome(ho);
	if ((code = layer_verdict_code(ho, "code")) >= 0) {
		h->has_code = 1;
		h->code = code;
	}
	h->why = check_json_strdup(ho, "why");
	h->addrs = xcalloc(n + 1, sizeof(*h->addrs));
	for (i = 0; i < n; i++) {
		ao = json_array_get(a, i);
		if (check_json_str(ao, "address") == NULL)
			continue;
		h->addrs[h->naddrs].address = check_json_strdup(ao, "address");
		h->addrs[h->naddrs].outcome = layer_verdict_outcome(ao);
		if ((code = layer_verdict_code(ao, "code")) >= 0) {
			h->addrs[h->naddrs].has_code = 1;
			h->addrs[h->naddrs].code = code;
		}
		h->addrs[h->naddrs].why = check_json_strdup(ao, "why");
		h->naddrs++;
	}
}

static void
layer_verdict_load_view(struct verdict_view *w, const json_t *wo)
{
	const json_t *a = check_json_array(wo, "hosts");
	const char   *s;
	size_t	      i, n = check_json_count(a, VERDICT_LOAD_HOSTS);
	int	      e;

	s = check_json_str(wo, "sender");
	for (e = VERDICT_SENDER_STRICT; s != NULL && e <= VERDICT_SENDER_HOLDER;
	     e++)
		if (strcmp(s, verdict_sender_name(e)) == 0)
			w->sender = e;
	s = check_json_str(wo, "mode");
	for (e = POLICY_MODE_MISSING; s != NULL && e <= POLICY_MODE_ENFORCE;
	     e++) {
		if (strcmp(s, policy_mode_name(e)) == 0) {
			w->has_policy = 1;
			w->mode = e;
		}
	}
	w->state = layer_verdict_state(wo);
	w->refused = check_json_bool(wo, "refuses");
	w->summary = check_json_strdup(wo, "summary");
	w->hosts = xcalloc(n + 1, sizeof(*w->hosts));
	for (i = 0; i < n; i++) {
		if (!json_is_object(json_array_get(a, i)))
			continue;
		layer_verdict_load_host(&w->hosts[w->nhosts++],
		    json_array_get(a, i));
		if (w->hosts[w->nhosts - 1].outcome == VERDICT_UNKNOWN)
			w->nunknown++;
	}
}

/*
 * The three answers from the document's top-level "verdict", for the
 * verdict bar and the text report.  Strings the screen prints are never
 * left NULL.
 */
static void *
layer_verdict_load(const json_t *data, const json_t *doc, const struct check *c)
{
	const json_t		  *vo = check_json_object(doc, "verdict");
	const json_t		  *dl, *pr, *hy, *views;
	struct layer_verdict_data *d;
	struct verdict		  *v;
	const char		  *s;
	size_t			   i, n;
	int			   e;

	(void)data;
	(void)c;
	if (vo == NULL || check_json_str(vo, "reason") == NULL ||
	    (dl = check_json_object(vo, "delivery")) == NULL)
		return NULL;
	pr = check_json_object(vo, "promotion");
	hy = check_json_object(vo, "hygiene");
	d = xcalloc(1, sizeof(*d));
	v = d->verdict = xcalloc(1, sizeof(*v));
	v->policy_applied = check_json_bool(vo, "policy_applied");
	v->mode = check_json_strdup(vo, "mode");
	v->reason = check_json_strdup(vo, "reason");
	v->summary = check_json_strdup(vo, "summary");
	v->exit_status = (int)check_json_int(vo, "exit_status", 0, 2, 2);
	v->exit_why = check_json_strdup(vo, "exit_why");
	v->enforce_ready = check_json_bool(vo, "enforce_ready");
	v->state = layer_verdict_state(dl);
	s = check_json_str(dl, "cause");
	v->cause_mta_sts = s != NULL && strcmp(s, "mta-sts") == 0;
	v->delivery = check_json_strdup(dl, "summary");
	views = check_json_array(dl, "views");
	n = check_json_count(views, VERDICT_LOAD_VIEWS);
	v->views = xcalloc(n + 1, sizeof(*v->views));
	for (i = 0; i < n; i++)
		if (json_is_object(json_array_get(views, i)))
			layer_verdict_load_view(&v->views[v->nviews++],
			    json_array_get(views, i));
	if (v->nviews == 0) /* views[0] is always there */
		v->views[v->nviews++].state = VERDICT_STATE_UNKNOWN;
	v->step = VERDICT_STEP_MOOT;
	s = check_json_str(pr, "step");
	for (e = VERDICT_STEP_DEPLOY; s != NULL && e <= VERDICT_STEP_MOOT; e++)
		if (strcmp(s, verdict_step_name(e)) == 0)
			v->step = e;
	v->next = check_json_strdup(pr, "next");
	v->blockers = layer_verdict_items(pr, "blockers", &v->nblockers);
	v->causes = layer_verdict_items(pr, "causes", &v->ncauses);
	s = check_json_str(pr, "evidence");
	for (e = VERDICT_EVIDENCE_NO_TLSRPT;
	     s != NULL && e <= VERDICT_EVIDENCE_CLEAN; e++) {
		if (strcmp(s, verdict_evidence_name(e)) == 0) {
			v->has_evidence = 1;
			v->evidence = e;
		}
	}
	v->hygiene = layer_verdict_items(hy, "items", &v->nhygiene);
	if (v->summary == NULL)
		v->summary = xstrdup("");
	if (v->delivery == NULL)
		v->delivery = xstrdup("");
	if (v->next == NULL)
		v->next = xstrdup("");
	if (v->exit_why == NULL)
		v->exit_why = xstrdup("");
	return d;
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
	.load = layer_verdict_load,
};
