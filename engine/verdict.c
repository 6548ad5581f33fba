#include "config.h"
#include "verdict.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "finding.h"
#include "mx_match.h"
#include "strbuf.h"
#include "xmalloc.h"

/* RFC 8461 section 3.2: max_age should be weeks or more once enforced. */
#define VERDICT_MAX_AGE_HEALTHY 604800

static const char *verdict_outcome_names[] = { "verified", "reported",
	"opportunistic", "refused", "unreachable", "unknown" };
static const char *verdict_state_names[] = { "all", "some", "none", "no_mail",
	"unknown" };
static const char *verdict_sender_names[] = { "strict", "lenient", "holder" };
static const char *verdict_step_names[] = { "deploy", "repair", "to_enforce",
	"fix_now", "raise_max_age", "keep", "removal", "moot" };
static const char *verdict_evidence_names[] = { "no_tlsrpt", "not_given",
	"not_clean", "clean" };

#define VERDICT_NAME(tab, i) \
	((unsigned)(i) < sizeof(tab) / sizeof(tab[0]) ? tab[i] : "?")

const char *
verdict_outcome_name(enum verdict_outcome o)
{
	return VERDICT_NAME(verdict_outcome_names, o);
}

const char *
verdict_state_name(enum verdict_state s)
{
	return VERDICT_NAME(verdict_state_names, s);
}

const char *
verdict_sender_name(enum verdict_sender s)
{
	return VERDICT_NAME(verdict_sender_names, s);
}

const char *
verdict_step_name(enum verdict_step s)
{
	return VERDICT_NAME(verdict_step_names, s);
}

const char *
verdict_evidence_name(enum verdict_evidence e)
{
	return VERDICT_NAME(verdict_evidence_names, e);
}

int
verdict_outcome_delivers(enum verdict_outcome o)
{
	return o == VERDICT_VERIFIED || o == VERDICT_REPORTED ||
	    o == VERDICT_OPPORTUNISTIC;
}

/* ---- delivery: one kind of sender, every MX host and address ---- */

/* What a sender with this policy (NULL: none) does at one address. */
static void
verdict_addr_judge(const struct verdict_policy *p,
    const struct verdict_addr_in *in, struct verdict_addr *out)
{
	enum policy_mode mode = p != NULL ? p->mode : POLICY_MODE_NONE;

	out->address = xstrdup(in->address);
	switch (in->tls) {
	case VERDICT_TLS_OK:
	case VERDICT_TLS_BAD:
		if (mode == POLICY_MODE_ENFORCE && in->tls == VERDICT_TLS_OK)
			out->outcome = VERDICT_VERIFIED;
		else if (mode == POLICY_MODE_ENFORCE)
			out->outcome = VERDICT_REFUSED;
		else if (mode == POLICY_MODE_TESTING)
			out->outcome = VERDICT_REPORTED;
		else
			out->outcome = VERDICT_OPPORTUNISTIC;
		break;
	case VERDICT_TLS_UNREACHABLE:
		out->outcome = VERDICT_UNREACHABLE;
		break;
	default:
		out->outcome = VERDICT_UNKNOWN;
		break;
	}
	if (in->tls == VERDICT_TLS_BAD || in->tls == VERDICT_TLS_UNREACHABLE) {
		out->has_code = 1;
		out->code = in->code;
		out->why = xstrdup(
		    in->why != NULL ? in->why : finding_code_text(in->code));
	}
	/* RFC 8461 section 2: a passing MTA-STS check never overrides a
	 * failing DANE one, so a DANE-aware sender refuses here. */
	if (in->dane_refuses && verdict_outcome_delivers(out->outcome)) {
		out->outcome = VERDICT_REFUSED;
		out->has_code = 1;
		out->code = in->dane_code;
		free(out->why);
		out->why = xstrdup(in->dane_why != NULL
			? in->dane_why
			: "DANE senders do not deliver here");
	}
}

/* The host takes mail if any address does; else its worst failure. */
static void
verdict_host_sum(struct verdict_host *h)
{
	const struct verdict_addr *a, *bad = NULL;
	enum verdict_outcome	   best = VERDICT_UNKNOWN;
	size_t			   i, nrefused = 0;

	for (i = 0; i < h->naddrs; i++) {
		a = &h->addrs[i];
		if (verdict_outcome_delivers(a->outcome) &&
		    (!verdict_outcome_delivers(best) || a->outcome < best))
			best = a->outcome;
		if (a->outcome == VERDICT_REFUSED) {
			nrefused++;
			if (bad == NULL || bad->outcome != VERDICT_REFUSED)
				bad = a;
		} else if (a->outcome == VERDICT_UNREACHABLE && bad == NULL)
			bad = a;
	}
	if (verdict_outcome_delivers(best)) {
		h->outcome = best;
		if (nrefused > 0)
			h->why = xasprintf("delivers through its other "
					   "addresses; %zu address%s refused",
			    nrefused, nrefused == 1 ? "" : "es");
		return;
	}
	if (bad != NULL) {
		h->outcome = bad->outcome;
		h->has_code = 1;
		h->code = bad->code;
		h->why = xasprintf("%s: %s", bad->address, bad->why);
	} else {
		h->outcome = VERDICT_UNKNOWN;
		h->why = xstrdup("not examined");
	}
}

