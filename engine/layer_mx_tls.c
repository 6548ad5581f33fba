/*
 * layer_mx_tls: STARTTLS on port 25 of every MX address, as shown.
 */
#include "config.h"
#include "layer.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "certinfo.h"
#include "check_json.h"
#include "jsonw.h"
#include "layer_mx_tls.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "report_json.h"
#include "smtp_probe.h"
#include "smtp_reply.h"
#include "strbuf.h"
#include "summary.h"
#include "xmalloc.h"

char *
mx_tls_summary(const struct mx_tls_result *res, const struct mx_tls_host *h,
    const struct mx_tls_addr *a)
{
	const struct smtp_probe_result *p;
	const struct certinfo_verify   *v;
	struct strbuf			sb;
	size_t				idx;
	long				days;

	strbuf_init(&sb, 1024);
	if (a == NULL) {
		strbuf_addf(&sb, "%s: %s", h->name,
		    h->skipped		 ? "skipped (--skip-mx)"
			: h->naddrs == 0 ? "no address"
					 : "not probed");
		return strbuf_detach(&sb, NULL);
	}
	strbuf_addf(&sb, "%s %s: ", h->name, a->address);
	if (h->skipped || (p = a->probe) == NULL) {
		strbuf_addstr(&sb,
		    h->skipped	    ? "skipped (--skip-mx)"
			: a->capped ? "not probed (over the address cap)"
			: a->cut    ? "not probed (the deadline came first)"
				    : "not probed");
		return strbuf_detach(&sb, NULL);
	}
	if (p->fail != SMTP_PROBE_OK && !p->tls) {
		if (p->fail == SMTP_PROBE_FAIL_NOTLS)
			strbuf_addstr(&sb, "no STARTTLS");
		else if (p->fail_state == SMTP_PROBE_HANDSHAKE &&
		    mx_tls_legacy_ok(a))
			strbuf_addf(&sb, "STARTTLS, only %s",
			    a->legacy->tls_version);
		else
			strbuf_addf(&sb, "failed at %s: %s", mx_tls_where(p),
			    p->reason);
		return strbuf_detach(&sb, NULL);
	}
	strbuf_addf(&sb, "STARTTLS, %s",
	    p->tls_version != NULL ? p->tls_version : "TLS");
	v = a->verify;
	if (v == NULL)
		strbuf_addstr(&sb, ", no certificate");
	else if (v->problems == 0 && p->chain != NULL && p->chain->ncerts > 0) {
		days = mx_tls_min_days(p->chain, v, &idx);
		strbuf_addf(&sb, ", cert valid %ld day%s", days,
		    days == 1 ? "" : "s");
	} else
		strbuf_addf(&sb, ", cert %s",
		    certinfo_verdict_name(v->verdict));
	if (a->nosni != NULL && !a->nosni->tls)
		strbuf_addstr(&sb, ", fails without SNI");
	if (mx_tls_legacy_ok(a))
		strbuf_addf(&sb, ", also %s", a->legacy->tls_version);
	if (p->starttls_repeated)
		strbuf_addstr(&sb, ", STARTTLS offered again");
	if (p->fail != SMTP_PROBE_OK)
		strbuf_addf(&sb, ", then failed at %s", mx_tls_where(p));
	(void)res;
	return strbuf_detach(&sb, NULL);
}

static void
layer_mx_tls_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct mx_tls_result *r = check_mx_tls(c);
	const struct mx_tls_host   *h;
	size_t			    i, k;

	(void)ascii;
	if (r == NULL) {
		if (check_layer_skip_reason(c, CHECK_MX_TLS) != NULL)
			summary_add(s, "skipped: %s",
			    check_layer_skip_reason(c, CHECK_MX_TLS));
		return;
	}
	for (i = 0; i < r->nhosts && s->n < SUMMARY_MAX_LINES; i++) {
		h = &r->hosts[i];
		if (h->skipped || h->naddrs == 0) {
			s->line[s->n++] = mx_tls_summary(r, h, NULL);
			continue;
		}
		for (k = 0; k < h->naddrs && s->n < SUMMARY_MAX_LINES; k++)
			s->line[s->n++] = mx_tls_summary(r, h, &h->addrs[k]);
	}
}

static void
layer_mx_tls_json(struct jsonw *j, const struct check *c)
{
	if (check_mx_tls(c) != NULL)
		report_json_mx_tls(j, check_mx_tls(c));
}

/* Bounds on a stored probe. */
#define MX_TLS_LOAD_LINES  64  /* per SMTP reply */
#define MX_TLS_LOAD_EVENTS 256 /* transcript lines */

