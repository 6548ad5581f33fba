#include "config.h"
#include "report_json.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certinfo.h"
#include "check_json.h"
#include "check.h"
#include "dns.h"
#include "finding.h"
#include "history.h"
#include "jsonw.h"
#include "layer.h"
#include "mx_diagnose.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "dane.h"
#include "smtp_probe.h"
#include "smtp_reply.h"
#include "policy_fetch.h"
#include "provider.h"
#include "policy_parse.h"
#include "sts_record.h"
#include "summary.h"
#include "tlsrpt_record.h"
#include "verdict.h"
#include "xmalloc.h"

void
report_json_time(struct jsonw *j, const char *key, time_t t)
{
	struct tm tm;
	char	  buf[32];

	if (t == 0 || gmtime_r(&t, &tm) == NULL) {
		jsonw_null(j, key);
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jsonw_string(j, key, buf);
}

time_t
report_json_time_parse(const char *s)
{
	struct tm tm;
	char	 *end;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL ||
	    *end != '\0')
		return -1;
	return timegm(&tm);
}

void
report_json_strings(struct jsonw *j, const char *key, char *const *v, size_t n)
{
	size_t i;

	jsonw_array_begin(j, key);
	for (i = 0; i < n; i++)
		jsonw_string(j, NULL, v[i]);
	jsonw_array_end(j);
}

/* The members of a findings array, so layers and the flat list agree. */
void
report_json_finding_items(struct jsonw *j, const struct finding_list *fl,
    const char *layer)
{
	const struct finding *f;
	size_t		      i;

	for (i = 0; i < finding_list_count(fl); i++) {
		f = finding_list_get(fl, i);
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "code", finding_code_name(f->code));
		jsonw_string(j, "severity", finding_severity_name(f->severity));
		jsonw_string(j, "layer",
		    layer != NULL ? layer : finding_code_layer(f->code));
		jsonw_string(j, "subject", f->subject);
		if (f->line > 0)
			jsonw_uint(j, "line", f->line);
		else
			jsonw_null(j, "line");
		jsonw_string(j, "message", f->message);
		jsonw_string(j, "fix", finding_fix(f));
		jsonw_string(j, "rule", finding_code_rule(f->code));
		jsonw_object_end(j);
	}
}

void
report_json_findings(struct jsonw *j, const char *key,
    const struct finding_list *fl, const char *layer)
{
	jsonw_array_begin(j, key);
	report_json_finding_items(j, fl, layer);
	jsonw_array_end(j);
}

void
report_json_chain(struct jsonw *j, const char *key,
    const struct certinfo_chain *chain, const struct certinfo_verify *v)
{
	const struct certinfo *ci;
	size_t		       i;

	jsonw_object_begin(j, key);
	jsonw_array_begin(j, "certificates");
	for (i = 0; chain != NULL && i < chain->ncerts; i++) {
		ci = &chain->certs[i];
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "subject", ci->subject);
		jsonw_string(j, "issuer", ci->issuer);
		report_json_strings(j, "san_dns", ci->dns_names, ci->ndns);
		report_json_strings(j, "san_ip", ci->ip_addrs, ci->nip);
		report_json_time(j, "not_before", ci->not_before);
		report_json_time(j, "not_after", ci->not_after);
		jsonw_int(j, "days_left", ci->days_left);
		jsonw_string(j, "key", ci->key);
		jsonw_string(j, "signature_algorithm", ci->sig_alg);
		jsonw_string(j, "sha256", ci->fpr_sha256);
		jsonw_string(j, "spki_sha256", ci->spki_sha256);
		jsonw_bool(j, "ca", ci->is_ca);
		jsonw_bool(j, "self_signed", ci->self_signed);
		if (v != NULL && i < v->nlinks) {
			jsonw_object_begin(j, "link");
			if (v->links[i].signed_by_next < 0)
				jsonw_null(j, "signed_by_next");
			else
				jsonw_bool(j, "signed_by_next",
				    v->links[i].signed_by_next);
			jsonw_bool(j, "is_anchor", v->links[i].is_anchor);
			jsonw_string(j, "anchor", v->links[i].anchor);
			jsonw_bool(j, "in_path", v->links[i].in_path);
			jsonw_object_end(j);
		}
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	if (v != NULL) {
		jsonw_object_begin(j, "verification");
		jsonw_string(j, "verdict", certinfo_verdict_name(v->verdict));
		jsonw_string(j, "detail", v->detail);
		jsonw_string(j, "anchor", v->anchor);
		jsonw_string(j, "anchor_source", v->anchor_source);
		if (v->matched_dns >= 0 && chain != NULL && chain->ncerts > 0 &&
		    (size_t)v->matched_dns < chain->certs[0].ndns)
			jsonw_string(j, "matched_san",
			    chain->certs[0].dns_names[v->matched_dns]);
		else
			jsonw_null(j, "matched_san");
		jsonw_object_end(j);
	} else
		jsonw_null(j, "verification");
	jsonw_object_end(j);
}