static void
verdict_host_judge(const struct verdict_policy *p,
    const struct verdict_host_in *in, long pattern, struct verdict_host *h)
{
	size_t i;

	h->name = xstrdup(in->name);
	h->pref = in->pref;
	h->naddrs = in->naddrs;
	h->addrs = xcalloc(in->naddrs + 1, sizeof(*h->addrs));
	for (i = 0; i < in->naddrs; i++)
		verdict_addr_judge(p, &in->addrs[i], &h->addrs[i]);
	if (in->ip_literal) {
		h->outcome = VERDICT_UNREACHABLE;
		h->has_code = 1;
		h->code = FINDING_MX_IP_LITERAL;
		h->why = xstrdup("an address in an MX record is not a host "
				 "name: senders reject it (RFC 5321 section "
				 "5.1), with or without MTA-STS");
		return;
	}
	if (p != NULL && p->mode == POLICY_MODE_ENFORCE && pattern < 0) {
		for (i = 0; i < h->naddrs; i++) {
			h->addrs[i].outcome = VERDICT_REFUSED;
			h->addrs[i].has_code = 1;
			h->addrs[i].code = FINDING_MX_UNCOVERED;
			free(h->addrs[i].why);
			h->addrs[i].why =
			    xstrdup("no mx pattern covers the host");
		}
		h->outcome = VERDICT_REFUSED;
		h->has_code = 1;
		h->code = FINDING_MX_UNCOVERED;
		h->why = xasprintf("no mx pattern of the enforce policy covers "
				   "%s: senders skip it",
		    in->name);
		return;
	}
	if (in->naddrs == 0) {
		h->outcome = VERDICT_UNREACHABLE;
		h->has_code = 1;
		h->code = FINDING_MX_UNRESOLVABLE;
		h->why = xstrdup("the host has no address: no sender can "
				 "reach it, with or without MTA-STS");
		return;
	}
	verdict_host_sum(h);
	/* Testing senders deliver anyway and report the mismatch. */
	if (p != NULL && p->mode == POLICY_MODE_TESTING && pattern < 0 &&
	    verdict_outcome_delivers(h->outcome)) {
		h->has_code = 1;
		h->code = FINDING_MX_UNCOVERED;
		free(h->why);
		h->why = xstrdup("no mx pattern covers the host: delivered, "
				 "the failure is reported");
	}
}

static const char *
verdict_policy_words(const struct verdict_policy *p)
{
	if (p == NULL)
		return "no policy";
	return policy_mode_name(p->mode);
}

static char *
verdict_host_list(const struct verdict_view *v, int delivering)
{
	struct strbuf sb;
	size_t	      i;

	strbuf_init(&sb, 4096);
	for (i = 0; i < v->nhosts; i++) {
		if (verdict_outcome_delivers(v->hosts[i].outcome) != delivering)
			continue;
		strbuf_addf(&sb, "%s%s", sb.len > 0 ? ", " : "",
		    v->hosts[i].name);
		if (!delivering)
			strbuf_addf(&sb, " (%s%s%s)",
			    verdict_outcome_name(v->hosts[i].outcome),
			    v->hosts[i].has_code ? ": " : "",
			    v->hosts[i].has_code
				? finding_code_name(v->hosts[i].code)
				: "");
	}
	return strbuf_detach(&sb, NULL);
}

static void
verdict_view_summary(struct verdict_view *v, const struct verdict_input *in,
    const struct verdict_policy *p)
{
	char  *ok, *bad;
	size_t i, nver = 0, nrep = 0;

	for (i = 0; i < v->nhosts; i++) {
		nver += v->hosts[i].outcome == VERDICT_VERIFIED;
		nrep += v->hosts[i].outcome == VERDICT_REPORTED;
	}
	switch (v->state) {
	case VERDICT_NO_MAIL:
		v->summary = xstrdup("the domain takes no mail (null MX)");
		return;
	case VERDICT_STATE_UNKNOWN:
		v->summary = xstrdup("not known: the MX hosts could not be "
				     "examined from here");
		return;
	case VERDICT_ALL:
		if (v->nunknown > 0)
			v->summary = xasprintf("all mail delivered at the MX "
					       "hosts examined (%zu not "
					       "examined)",
			    v->nunknown);
		else if (nver == v->nhosts)
			v->summary =
			    xstrdup("all mail delivered over verified TLS");
		else if (nrep == v->nhosts)
			v->summary = xstrdup("all mail delivered; failures are "
					     "only reported (testing)");
		else if (nver + nrep == 0)
			v->summary = xasprintf("all mail delivered, without "
					       "MTA-STS protection (%s)",
			    verdict_policy_words(p));
		else
			v->summary = xstrdup("all mail delivered");
		return;
	default:
		break;
	}
	if (in->mx_state == VERDICT_MX_NXDOMAIN) {
		v->summary = xstrdup("no mail delivered: the domain does not "
				     "exist (NXDOMAIN), not an MTA-STS matter");
		return;
	}
	if (in->mx_state == VERDICT_MX_DNS_ERROR) {
		v->summary = xstrdup("no mail delivered now: the MX lookup "
				     "fails; senders queue and retry (not an "
				     "MTA-STS matter)");
		return;
	}
	if (v->nhosts == 0) {
		v->summary = xstrdup("no mail delivered: no MX host");
		return;
	}
	bad = verdict_host_list(v, 0);
	if (v->state == VERDICT_SOME) {
		ok = verdict_host_list(v, 1);
		v->summary = xasprintf("mail delivered only through %s; not "
				       "through %s",
		    ok, bad);
		free(ok);
	} else
		v->summary = xasprintf("no mail delivered%s: %s",
		    v->cause_mta_sts ? " (senders refuse every MX host)"
				     : " (not an MTA-STS matter)",
		    bad);
	free(bad);
}