static struct smtp_reply *
layer_mx_tls_load_reply(const json_t *o)
{
	struct smtp_reply *r;

	if (o == NULL)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->code = (int)check_json_int(o, "code", 0, 999, 0);
	r->lines =
	    check_json_strings(o, "lines", MX_TLS_LOAD_LINES, &r->nlines);
	return r;
}

static struct smtp_probe_result *
layer_mx_tls_load_probe(const json_t *o, const char *host, const char *addr)
{
	struct smtp_probe_result *p;
	struct smtp_probe_event	 *ev;
	const json_t		 *a, *eo;
	const char		 *s;
	size_t			  i, n;
	int			  e;

	if (!json_is_object(o))
		return NULL;
	p = xcalloc(1, sizeof(*p));
	atomic_init(&p->refs, 1);
	p->host = xstrdup(host);
	p->address = xstrdup(addr);
	p->family = strchr(addr, ':') != NULL ? 6 : 4;
	p->fail = SMTP_PROBE_FAIL_IMPL;
	s = check_json_str(o, "outcome");
	for (e = SMTP_PROBE_OK; s != NULL && e <= SMTP_PROBE_FAIL_IMPL; e++)
		if (strcmp(s, smtp_probe_fail_name(e)) == 0)
			p->fail = e;
	s = check_json_str(o, "failed_at");
	for (e = SMTP_PROBE_INIT; s != NULL && e < SMTP_PROBE_NSTATES; e++)
		if (strcmp(s, smtp_probe_state_name(e)) == 0)
			p->fail_state = e;
	p->reason = check_json_strdup(o, "reason");
	p->elapsed_ms = (long)check_json_int(o, "elapsed_ms", 0, LONG_MAX, 0);
	p->tls = check_json_bool(o, "tls");
	p->tls_version = check_json_strdup(o, "tls_version");
	p->tls_cipher = check_json_strdup(o, "tls_cipher");
	p->tls_kx = check_json_strdup(o, "tls_kx");
	p->banner = layer_mx_tls_load_reply(check_json_object(o, "banner"));
	p->ehlo = layer_mx_tls_load_reply(check_json_object(o, "ehlo"));
	p->starttls = layer_mx_tls_load_reply(check_json_object(o, "starttls"));
	p->ehlo_tls =
	    layer_mx_tls_load_reply(check_json_object(o, "ehlo_after_tls"));
	p->starttls_offered = check_json_bool(o, "starttls_offered");
	p->starttls_repeated = check_json_bool(o, "starttls_repeated");
	a = check_json_array(o, "transcript");
	n = check_json_count(a, MX_TLS_LOAD_EVENTS);
	p->events = xcalloc(n + 1, sizeof(*p->events));
	for (i = 0; i < n; i++) {
		eo = json_array_get(a, i);
		if ((s = check_json_str(eo, "text")) == NULL)
			continue;
		ev = &p->events[p->nevents++];
		ev->text = xstrdup(s);
		ev->ms = (long)check_json_int(eo, "ms", 0, LONG_MAX, 0);
		s = check_json_str(eo, "dir");
		ev->dir = s != NULL && strlen(s) == 1 ? *s : '*';
		s = check_json_str(eo, "state");
		for (e = SMTP_PROBE_INIT; s != NULL && e < SMTP_PROBE_NSTATES;
		     e++)
			if (strcmp(s, smtp_probe_state_name(e)) == 0)
				ev->state = e;
	}
	return p;
}