void
report_json_answer(struct jsonw *j, const struct dns_answer *a)
{
	size_t i, k;

	jsonw_object_begin(j, "query");
	jsonw_string(j, "name", a->qname);
	jsonw_string(j, "type", dns_type_name(a->qtype));
	jsonw_string(j, "status", dns_status_name(a->status));
	jsonw_int(j, "rcode", a->rcode);
	jsonw_bool(j, "ad", a->ad);
	report_json_strings(j, "cname_chain", a->cname, a->ncname);
	jsonw_string(j, "error", a->error);
	jsonw_uint(j, "elapsed_ms", a->elapsed_ms);
	jsonw_object_end(j);
	if (a->qtype != DNS_TYPE_TXT)
		return;
	/* Each RR with its character-strings apart, as DNS returned them. */
	jsonw_array_begin(j, "txt");
	for (i = 0; i < a->nrr; i++) {
		jsonw_object_begin(j, NULL);
		jsonw_uint(j, "ttl", a->rr[i].ttl);
		jsonw_array_begin(j, "strings");
		for (k = 0; k < a->rr[i].nstr; k++)
			jsonw_stringn(j, NULL,
			    (const char *)a->rr[i].str[k].data,
			    a->rr[i].str[k].len);
		jsonw_array_end(j);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
}

void
report_json_sts(struct jsonw *j, const struct sts_record *r)
{
	size_t i;

	if (r == NULL) {
		jsonw_null(j, "record");
		return;
	}
	jsonw_object_begin(j, "record");
	jsonw_uint(j, "rrs", r->nrrs);
	jsonw_uint(j, "candidates", r->ncandidates);
	jsonw_stringn(j, "raw", r->raw, r->raw != NULL ? r->rawlen : 0);
	jsonw_bool(j, "valid", r->valid);
	jsonw_string(j, "id", r->id);
	jsonw_array_begin(j, "fields");
	for (i = 0; i < r->nfields; i++) {
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "name", r->fields[i].name);
		jsonw_string(j, "value", r->fields[i].value);
		jsonw_bool(j, "duplicate", r->fields[i].duplicate);
		jsonw_bool(j, "known", r->fields[i].known);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	jsonw_object_end(j);
}

void
report_json_delegation(struct jsonw *j, const struct provider_result *res,
    const struct provider_delegation *d)
{
	if (res == NULL)
		return;
	if (d->owner == NULL) {
		jsonw_null(j, "delegation");
		return;
	}
	jsonw_object_begin(j, "delegation");
	jsonw_string(j, "cname", d->cname);
	jsonw_string(j, "target", d->target);
	jsonw_string(j, "provider",
	    d->provider != NULL ? d->provider->name : NULL);
	if (d == &res->host) {
		jsonw_string(j, "state", provider_state_name(res->state));
		jsonw_string(j, "after_opt_out",
		    d->provider != NULL ? d->provider->after : NULL);
	}
	jsonw_object_end(j);
}

void
report_json_policy(struct jsonw *j, const struct policy *p)
{
	size_t i;

	jsonw_bool(j, "valid", p->valid);
	jsonw_bool(j, "version_ok", p->version_ok);
	jsonw_string(j, "mode", policy_mode_name(p->mode));
	if (p->max_age >= 0)
		jsonw_int(j, "max_age", p->max_age);
	else
		jsonw_null(j, "max_age");
	jsonw_array_begin(j, "mx");
	for (i = 0; i < p->nmx; i++) {
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "pattern", p->mx[i].pattern);
		jsonw_uint(j, "line", p->mx[i].lineno);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	jsonw_uint(j, "lines", p->nlines);
	jsonw_bool(j, "truncated", p->truncated);
	jsonw_stringn(j, "body", p->body, p->bodylen);
}

void
report_json_mx(struct jsonw *j, const struct mx_set *m, const struct policy *p)
{
	const struct mx_host *h;
	size_t		      i;

	jsonw_string(j, "status", dns_status_name(m->status));
	jsonw_bool(j, "null_mx", m->null_mx);
	jsonw_bool(j, "implicit", m->implicit);
	jsonw_array_begin(j, "hosts");
	for (i = 0; i < m->nhost; i++) {
		h = &m->host[i];
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "name", h->name);
		jsonw_uint(j, "preference", h->pref);
		jsonw_bool(j, "implicit", h->implicit);
		jsonw_bool(j, "ip_literal", h->ip_literal);
		jsonw_string(j, "cname", h->cname);
		report_json_strings(j, "addresses", h->addrs.addr, h->addrs.n);
		if (h->pattern >= 0 && p != NULL && (size_t)h->pattern < p->nmx)
			jsonw_string(j, "covered_by",
			    p->mx[h->pattern].pattern);
		else
			jsonw_null(j, "covered_by");
		jsonw_bool(j, "judged", h->pattern != -2);
		jsonw_string(j, "why", h->why);
		/* The cause as a word, for scan-summary and scripts. */
		if (h->pattern == -1)
			jsonw_string(j, "why_class",
			    mx_diagnose_class_name(h->why_class));
		else
			jsonw_null(j, "why_class");
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
}

static void
report_json_reply(struct jsonw *j, const char *key, const struct smtp_reply *r)
{
	size_t i;

	if (r == NULL) {
		jsonw_null(j, key);
		return;
	}
	jsonw_object_begin(j, key);
	jsonw_int(j, "code", r->code);
	jsonw_array_begin(j, "lines");
	for (i = 0; i < r->nlines; i++)
		jsonw_string(j, NULL, r->lines[i]);
	jsonw_array_end(j);
	jsonw_object_end(j);
}

static void
report_json_probe(struct jsonw *j, const char *key,
    const struct smtp_probe_result *p, int full)
{
	size_t i;

	if (p == NULL) {
		jsonw_null(j, key);
		return;
	}
	jsonw_object_begin(j, key);
	jsonw_string(j, "outcome", smtp_probe_fail_name(p->fail));
	if (p->fail != SMTP_PROBE_OK)
		jsonw_string(j, "failed_at",
		    smtp_probe_state_name(p->fail_state));
	jsonw_string(j, "reason", p->reason);
	jsonw_int(j, "elapsed_ms", p->elapsed_ms);
	jsonw_bool(j, "tls", p->tls);
	jsonw_string(j, "tls_version", p->tls_version);
	jsonw_string(j, "tls_cipher", p->tls_cipher);
	if (full) {
		jsonw_string(j, "tls_kx", p->tls_kx);
		report_json_reply(j, "banner", p->banner);
		report_json_reply(j, "ehlo", p->ehlo);
		jsonw_bool(j, "starttls_offered", p->starttls_offered);
		report_json_reply(j, "starttls", p->starttls);
		report_json_reply(j, "ehlo_after_tls", p->ehlo_tls);
		jsonw_bool(j, "starttls_repeated", p->starttls_repeated);
		jsonw_array_begin(j, "transcript");
		for (i = 0; i < p->nevents; i++) {
			jsonw_object_begin(j, NULL);
			jsonw_int(j, "ms", p->events[i].ms);
			jsonw_string(j, "state",
			    smtp_probe_state_name(p->events[i].state));
			jsonw_stringn(j, "dir", &p->events[i].dir, 1);
			jsonw_string(j, "text", p->events[i].text);
			jsonw_object_end(j);
		}
		jsonw_array_end(j);
	}
	jsonw_object_end(j);
}

void
report_json_mx_tls(struct jsonw *j, const struct mx_tls_result *r)
{
	const struct mx_tls_host *h;
	const struct mx_tls_addr *a;
	size_t			  i, k;

	jsonw_string(j, "trust_source", r->trust_source);
	jsonw_int(j, "expiry_warn_days", r->expiry_warn_days);
	jsonw_array_begin(j, "hosts");
	for (i = 0; i < r->nhosts; i++) {
		h = &r->hosts[i];
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "name", h->name);
		jsonw_uint(j, "preference", h->pref);
		jsonw_bool(j, "skipped", h->skipped);
		jsonw_string(j, "skip_reason", h->skip_reason);
		jsonw_array_begin(j, "addresses");
		for (k = 0; k < h->naddrs; k++) {
			a = &h->addrs[k];
			jsonw_object_begin(j, NULL);
			jsonw_string(j, "address", a->address);
			report_json_probe(j, "probe", a->probe, 1);
			report_json_probe(j, "no_sni", a->nosni, 0);
			report_json_probe(j, "legacy_tls", a->legacy, 0);
			if (a->probe != NULL && a->probe->chain != NULL)
				report_json_chain(j, "chain", a->probe->chain,
				    a->verify);
			else
				jsonw_null(j, "chain");
			jsonw_object_end(j);
		}
		jsonw_array_end(j);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
}

void
report_json_tlsrpt(struct jsonw *j, const struct tlsrpt_record *r)
{
	size_t i;

	if (r == NULL) {
		jsonw_null(j, "record");
		return;
	}
	jsonw_object_begin(j, "record");
	jsonw_stringn(j, "raw", r->raw, r->raw != NULL ? r->rawlen : 0);
	jsonw_bool(j, "valid", r->valid);
	jsonw_bool(j, "usable", r->usable);
	jsonw_uint(j, "rua_fields", r->nrua);
	jsonw_array_begin(j, "rua");
	for (i = 0; i < r->nuris; i++) {
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "uri", r->uris[i].uri);
		jsonw_string(j, "scheme",
		    tlsrpt_scheme_name(r->uris[i].scheme));
		jsonw_string(j, "target", r->uris[i].target);
		if (r->uris[i].port != 0)
			jsonw_uint(j, "port", r->uris[i].port);
		jsonw_bool(j, "usable", r->uris[i].usable);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	jsonw_object_end(j);
}

static void
report_json_items(struct jsonw *j, const char *key,
    const struct verdict_item *it, size_t n)
{
	size_t i;

	jsonw_array_begin(j, key);
	for (i = 0; i < n; i++) {
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "code", finding_code_name(it[i].code));
		jsonw_string(j, "subject", it[i].subject);
		jsonw_string(j, "why", it[i].why);
		jsonw_string(j, "fix", it[i].fix);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
}

static void
report_json_outcome(struct jsonw *j, enum verdict_outcome o, int has_code,
    enum finding_code code, const char *why)
{
	jsonw_string(j, "outcome", verdict_outcome_name(o));
	jsonw_string(j, "why", why);
	jsonw_string(j, "code", has_code ? finding_code_name(code) : NULL);
}

static void
report_json_view_hosts(struct jsonw *j, const struct verdict_view *w)
{
	const struct verdict_host *h;
	size_t			   i, k;

	jsonw_array_begin(j, "hosts");
	for (i = 0; i < w->nhosts; i++) {
		h = &w->hosts[i];
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "host", h->name);
		jsonw_uint(j, "pref", h->pref);
		report_json_outcome(j, h->outcome, h->has_code, h->code,
		    h->why);
		jsonw_array_begin(j, "addresses");
		for (k = 0; k < h->naddrs; k++) {
			jsonw_object_begin(j, NULL);
			jsonw_string(j, "address", h->addrs[k].address);
			report_json_outcome(j, h->addrs[k].outcome,
			    h->addrs[k].has_code, h->addrs[k].code,
			    h->addrs[k].why);
			jsonw_object_end(j);
		}
		jsonw_array_end(j);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
}

static void
report_json_delivery(struct jsonw *j, const struct verdict *v)
{
	const struct verdict_view *w;
	size_t			   i;

	jsonw_object_begin(j, "delivery");
	jsonw_string(j, "state", verdict_state_name(v->state));
	if (v->state == VERDICT_SOME || v->state == VERDICT_NONE)
		jsonw_string(j, "cause",
		    v->cause_mta_sts ? "mta-sts" : "other");
	else
		jsonw_null(j, "cause");
	jsonw_string(j, "summary", v->delivery);
	report_json_view_hosts(j, &v->views[0]);
	jsonw_array_begin(j, "views");
	for (i = 0; i < v->nviews; i++) {
		w = &v->views[i];
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "sender", verdict_sender_name(w->sender));
		jsonw_string(j, "mode",
		    w->has_policy ? policy_mode_name(w->mode) : NULL);
		jsonw_string(j, "state", verdict_state_name(w->state));
		jsonw_bool(j, "refuses", w->refused);
		jsonw_string(j, "summary", w->summary);
		report_json_view_hosts(j, w);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	jsonw_object_end(j);
}

static void
report_json_verdict(struct jsonw *j, const struct verdict *v)
{
	size_t i;

	jsonw_object_begin(j, "verdict");
	if (v != NULL) {
		jsonw_bool(j, "policy_applied", v->policy_applied);
		jsonw_string(j, "mode", v->mode);
		jsonw_bool(j, "enforce_ready", v->enforce_ready);
		jsonw_array_begin(j, "blockers");
		for (i = 0; i < v->nblockers; i++)
			jsonw_string(j, NULL,
			    finding_code_name(v->blockers[i].code));
		jsonw_array_end(j);
		jsonw_string(j, "reason", v->reason);
		jsonw_string(j, "summary", v->summary);
		jsonw_int(j, "exit_status", v->exit_status);
		jsonw_string(j, "exit_why", v->exit_why);
		report_json_delivery(j, v);
		jsonw_object_begin(j, "promotion");
		jsonw_string(j, "step", verdict_step_name(v->step));
		jsonw_string(j, "next", v->next);
		report_json_items(j, "blockers", v->blockers, v->nblockers);
		report_json_items(j, "causes", v->causes, v->ncauses);
		if (v->has_evidence)
			jsonw_string(j, "evidence",
			    verdict_evidence_name(v->evidence));
		else
			jsonw_null(j, "evidence");
		jsonw_bool(j, "enforce_ready", v->enforce_ready);
		jsonw_object_end(j);
		jsonw_object_begin(j, "hygiene");
		report_json_items(j, "items", v->hygiene, v->nhygiene);
		jsonw_object_end(j);
	}
	jsonw_object_end(j);
}

/* Nesting kept when a snapshot is saved again; deeper values are null. */
#define REPORT_JSON_MAX_DEPTH 32

/* A stored value written again (a snapshot's data, check_json.h). */
static void
report_json_value(struct jsonw *j, const char *key, const json_t *v, int depth)
{
	void  *it;
	size_t i;

	if (json_is_object(v) && depth < REPORT_JSON_MAX_DEPTH) {
		jsonw_object_begin(j, key);
		for (it = json_object_iter((json_t *)v); it != NULL;
		     it = json_object_iter_next((json_t *)v, it))
			report_json_value(j, json_object_iter_key(it),
			    json_object_iter_value(it), depth + 1);
		jsonw_object_end(j);
	} else if (json_is_array(v) && depth < REPORT_JSON_MAX_DEPTH) {
		jsonw_array_begin(j, key);
		for (i = 0; i < json_array_size(v); i++)
			report_json_value(j, NULL, json_array_get(v, i),
			    depth + 1);
		jsonw_array_end(j);
	} else if (json_is_string(v))
		jsonw_stringn(j, key, json_string_value(v),
		    json_string_length(v));
	else if (json_is_integer(v))
		jsonw_int(j, key, json_integer_value(v));
	else if (json_is_real(v))
		jsonw_double(j, key, json_real_value(v));
	else if (json_is_boolean(v))
		jsonw_bool(j, key, json_is_true(v));
	else
		jsonw_null(j, key);
}

static void
report_json_layer_data(struct jsonw *j, const struct check *c,
    enum check_layer l)
{
	const struct layer_class *k = layer_class(l);
	const json_t		 *d;

	/* A snapshot saves what it read, not the part its data rebuilds. */
	if (check_is_snapshot(c) && (d = check_json_layer_data(c, l)) != NULL) {
		report_json_value(j, "data", d, 0);
		return;
	}
	jsonw_object_begin(j, "data");
	if (k->json != NULL)
		k->json(j, c);
	jsonw_object_end(j);
}

/* The layer's lines as the text report and the panes show them. */
static void
report_json_summary(struct jsonw *j, const struct check *c, enum check_layer l)
{
	struct summary s;

	summary_layer(&s, c, l, 0);
	report_json_strings(j, "summary", s.line, s.n);
	summary_clear(&s);
}

static char *
report_json_doc(const struct check *c, const char *domain_unicode,
    const char *tool_version, int pretty, size_t *len)
{
	struct jsonw *j;
	char	     *s;
	int	      l;

	j = jsonw_new(pretty);
	jsonw_object_begin(j, NULL);
	jsonw_int(j, "version", REPORT_JSON_VERSION);
	jsonw_string(j, "tool", tool_version);
	jsonw_string(j, "domain", check_domain(c));
	if (domain_unicode != NULL)
		jsonw_string(j, "domain_unicode", domain_unicode);
	/* The check's own time: saving the same check twice gives one document. */
	report_json_time(j, "checked_at", check_time(c));
	jsonw_uint(j, "elapsed_ms", check_elapsed_ms(c));
	jsonw_string(j, "failure", check_failure(c));
	jsonw_int(j, "exit_status", check_exit_status(c));
	jsonw_array_begin(j, "layers");
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		if (!check_layer_shown(c, l))
			continue;
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "id", check_layer_name(l));
		jsonw_string(j, "status",
		    check_status_name(check_layer_status(c, l)));
		jsonw_uint(j, "elapsed_ms", check_layer_elapsed_ms(c, l));
		jsonw_string(j, "skip_reason", check_layer_skip_reason(c, l));
		report_json_findings(j, "findings", check_layer_findings(c, l),
		    check_layer_name(l));
		report_json_summary(j, c, l);
		report_json_layer_data(j, c, l);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	jsonw_array_begin(j, "findings");
	for (l = 0; l < CHECK_LAYER__COUNT; l++)
		report_json_finding_items(j, check_layer_findings(c, l),
		    check_layer_name(l));
	jsonw_array_end(j);
	report_json_verdict(j, check_verdict(c));
	jsonw_object_end(j);
	s = jsonw_finish(j, len);
	jsonw_free(j);
	return s;
}

char *
report_json(const struct check *c, const char *domain_unicode,
    const char *tool_version, size_t *len)
{
	return report_json_doc(c, domain_unicode, tool_version, 1, len);
}

char *
report_json_compact(const struct check *c, const char *domain_unicode,
    const char *tool_version, size_t *len)
{
	return report_json_doc(c, domain_unicode, tool_version, 0, len);
}