static struct verdict_view *
verdict_view_judge(const struct verdict_input *in, enum verdict_sender sender,
    const struct verdict_policy *p, struct verdict_view *v)
{
	const char **names;
	long	    *first;
	size_t	     i, j, ndel = 0, nunknown = 0;

	memset(v, 0, sizeof(*v));
	v->sender = sender;
	v->has_policy = p != NULL;
	v->mode = p != NULL ? p->mode : POLICY_MODE_MISSING;
	if (in->mx_state == VERDICT_MX_NULL) {
		v->state = VERDICT_NO_MAIL;
		verdict_view_summary(v, in, p);
		return v;
	}
	names = xcalloc(in->nhosts + 1, sizeof(*names));
	first = xcalloc(in->nhosts + 1, sizeof(*first));
	for (i = 0; i < in->nhosts; i++)
		names[i] = in->hosts[i].name;
	if (p != NULL)
		mx_match_coverage(names, in->nhosts, p->patterns, p->npatterns,
		    first, NULL);
	v->nhosts = in->nhosts;
	v->hosts = xcalloc(in->nhosts + 1, sizeof(*v->hosts));
	for (i = 0; i < in->nhosts; i++) {
		verdict_host_judge(p, &in->hosts[i], p != NULL ? first[i] : 0,
		    &v->hosts[i]);
		if (verdict_outcome_delivers(v->hosts[i].outcome))
			ndel++;
		if (v->hosts[i].outcome == VERDICT_UNKNOWN)
			nunknown++;
		if (v->hosts[i].outcome == VERDICT_REFUSED)
			v->cause_mta_sts = 1;
		for (j = 0; j < v->hosts[i].naddrs; j++)
			if (v->hosts[i].addrs[j].outcome == VERDICT_REFUSED)
				v->refused = 1;
		if (v->hosts[i].outcome == VERDICT_REFUSED)
			v->refused = 1;
	}
	free(first);
	free(names);
	if (in->mx_state != VERDICT_MX_OK || in->nhosts == 0)
		v->state = VERDICT_NONE;
	else if (nunknown == in->nhosts)
		v->state = VERDICT_STATE_UNKNOWN;
	else if (ndel == in->nhosts - nunknown)
		v->state = VERDICT_ALL; /* of those examined; said below */
	else if (ndel > 0)
		v->state = VERDICT_SOME;
	else if (nunknown > 0 && !v->cause_mta_sts)
		v->state = VERDICT_STATE_UNKNOWN;
	else
		v->state = VERDICT_NONE;
	v->nunknown = nunknown;
	verdict_view_summary(v, in, p);
	return v;
}

static void
verdict_view_clear(struct verdict_view *v)
{
	size_t i, j;

	for (i = 0; i < v->nhosts; i++) {
		for (j = 0; j < v->hosts[i].naddrs; j++) {
			free(v->hosts[i].addrs[j].address);
			free(v->hosts[i].addrs[j].why);
		}
		free(v->hosts[i].addrs);
		free(v->hosts[i].name);
		free(v->hosts[i].why);
	}
	free(v->hosts);
	free(v->summary);
}

/* Worse is larger: what the exit status and the advice follow. */
static int
verdict_state_rank(enum verdict_state s)
{
	static const int rank[] = { 0, 2, 3, 0, 1 };

	return rank[s];
}

static struct verdict_view *
verdict_view_add(struct verdict *v)
{
	v->views = xreallocarray(v->views, v->nviews + 1, sizeof(*v->views));
	return &v->views[v->nviews++];
}

static void
verdict_delivery(struct verdict *v, const struct verdict_input *in,
    const struct verdict_policy *strict)
{
	const struct verdict_policy *served, *lenient = NULL;
	struct strbuf		     sb;
	size_t			     i;

	verdict_view_judge(in, VERDICT_SENDER_STRICT, strict,
	    verdict_view_add(v));
	served = in->strict != NULL ? in->strict : in->lenient;
	/* Lenient senders take the first of several records, or a policy
	 * the strict ones refuse; they are a view only where they differ. */
	if ((in->txt_valid || in->txt_lenient) && in->fetched)
		lenient = served;
	else if ((in->txt_valid || in->txt_lenient) && in->lenient != NULL)
		lenient = in->lenient;
	if (lenient != NULL && lenient != strict)
		verdict_view_judge(in, VERDICT_SENDER_LENIENT, lenient,
		    verdict_view_add(v));
	/* Senders that fetched the served policy before the TXT broke keep
	 * applying it until its max_age runs out (SEC-7). */
	if (!in->txt_valid && !in->txt_lenient && served != NULL &&
	    served->mode != POLICY_MODE_NONE)
		verdict_view_judge(in, VERDICT_SENDER_HOLDER, served,
		    verdict_view_add(v));

	v->state = v->views[0].state;
	v->cause_mta_sts = v->views[0].cause_mta_sts;
	for (i = 1; i < v->nviews; i++)
		if (verdict_state_rank(v->views[i].state) >
		    verdict_state_rank(v->state)) {
			v->state = v->views[i].state;
			v->cause_mta_sts = v->views[i].cause_mta_sts;
		}
	strbuf_init(&sb, 16384);
	strbuf_addstr(&sb, v->views[0].summary);
	for (i = 1; i < v->nviews; i++)
		if (strcmp(v->views[i].summary, v->views[0].summary) != 0)
			strbuf_addf(&sb, "; %s senders: %s",
			    v->views[i].sender == VERDICT_SENDER_LENIENT
				? "lenient"
				: "policy-holding",
			    v->views[i].summary);
	v->delivery = strbuf_detach(&sb, NULL);
}

/* ---- promotion ---- */

static struct verdict_item *
verdict_item_add(struct verdict_item **items, size_t *n, enum finding_code code,
    const char *subject, const char *why)
{
	struct verdict_item *it;
	size_t		     i;

	for (i = 0; i < *n; i++)
		if ((*items)[i].code == code &&
		    ((*items)[i].subject == NULL) == (subject == NULL) &&
		    (subject == NULL ||
			strcmp((*items)[i].subject, subject) == 0))
			return &(*items)[i];
	*items = xreallocarray(*items, *n + 1, sizeof(**items));
	it = &(*items)[(*n)++];
	memset(it, 0, sizeof(*it));
	it->code = code;
	it->subject = subject != NULL ? xstrdup(subject) : NULL;
	it->why = xstrdup(why != NULL ? why : finding_code_text(code));
	return it;
}