/* Hosts, addresses, probes and chains: the chain and SMTP views' data. */
static void *
layer_mx_tls_load(const json_t *data, const json_t *doc, const struct check *c)
{
	const json_t	     *hosts = check_json_array(data, "hosts"), *ho;
	const json_t	     *addrs, *ao, *ch;
	struct mx_tls_result *r;
	struct mx_tls_host   *h;
	struct mx_tls_addr   *a;
	size_t i, k, na, n = check_json_count(hosts, BUDGET_MX_MAX_HOSTS);

	(void)doc;
	if (hosts == NULL)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->now = check_time(c);
	r->trust_source = check_json_strdup(data, "trust_source");
	r->expiry_warn_days =
	    (int)check_json_int(data, "expiry_warn_days", 0, 36500, 14);
	r->hosts = xcalloc(n + 1, sizeof(*r->hosts));
	for (i = 0; i < n; i++) {
		ho = json_array_get(hosts, i);
		if (check_json_str(ho, "name") == NULL)
			continue;
		h = &r->hosts[r->nhosts++];
		h->name = check_json_strdup(ho, "name");
		h->pref =
		    (unsigned)check_json_int(ho, "preference", 0, 65535, 0);
		h->skipped = check_json_bool(ho, "skipped");
		h->skip_reason = check_json_strdup(ho, "skip_reason");
		addrs = check_json_array(ho, "addresses");
		na = check_json_count(addrs, BUDGET_MX_MAX_ADDRS_CHECK);
		h->addrs = xcalloc(na + 1, sizeof(*h->addrs));
		for (k = 0; k < na; k++) {
			ao = json_array_get(addrs, k);
			if (check_json_str(ao, "address") == NULL)
				continue;
			a = &h->addrs[h->naddrs++];
			a->address = check_json_strdup(ao, "address");
			a->probe = layer_mx_tls_load_probe(
			    json_object_get(ao, "probe"), h->name, a->address);
			a->nosni = layer_mx_tls_load_probe(
			    json_object_get(ao, "no_sni"), h->name, a->address);
			a->legacy = layer_mx_tls_load_probe(
			    json_object_get(ao, "legacy_tls"), h->name,
			    a->address);
			ch = check_json_object(ao, "chain");
			if (a->probe != NULL && ch != NULL)
				check_json_chain(ch, &a->probe->chain,
				    &a->verify);
		}
	}
	return r;
}

static void
layer_mx_tls_free(void *p)
{
	mx_tls_result_free(p);
}

static void
layer_mx_tls_free_in(void *in)
{
	mx_set_free(in);
}

/* The probe starts once the MX set is known, on a copy of it. */
static int
layer_mx_tls_prepare(struct check *c, struct layer_job *job)
{
	const struct mx_set *mx = check_mx(c);

	if (mx == NULL || mx->nhost == 0) {
		check_layer_skip(c, CHECK_MX_TLS, "no MX host to probe");
		return -1;
	}
	if (check_env(c)->no_mx_tls) {
		check_layer_skip(c, CHECK_MX_TLS, "--no-mx-tls");
		return -1;
	}
	job->in = mx_set_clone(mx);
	return 0;
}

static void
layer_mx_tls_work(struct layer_job *job)
{
	struct mx_tls_options o = job->env->tls;

	o.deadline_ms = job->deadline;
	job->out = mx_tls_probe(job->in, &o, &job->cause);
}

/* The result waits for the policy's mode (late) before it is judged. */
static int
layer_mx_tls_judge(struct check *c, struct layer_job *job)
{
	if (job->out == NULL) {
		check_layer_skip(c, CHECK_MX_TLS,
		    job->cause != NULL ? job->cause
				       : "the probe could not start");
		return 0;
	}
	check_layer_take(c, CHECK_MX_TLS, job);
	return 0;
}

/*
 * Judging needs the policy's mode: what blocks an enforce sender is an
 * error under testing and enforce, a warning with no policy (TLS-9).
 */
static int
layer_mx_tls_late(struct check *c)
{
	const struct mx_tls_result *r = check_mx_tls(c);

	if (r == NULL)
		return 1;
	mx_tls_judge(r, check_applied_mode(c), check_layer_fl(c, CHECK_MX_TLS));
	check_layer_finish(c, CHECK_MX_TLS,
	    check_layer_elapsed_ms(c, CHECK_MX_TLS));
	return 1;
}

const struct mx_tls_result *
check_mx_tls(const struct check *c)
{
	return check_layer_data(c, CHECK_MX_TLS);
}

int
check_addr_cut(const struct check *c)
{
	const struct mx_tls_result *r = check_mx_tls(c);

	return r != NULL && r->ncut > 0;
}

const struct layer_class layer_mx_tls_class = {
	.name = "mx_tls",
	.needs = LAYER_BIT(CHECK_MX),
	.late_needs = LAYER_BIT(CHECK_POLICY),
	.budget_ms = BUDGET_MX_TLS_LAYER_MS,
	.prepare = layer_mx_tls_prepare,
	.work = layer_mx_tls_work,
	.judge = layer_mx_tls_judge,
	.late = layer_mx_tls_late,
	.free = layer_mx_tls_free,
	.free_in = layer_mx_tls_free_in,
	.cut_code = FINDING_MX_TLS_CUT,
	.cut_step = "the STARTTLS probes",
	.cut_unstarted = "the MX set was not known yet",
	.summary = layer_mx_tls_summary,
	.json = layer_mx_tls_json,
	.load = layer_mx_tls_load,
};