/* An item for a finding, with its fix; a repeat keeps the first. */
static void
verdict_item_add_finding(struct verdict_item **items, size_t *n,
    const struct finding *f)
{
	struct verdict_item *it;

	it = verdict_item_add(items, n, f->code, f->subject, f->message);
	if (it->fix == NULL)
		it->fix = xstrdup(finding_fix(f));
}

/* What this view refuses, as blockers. */
static void
verdict_refusals(struct verdict *v, const struct verdict_view *view)
{
	const struct verdict_host *h;
	char			  *subj;
	size_t			   i, j;

	for (i = 0; i < view->nhosts; i++) {
		h = &view->hosts[i];
		if (h->outcome == VERDICT_REFUSED && h->has_code &&
		    h->code == FINDING_MX_UNCOVERED) {
			verdict_item_add(&v->blockers, &v->nblockers, h->code,
			    h->name, h->why);
			continue;
		}
		for (j = 0; j < h->naddrs; j++) {
			if (h->addrs[j].outcome != VERDICT_REFUSED)
				continue;
			subj = xasprintf("%s %s", h->name, h->addrs[j].address);
			verdict_item_add(&v->blockers, &v->nblockers,
			    h->addrs[j].code, subj, h->addrs[j].why);
			free(subj);
		}
	}
}

/*
 * A blocker's fix is the finding's own (with the domain's real names):
 * the finding with the same code about the same host or address.
 */
static void
verdict_blocker_fixes(struct verdict *v, const struct verdict_input *in)
{
	const struct finding *f;
	struct verdict_item  *b;
	size_t		      i, j, k;

	for (k = 0; k < v->nblockers; k++) {
		b = &v->blockers[k];
		for (i = 0; b->fix == NULL && i < in->nlayers; i++)
			for (j = 0; j < finding_list_count(in->layers[i]);
			     j++) {
				f = finding_list_get(in->layers[i], j);
				if (f->code != b->code || f->subject == NULL ||
				    b->subject == NULL ||
				    strcmp(f->subject, b->subject) != 0)
					continue;
				b->fix = xstrdup(finding_fix(f));
				break;
			}
	}
}

static int
verdict_layer_is(const struct finding *f, const char *layer)
{
	return strcmp(finding_code_layer(f->code), layer) == 0;
}

/*
 * Why an announced or served policy is not used: what the discovery
 * layers found (errors first, then warnings such as an oversized body),
 * and the verdict's own words only when they found nothing.
 */
/* Diagnoses that explain the other causes come first in the advice. */
static const enum finding_code verdict_diagnoses[] = {
	FINDING_FETCH_DELEGATION_DANGLING,
	FINDING_FETCH_DELEGATION_BROKEN,
};

static void
verdict_causes_order(struct verdict *v)
{
	struct verdict_item t;
	size_t		    i, k, front = 0;

	for (k = 0; k < sizeof(verdict_diagnoses) / sizeof(*verdict_diagnoses);
	     k++)
		for (i = front; i < v->ncauses; i++)
			if (v->causes[i].code == verdict_diagnoses[k]) {
				t = v->causes[i];
				memmove(&v->causes[front + 1],
				    &v->causes[front], (i - front) * sizeof(t));
				v->causes[front++] = t;
			}
}

static void
verdict_causes(struct verdict *v, const struct verdict_input *in,
    const struct finding_list *own)
{
	static const char *layers[] = { "dns", "fetch", "policy", "verdict" };
	const struct finding_list *fl;
	const struct finding	  *f;
	size_t			   i, j, k;
	int			   sev;

	for (k = 0; k < sizeof(layers) / sizeof(layers[0]); k++)
		for (sev = FINDING_ERROR; sev >= FINDING_WARNING; sev--) {
			if (v->ncauses > 0 &&
			    (k == 3 || sev == FINDING_WARNING))
				return;
			for (i = 0; i <= in->nlayers; i++) {
				fl = i < in->nlayers ? in->layers[i] : own;
				for (j = 0; j < finding_list_count(fl); j++) {
					f = finding_list_get(fl, j);
					if ((int)f->severity != sev ||
					    finding_code_answer(f->code) !=
						FINDING_ANSWER_DELIVERY ||
					    !verdict_layer_is(f, layers[k]))
						continue;
					verdict_item_add_finding(&v->causes,
					    &v->ncauses, f);
				}
			}
		}
}

static char *
verdict_fresh_id(long long now)
{
	time_t	  t = (time_t)now;
	struct tm tm;
	char	  buf[32];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y%m%dT%H%M%S", &tm) == 0)
		return xstrdup("YYYYMMDDTHHMMSS");
	return xstrdup(buf);
}

static char *
verdict_mx_lines(const struct verdict_input *in)
{
	struct strbuf sb;
	size_t	      i;

	strbuf_init(&sb, 8192);
	for (i = 0; i < in->nhosts; i++)
		if (!in->hosts[i].ip_literal)
			strbuf_addf(&sb, "%smx: %s", sb.len > 0 ? ", " : "",
			    in->hosts[i].name);
	if (sb.len == 0)
		strbuf_addstr(&sb, "mx: (your MX hosts)");
	return strbuf_detach(&sb, NULL);
}

/* What follows a quoted fix so the next sentence starts cleanly. */
static const char *
verdict_sentence_end(const char *fix)
{
	size_t n;

	if (fix == NULL || (n = strlen(fix)) == 0)
		return "";
	return fix[n - 1] == '.' ? "  " : ".  ";
}

static void
verdict_next_to_enforce(struct verdict *v, const struct verdict_input *in,
    const char *id)
{
	v->has_evidence = 1;
	v->evidence =
	    in->tlsrpt_usable ? in->evidence : VERDICT_EVIDENCE_NO_TLSRPT;
	if (v->nblockers > 0)
		v->next = xasprintf("Keep testing: under enforce senders "
				    "would refuse mail (%zu blocker%s); fix "
				    "%s%s%s first%s%s",
		    v->nblockers, v->nblockers == 1 ? "" : "s",
		    finding_code_name(v->blockers[0].code),
		    v->blockers[0].subject != NULL ? " on " : "",
		    v->blockers[0].subject != NULL ? v->blockers[0].subject
						   : "",
		    v->blockers[0].fix != NULL ? ": " : ".",
		    v->blockers[0].fix != NULL ? v->blockers[0].fix : "");
	else if (v->evidence == VERDICT_EVIDENCE_NO_TLSRPT)
		v->next = xasprintf("Publish a TLS-RPT record first "
				    "(_smtp._tls.%s TXT \"v=TLSRPTv1; "
				    "rua=mailto:tlsrpt@%s\") and watch the "
				    "reports for 14 clean days: without them "
				    "testing shows nothing, and enforce "
				    "would be a guess.",
		    in->domain, in->domain);
	else if (v->evidence == VERDICT_EVIDENCE_NOT_GIVEN)
		v->next = xstrdup("No blocker in this check.  Read the "
				  "TLS-RPT reports (check --reports DIR): "
				  "switch to enforce once they show 14 "
				  "consecutive clean days.");
	else if (v->evidence == VERDICT_EVIDENCE_NOT_CLEAN)
		v->next = xasprintf("Keep testing: the TLS-RPT reports are "
				    "not clean yet (%s).",
		    in->evidence_why != NULL ? in->evidence_why : "failures");
	else
		v->next = xasprintf("Ready: publish the policy with \"mode: "
				    "enforce\", then the TXT record "
				    "\"v=STSv1; id=%s\".",
		    id);
}

/*
 * A host no sender can reach is not an MTA-STS matter, but it comes
 * before any MTA-STS step: say so at the head of the advice.
 */
static void
verdict_outside(struct verdict *v)
{
	const struct verdict_host *h;
	char			  *next;
	size_t			   i;

	for (i = 0; i < v->views[0].nhosts; i++) {
		h = &v->views[0].hosts[i];
		if (h->outcome != VERDICT_UNREACHABLE)
			continue;
		next = xasprintf("First, outside MTA-STS: %s cannot take mail "
				 "(%s).  %s",
		    h->name, h->why != NULL ? h->why : "unreachable", v->next);
		free(v->next);
		v->next = next;
		return;
	}
}

/*
 * Where only some kinds of sender refuse mail (a lenient reading, a held
 * policy), the step's own advice does not mention it: say it first.
 */
static void
verdict_refusing_views(struct verdict *v)
{
	char  *next;
	size_t i;

	if (v->nblockers == 0 || v->step == VERDICT_STEP_FIX_NOW ||
	    v->step == VERDICT_STEP_TO_ENFORCE)
		return;
	for (i = 1; i < v->nviews; i++) {
		if (!v->views[i].refused)
			continue;
		next =
		    xasprintf("First: %s senders refuse mail at %s (%s); fix "
			      "that before anything else.  %s",
			v->views[i].sender == VERDICT_SENDER_LENIENT
			    ? "lenient"
			    : "policy-holding",
			v->blockers[0].subject != NULL ? v->blockers[0].subject
						       : "an MX host",
			finding_code_name(v->blockers[0].code), v->next);
		free(v->next);
		v->next = next;
		return;
	}
}

static void
verdict_promotion(struct verdict *v, const struct verdict_input *in,
    const struct verdict_policy *strict, const struct finding_list *own)
{
	const struct verdict_policy *served =
	    in->strict != NULL ? in->strict : in->lenient;
	struct verdict_policy target;
	struct verdict_view   tv;
	char		     *id = verdict_fresh_id(in->now), *mx;
	size_t		      i;

	/* Refusals by the kinds of sender other than the strict one are
	 * blockers whatever the step: nobody must lose mail there. */
	for (i = 0; i < v->nviews; i++)
		verdict_refusals(v, &v->views[i]);
	verdict_blocker_fixes(v, in);
	if (in->mx_state == VERDICT_MX_NULL ||
	    in->mx_state == VERDICT_MX_NXDOMAIN) {
		v->step = VERDICT_STEP_MOOT;
		if (in->mx_state == VERDICT_MX_NXDOMAIN)
			v->next = xstrdup("Nothing to do for MTA-STS: the "
					  "domain does not exist.");
		else if (in->txt_present || served != NULL) {
			v->retire = 1;
			v->next = xasprintf("The domain takes no mail (null "
					    "MX), so MTA-STS has no use here.  "
					    "Retire it (RFC 8461 section "
					    "8.3): publish \"mode: none\" with "
					    "a short max_age and TXT "
					    "\"v=STSv1; id=%s\", wait out the "
					    "old max_age, then remove "
					    "_mta-sts.%s, mta-sts.%s and "
					    "_smtp._tls.%s.",
			    id, in->domain, in->domain, in->domain);
		} else
			v->next = xstrdup("Nothing to do: the domain takes "
					  "no mail (null MX), and MTA-STS does "
					  "not apply.");
	} else if (strict != NULL && strict->mode == POLICY_MODE_TESTING) {
		v->step = VERDICT_STEP_TO_ENFORCE;
		target = *strict;
		target.mode = POLICY_MODE_ENFORCE;
		verdict_view_judge(in, VERDICT_SENDER_STRICT, &target, &tv);
		verdict_refusals(v, &tv);
		verdict_view_clear(&tv);
		verdict_blocker_fixes(v, in);
		if (in->evidence == VERDICT_EVIDENCE_NOT_CLEAN &&
		    in->tlsrpt_usable)
			verdict_item_add(&v->blockers, &v->nblockers,
			    FINDING_VERDICT_REPORTS_NOT_CLEAN, NULL,
			    in->evidence_why);
		verdict_next_to_enforce(v, in, id);
	} else if (strict != NULL && strict->mode == POLICY_MODE_ENFORCE) {
		if (v->nblockers > 0) {
			v->step = VERDICT_STEP_FIX_NOW;
			v->next = xasprintf("Fix now: senders refuse mail at "
					    "%s%s (%s).  %s%sOr, until it is "
					    "fixed, publish the policy with "
					    "\"mode: testing\" and TXT "
					    "\"v=STSv1; id=%s\".",
			    v->blockers[0].subject != NULL
				? v->blockers[0].subject
				: in->domain,
			    v->nblockers > 1 ? " and elsewhere" : "",
			    finding_code_name(v->blockers[0].code),
			    v->blockers[0].fix != NULL ? v->blockers[0].fix
						       : "",
			    verdict_sentence_end(v->blockers[0].fix), id);
		} else if (strict->max_age >= 0 &&
		    strict->max_age < VERDICT_MAX_AGE_HEALTHY) {
			v->step = VERDICT_STEP_RAISE_MAX_AGE;
			v->next = xasprintf(
			    "The enforce policy refuses nothing: raise "
			    "max_age from "
			    "%lld to %d or more (weeks, RFC "
			    "8461 section 3.2) and publish a "
			    "new id (\"v=STSv1; id=%s\").",
			    (long long)strict->max_age, VERDICT_MAX_AGE_HEALTHY,
			    id);
		} else {
			v->step = VERDICT_STEP_KEEP;
			v->next =
			    xstrdup("The enforce policy refuses nothing: keep "
				    "watching the "
				    "TLS-RPT reports; change the MX set "
				    "only with a change plan (policy "
				    "first, then the MX records).");
		}
	} else if (strict != NULL) {
		v->step = VERDICT_STEP_REMOVAL;
		v->next = xasprintf("mode none: senders apply no MTA-STS.  If "
				    "this is a removal (RFC 8461 section "
				    "8.3), wait until the max_age of every "
				    "earlier policy has passed, then remove "
				    "_mta-sts.%s, the policy host and the "
				    "file; to deploy instead, switch to "
				    "\"mode: testing\" with a new id "
				    "(\"v=STSv1; id=%s\").",
		    in->domain, id);
	} else if (in->txt_present || served != NULL ||
	    in->txt_code == FINDING_STS_TXT_DNS_ERROR) {
		v->step = VERDICT_STEP_REPAIR;
		verdict_causes(v, in, own);
		verdict_causes_order(v);
		if (!in->txt_present && served != NULL &&
		    served->mode == POLICY_MODE_ENFORCE &&
		    in->txt_code != FINDING_STS_TXT_DNS_ERROR)
			/* Announcing it now would enforce with no testing
			 * period and no report evidence. */
			v->next =
			    xasprintf("An enforce policy is served but not "
				      "announced.  Do not just publish the "
				      "TXT: that enforces at once, with no "
				      "testing period.  Serve \"mode: "
				      "testing\" first, publish "
				      "_mta-sts.%s TXT \"v=STSv1; id=%s\" "
				      "and a TLS-RPT record, and move to "
				      "enforce after 14 clean days of "
				      "reports.",
				in->domain, id);
		else if (v->ncauses > 0)
			v->next = xasprintf(
			    "Repair the deployment (%s): %s.  %s",
			    finding_code_name(v->causes[0].code),
			    v->causes[0].why,
			    v->causes[0].fix != NULL ? v->causes[0].fix : "");
		else
			v->next = xstrdup("Repair the deployment: senders "
					  "find no usable policy.");
	} else {
		v->step = VERDICT_STEP_DEPLOY;
		mx = verdict_mx_lines(in);
		v->next =
		    xasprintf("Deploy in testing: serve "
			      "https://mta-sts.%s/.well-known/mta-sts.txt "
			      "with \"version: STSv1\", \"mode: testing\", "
			      "%s, \"max_age: 86400\"; then publish "
			      "_mta-sts.%s TXT \"v=STSv1; id=%s\" and "
			      "_smtp._tls.%s TXT \"v=TLSRPTv1; "
			      "rua=mailto:tlsrpt@%s\".",
			in->domain, mx, in->domain, id, in->domain, in->domain);
		free(mx);
	}
	free(id);
	verdict_refusing_views(v);
	verdict_outside(v);

	/* Enforce is (or would be) safe: nothing a sender would refuse
	 * under enforce with the served patterns, and no bad reports. */
	if (v->step == VERDICT_STEP_TO_ENFORCE)
		v->enforce_ready = v->nblockers == 0;
	else if (v->step == VERDICT_STEP_RAISE_MAX_AGE ||
	    v->step == VERDICT_STEP_KEEP)
		v->enforce_ready = in->evidence != VERDICT_EVIDENCE_NOT_CLEAN;
	else
		v->enforce_ready = 0;
}

/* ---- hygiene ---- */

/*
 * The finding is already part of another answer: its code stands in a
 * delivery view, a blocker or a cause, or it is about a host or address
 * that does not take mail in some view.
 */
static int
verdict_code_shown(const struct verdict *v, enum finding_code code,
    const char *subject)
{
	const struct verdict_host *h;
	size_t			   i, j, k, n;

	for (i = 0; i < v->nblockers; i++)
		if (v->blockers[i].code == code)
			return 1;
	for (i = 0; i < v->ncauses; i++)
		if (v->causes[i].code == code)
			return 1;
	for (i = 0; i < v->nviews; i++)
		for (j = 0; j < v->views[i].nhosts; j++) {
			h = &v->views[i].hosts[j];
			if (h->has_code && h->code == code)
				return 1;
			n = strlen(h->name);
			if (subject != NULL &&
			    !verdict_outcome_delivers(h->outcome) &&
			    strncmp(subject, h->name, n) == 0 &&
			    (subject[n] == '\0' || subject[n] == ' '))
				return 1;
			for (k = 0; k < h->naddrs; k++) {
				if (h->addrs[k].has_code &&
				    h->addrs[k].code == code)
					return 1;
				if (subject != NULL &&
				    h->addrs[k].outcome == VERDICT_REFUSED &&
				    strncmp(subject, h->name, n) == 0 &&
				    subject[n] == ' ' &&
				    strcmp(subject + n + 1,
					h->addrs[k].address) == 0)
					return 1;
			}
		}
	return 0;
}

/*
 * What is wrong but changes no delivery: hygiene findings, and delivery
 * findings whose effect no answer shows (a line some senders reject
 * while the rest of the policy still works, say).
 */
static void
verdict_hygiene(struct verdict *v, const struct verdict_input *in,
    const struct finding_list *own)
{
	const struct finding *f;
	enum finding_answer   a;
	size_t		      i, j;

	for (i = 0; i <= in->nlayers; i++) {
		const struct finding_list *fl =
		    i < in->nlayers ? in->layers[i] : own;

		for (j = 0; j < finding_list_count(fl); j++) {
			f = finding_list_get(fl, j);
			a = finding_code_answer(f->code);
			if (f->severity < FINDING_WARNING ||
			    (a != FINDING_ANSWER_HYGIENE &&
				a != FINDING_ANSWER_DELIVERY))
				continue;
			if (verdict_code_shown(v, f->code, f->subject) &&
			    (a == FINDING_ANSWER_DELIVERY ||
				verdict_layer_is(f, "dane")))
				continue;
			if (a == FINDING_ANSWER_DELIVERY &&
			    (v->step == VERDICT_STEP_REPAIR ||
				v->step == VERDICT_STEP_REPAIR ||
				v->step == VERDICT_STEP_MOOT))
				continue;
			/* Reports and DANE for a domain that takes no
			 * mail would be advice to build what has no use. */
			if (in->mx_state == VERDICT_MX_NULL &&
			    (verdict_layer_is(f, "tlsrpt") ||
				verdict_layer_is(f, "dane")))
				continue;
			verdict_item_add_finding(&v->hygiene, &v->nhygiene, f);
		}
	}
}

/* ---- the exit status, from the three answers and nothing else ---- */

static void
verdict_exit(struct verdict *v)
{
	size_t i;
	int    refused = 0;

	for (i = 0; i < v->nviews; i++)
		refused |= v->views[i].refused;
	if (refused) {
		v->exit_status = 2;
		v->exit_why = xstrdup("senders refuse mail at some MX host "
				      "or address");
	} else if (v->state == VERDICT_NONE) {
		v->exit_status = 2;
		v->exit_why = xstrdup("no mail can be delivered");
	} else if (v->state == VERDICT_SOME) {
		v->exit_status = 1;
		v->exit_why = xstrdup("some MX hosts cannot take mail");
	} else if (v->state == VERDICT_STATE_UNKNOWN && !v->unknown_by_choice) {
		v->exit_status = 1;
		v->exit_why = xstrdup("the MX hosts could not be examined");
	} else if (v->nblockers > 0) {
		v->exit_status = 1;
		v->exit_why = xstrdup("the next step is blocked");
	} else if (v->step == VERDICT_STEP_REPAIR ||
	    v->step == VERDICT_STEP_DEPLOY) {
		v->exit_status = 1;
		v->exit_why = xstrdup(v->step == VERDICT_STEP_REPAIR
			? "the MTA-STS deployment is broken"
			: "MTA-STS is not deployed");
	} else if (v->retire) {
		v->exit_status = 1;
		v->exit_why = xstrdup("MTA-STS is published for a domain that "
				      "takes no mail");
	} else if (v->nhygiene > 0) {
		v->exit_status = 1;
		v->exit_why = xasprintf("%zu hygiene item%s", v->nhygiene,
		    v->nhygiene == 1 ? "" : "s");
	} else {
		v->exit_status = 0;
		v->exit_why = xstrdup(v->state == VERDICT_STATE_UNKNOWN
			? "nothing to fix (MX hosts not examined, as asked)"
			: "nothing to fix");
	}
}

/* ---- words ---- */

static char *
verdict_reason(const struct verdict_input *in,
    const struct verdict_policy		  *strict)
{
	if (strict != NULL && strict->mode == POLICY_MODE_NONE)
		return xstrdup("Senders fetch the policy, which is mode none: "
			       "no MTA-STS protection.");
	if (strict != NULL)
		return xasprintf("Senders apply the %s policy%s.",
		    policy_mode_name(strict->mode),
		    strict->mode == POLICY_MODE_ENFORCE
			? ": mail goes only to matching MX hosts over "
			  "verified TLS"
			: ": failures are reported, mail is still delivered");
	if (!in->txt_present && in->txt_code == FINDING_STS_TXT_DNS_ERROR)
		return xstrdup("No policy: the _mta-sts lookup fails, so "
			       "first-contact senders skip MTA-STS.");
	if (!in->txt_present)
		return xstrdup("No policy: there is no v=STSv1 TXT record, so "
			       "senders do not look for one.");
	if (!in->txt_valid)
		return xstrdup(
		    "No policy: the _mta-sts TXT record is unusable, "
		    "so senders act as if there were none.");
	if (!in->fetched)
		return xstrdup("No policy: the policy cannot be fetched; "
			       "senders without a cached policy deliver "
			       "without MTA-STS.");
	return xstrdup("No policy: the policy file is invalid; senders "
		       "without a cached policy deliver without MTA-STS.");
}

static const char *
verdict_step_words(const struct verdict *v)
{
	switch (v->step) {
	case VERDICT_STEP_DEPLOY:
		return "deploy in testing";
	case VERDICT_STEP_REPAIR:
		return "repair the deployment";
	case VERDICT_STEP_TO_ENFORCE:
		return v->nblockers > 0 ? "enforce blocked"
		    : v->has_evidence && v->evidence == VERDICT_EVIDENCE_CLEAN
		    ? "ready for enforce"
		    : v->has_evidence &&
			v->evidence == VERDICT_EVIDENCE_NO_TLSRPT
		    ? "publish TLS-RPT, then gather evidence"
		    : "enforce once TLS-RPT reports are clean";
	case VERDICT_STEP_FIX_NOW:
		return "FIX NOW";
	case VERDICT_STEP_RAISE_MAX_AGE:
		return "raise max_age";
	case VERDICT_STEP_KEEP:
		return "keep watching";
	case VERDICT_STEP_REMOVAL:
		return "finish the removal, or deploy";
	default:
		return "nothing to do";
	}
}

static void
verdict_half_done(const struct verdict_input *in, struct finding_list *fl)
{
	struct finding		    *f;
	char			    *id;
	const struct verdict_policy *served =
	    in->strict != NULL ? in->strict : in->lenient;

	if (in->txt_valid && in->strict == NULL)
		finding_add(fl, FINDING_VERDICT_TXT_WITHOUT_POLICY, in->domain,
		    0,
		    "The TXT record announces a policy, but no valid policy "
		    "can be fetched: new senders get none, senders with a "
		    "cached one keep using it");
	if (!in->txt_valid && in->strict != NULL) {
		id = verdict_fresh_id(in->now);
		f = finding_add(fl, FINDING_VERDICT_POLICY_WITHOUT_TXT,
		    in->domain, 0,
		    "A valid %s policy is served, but without a valid TXT "
		    "record senders never fetch it",
		    policy_mode_name(in->strict->mode));
		/* The record itself, and the order that keeps mail safe. */
		if (in->txt_present)
			finding_set_fix(f,
			    "Leave exactly one valid record at _mta-sts.%s: "
			    "\"v=STSv1; id=%s\".",
			    in->domain, id);
		else
			finding_set_fix(f,
			    "Publish _mta-sts.%s TXT \"v=STSv1; id=%s\"%s.",
			    in->domain, id,
			    in->strict->mode == POLICY_MODE_ENFORCE
				? ", after first serving the policy in mode "
				  "testing"
				: "");
		free(id);
	}
	if (in->txt_valid && served != NULL &&
	    served->mode == POLICY_MODE_TESTING && !in->tlsrpt_usable)
		finding_add(fl, FINDING_VERDICT_TESTING_WITHOUT_TLSRPT,
		    in->domain, 0,
		    "The policy is in testing mode but there is no usable "
		    "TLS-RPT record: no one will report the failures that "
		    "testing is meant to reveal");
	if (in->tlsrpt_usable && in->evidence == VERDICT_EVIDENCE_CLEAN)
		finding_add(fl, FINDING_VERDICT_REPORTS_CLEAN, in->domain, 0,
		    "TLS-RPT reports: %s",
		    in->evidence_why != NULL ? in->evidence_why : "clean");
	else if (in->evidence == VERDICT_EVIDENCE_NOT_CLEAN)
		finding_add(fl, FINDING_VERDICT_REPORTS_NOT_CLEAN, in->domain,
		    0, "TLS-RPT reports: %s",
		    in->evidence_why != NULL ? in->evidence_why : "failures");
}

struct verdict *
verdict_judge(const struct verdict_input *in, struct finding_list *fl)
{
	const struct verdict_policy *strict = NULL;
	struct verdict		    *v;

	v = xcalloc(1, sizeof(*v));
	if (in->txt_valid && in->fetched && in->strict != NULL)
		strict = in->strict;
	v->policy_applied = strict != NULL && strict->mode != POLICY_MODE_NONE;
	v->mode =
	    strict != NULL ? xstrdup(policy_mode_name(strict->mode)) : NULL;
	v->reason = verdict_reason(in, strict);
	verdict_half_done(in, fl);
	verdict_delivery(v, in, strict);
	verdict_promotion(v, in, strict, fl);
	verdict_hygiene(v, in, fl);
	v->unknown_by_choice = in->unknown_by_choice;
	verdict_exit(v);
	v->summary = xasprintf("%s | next: %s%s%s", v->delivery,
	    verdict_step_words(v), v->nhygiene > 0 ? " | hygiene: " : "",
	    v->nhygiene > 0 ? finding_code_name(v->hygiene[0].code) : "");
	if (v->nhygiene > 1) {
		char *s = xasprintf("%s (+%zu)", v->summary, v->nhygiene - 1);

		free(v->summary);
		v->summary = s;
	}
	return v;
}

static void
verdict_items_free(struct verdict_item *it, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(it[i].subject);
		free(it[i].why);
		free(it[i].fix);
	}
	free(it);
}

void
verdict_free(struct verdict *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nviews; i++)
		verdict_view_clear(&v->views[i]);
	free(v->views);
	free(v->delivery);
	free(v->next);
	verdict_items_free(v->blockers, v->nblockers);
	verdict_items_free(v->causes, v->ncauses);
	verdict_items_free(v->hygiene, v->nhygiene);
	free(v->mode);
	free(v->reason);
	free(v->summary);
	free(v->exit_why);
	free(v);
}
