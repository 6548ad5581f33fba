#include "config.h"
#include "mx_tls.h"

#include <arpa/inet.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "certinfo.h"
#include "clock.h"
#include "domain.h"
#include "finding.h"
#include "mx_lookup.h"
#include "pool.h"
#include "share.h"
#include "smtp_probe.h"
#include "smtp_reply.h"
#include "strbuf.h"
#include "xmalloc.h"

/* The addresses to probe, shared by the probe tasks; read-only to them. */
struct mx_tls_work {
	struct mx_tls_addr	**items;
	const char		**hosts; /* host name per item */
	size_t			  nitems;
	struct smtp_probe_options popt;
	int64_t			  deadline; /* 0: none */
	struct share		 *share;    /* the run's probe cache, or NULL */
};

/* One probe task: item i / 3, handshake kind i % 3. */
struct mx_tls_task {
	const struct mx_tls_work *w;
	size_t			  i;
};

static int  mx_tls_skipped(const struct mx_tls_options *, const char *);
static void mx_tls_probe_addr(const struct mx_tls_work *, const char *,
    struct mx_tls_addr *, enum smtp_probe_kind);
static void mx_tls_keep_relevant(struct mx_tls_addr *);
static void mx_tls_task_run(void *);
static void mx_tls_judge_addr(const struct mx_tls_result *,
    const struct mx_tls_host *, const struct mx_tls_addr *,
    enum finding_severity, struct finding_list *);

/* Host names compare case-insensitively, one root dot ignored. */
static int
mx_tls_skipped(const struct mx_tls_options *o, const char *name)
{
	size_t i, a, b;

	a = strlen(name);
	if (a > 0 && name[a - 1] == '.')
		a--;
	for (i = 0; i < o->nskip; i++) {
		if (o->skip[i] == NULL)
			continue;
		b = strlen(o->skip[i]);
		if (b > 0 && o->skip[i][b - 1] == '.')
			b--;
		if (a == b && strncasecmp(name, o->skip[i], a) == 0)
			return 1;
	}
	return 0;
}

/*
 * The three handshakes of an address are work items of their own, so they
 * overlap: one after another they cost three times the round trips.
 */
static void
mx_tls_probe_addr(const struct mx_tls_work *w, const char *host,
    struct mx_tls_addr *a, enum smtp_probe_kind kind)
{
	struct smtp_probe_result *r = NULL;
	enum share_probe_got	  got = SHARE_PROBE_CLAIMED;
	unsigned		  port;

	/*
	 * With a share, whichever check asks first probes; the others wait
	 * (until the layer's deadline) and take a reference to its result.
	 */
	port = w->popt.port != 0 ? w->popt.port : SMTP_PROBE_PORT;
	if (w->share != NULL)
		r = share_probe_get(w->share, host, a->address, port, (int)kind,
		    w->deadline, &got);
	if (got == SHARE_PROBE_TIMEOUT) {
		/* As an item whose turn came after the deadline. */
		if (kind == SMTP_PROBE_FULL)
			a->cut = 1;
		return;
	}
	if (got == SHARE_PROBE_CLAIMED) {
		r = smtp_probe(host, a->address, kind, &w->popt);
		if (w->share != NULL)
			share_probe_put(w->share, host, a->address, port,
			    (int)kind, r);
	}
	if (kind == SMTP_PROBE_FULL)
		a->probe = r;
	else if (kind == SMTP_PROBE_NO_SNI)
		a->nosni = r;
	else
		a->legacy = r;
}

/*
 * The extra handshakes count only where they can tell something: no-SNI
 * once TLS works, legacy once STARTTLS was accepted.
 */
static void
mx_tls_keep_relevant(struct mx_tls_addr *a)
{
	const struct smtp_probe_result *p = a->probe;

	if (p == NULL)
		return;
	if (!p->tls) {
		smtp_probe_result_free(a->nosni);
		a->nosni = NULL;
	}
	if (!p->tls && (p->starttls == NULL || p->starttls->code != 220)) {
		smtp_probe_result_free(a->legacy);
		a->legacy = NULL;
	}
}

static void
mx_tls_task_run(void *arg)
{
	static const enum smtp_probe_kind kinds[] = { SMTP_PROBE_FULL,
		SMTP_PROBE_NO_SNI, SMTP_PROBE_LEGACY };
	const struct mx_tls_task	 *t = arg;
	const struct mx_tls_work	 *w = t->w;

	/* Past the layer's deadline nothing new starts. */
	if (w->deadline != 0 && clock_ms() >= w->deadline) {
		if (t->i % 3 == 0)
			w->items[t->i / 3]->cut = 1;
		return;
	}
	mx_tls_probe_addr(w, w->hosts[t->i / 3], w->items[t->i / 3],
	    kinds[t->i % 3]);
}

struct mx_tls_result *
mx_tls_probe(const struct mx_set *mx, const struct mx_tls_options *o,
    char **cause)
{
	static const struct mx_tls_options none;
	struct mx_tls_result		  *res;
	struct mx_tls_host		  *h;
	struct mx_tls_addr		  *a;
	struct certinfo_trust		  *trust;
	struct mx_tls_work		   w;
	struct mx_tls_task		  *tasks;
	struct pool_group		  *g;
	const struct mx_host		  *mh;
	size_t				   i, j;
	int64_t				   t0 = clock_ms();

	*cause = NULL;
	if (o == NULL)
		o = &none;
	if (o->ehlo_name != NULL && !smtp_probe_ehlo_valid(o->ehlo_name)) {
		*cause = xstrdup("invalid EHLO name (a host name or an "
				 "address literal in brackets)");
		return NULL;
	}
	/* A run loads its trust store once (share.h). */
	trust = o->share != NULL ? share_trust(o->share, o->ca_file, cause)
				 : certinfo_trust_new(o->ca_file, cause);
	if (trust == NULL)
		return NULL;

	res = xcalloc(1, sizeof(*res));
	res->now = o->now != 0 ? o->now : time(NULL);
	res->expiry_warn_days = o->expiry_warn_days > 0
	    ? o->expiry_warn_days
	    : MX_TLS_EXPIRY_WARN_DAYS;
	res->trust_source = xstrdup(certinfo_trust_source(trust));

	memset(&w, 0, sizeof(w));
	w.popt.ehlo_name = o->ehlo_name;
	w.popt.port = o->port;
	w.popt.now = res->now;
	w.popt.timeout_scale = o->timeout_scale;
	w.popt.deadline_ms = w.deadline = o->deadline_ms;
	w.popt.share = o->share;
	w.share = o->share;

	/* Build the host/address tree first; workers fill it in place. */
	res->nhosts = mx != NULL ? mx->nhost : 0;
	res->hosts = xcalloc(res->nhosts + 1, sizeof(*res->hosts));
	for (i = 0; i < res->nhosts; i++) {
		mh = &mx->host[i];
		h = &res->hosts[i];
		h->name = xstrdup(mh->name);
		h->pref = mh->pref;
		if (mx_tls_skipped(o, mh->name)) {
			h->skipped = 1;
			h->skip_reason = xstrdup("--skip-mx: not probed, "
						 "not held against the domain");
		}
		h->addrs = xcalloc(mh->addrs.n + 1, sizeof(*h->addrs));
		for (j = 0; j < mh->addrs.n; j++) {
			if (o->family != 0 &&
			    domain_addr_family(mh->addrs.addr[j]) != o->family)
				continue;
			a = &h->addrs[h->naddrs++];
			a->address = xstrdup(mh->addrs.addr[j]);
			if (h->skipped)
				continue;
			/* Caps: listed, not examined (mx_tls.not_examined). */
			if (h->naddrs > BUDGET_MX_MAX_ADDRS_HOST ||
			    w.nitems >= (o->max_addrs > 0
						? o->max_addrs
						: BUDGET_MX_MAX_ADDRS_CHECK)) {
				a->capped = 1;
				res->ncapped++;
				continue;
			}
			w.items = xreallocarray(w.items, w.nitems + 1,
			    sizeof(*w.items));
			w.hosts = xreallocarray(w.hosts, w.nitems + 1,
			    sizeof(*w.hosts));
			w.items[w.nitems] = a;
			w.hosts[w.nitems++] = h->name;
		}
	}

	/*
	 * Every handshake a task of its own on the shared pool, in order, at
	 * most BUDGET_MX_TLS_WORKERS at once (one with --serial); this thread
	 * runs queued ones too.  Every probe ends by the layer's deadline, so
	 * the wait is bounded as well.
	 */
	tasks = xcalloc(w.nitems * 3 + 1, sizeof(*tasks));
	g = pool_group_new(o->pool != NULL ? o->pool : pool_default(),
	    o->serial ? 1 : BUDGET_MX_TLS_WORKERS);
	for (i = 0; i < w.nitems * 3; i++) {
		tasks[i].w = &w;
		tasks[i].i = i;
		pool_group_add(g, mx_tls_task_run, &tasks[i]);
	}
	pool_group_wait(g);
	free(tasks);

	/* Judging input: verify every chain on this thread (TLS-3, TLS-5). */
	for (i = 0; i < w.nitems; i++) {
		a = w.items[i];
		if (a->cut || (a->probe != NULL && a->probe->cut))
			res->ncut++;
		mx_tls_keep_relevant(a);
		if (a->probe != NULL && a->probe->chain != NULL)
			a->verify = certinfo_verify(a->probe->chain, trust,
			    w.hosts[i], res->now);
	}
	free(w.items);
	free(w.hosts);
	certinfo_trust_free(trust);
	res->elapsed_ms = (long)(clock_ms() - t0);
	return res;
}

void
mx_tls_result_free(struct mx_tls_result *res)
{
	struct mx_tls_host *h;
	struct mx_tls_addr *a;
	size_t		    i, j;

	if (res == NULL)
		return;
	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		for (j = 0; j < h->naddrs; j++) {
			a = &h->addrs[j];
			free(a->address);
			smtp_probe_result_free(a->probe);
			smtp_probe_result_free(a->nosni);
			smtp_probe_result_free(a->legacy);
			certinfo_verify_free(a->verify);
		}
		free(h->addrs);
		free(h->name);
		free(h->skip_reason);
	}
	free(res->hosts);
	free(res->trust_source);
	free(res);
}

const char *
mx_tls_where(const struct smtp_probe_result *p)
{
	switch (p->fail_state) {
	case SMTP_PROBE_CONNECT:
		return "connect";
	case SMTP_PROBE_BANNER:
		return "banner";
	case SMTP_PROBE_EHLO:
		return "EHLO";
	case SMTP_PROBE_STARTTLS:
		return "STARTTLS";
	case SMTP_PROBE_HANDSHAKE:
		return "TLS handshake";
	case SMTP_PROBE_EHLO_TLS:
		return "EHLO after TLS";
	default:
		return smtp_probe_state_name(p->fail_state);
	}
}

/* 1 when the TLS 1.0/1.1-only handshake completed. */
int
mx_tls_legacy_ok(const struct mx_tls_addr *a)
{
	return a->legacy != NULL && a->legacy->tls;
}

/* Certificate problems as MTA-STS senders see them (TLS-3, TLS-5). */
static const struct {
	unsigned	  bit;
	enum finding_code code;
} mx_tls_cert_codes[] = { { CERTINFO_P_UNTRUSTED, FINDING_MX_TLS_UNTRUSTED },
	{ CERTINFO_P_OTHER, FINDING_MX_TLS_UNTRUSTED },
	{ CERTINFO_P_INCOMPLETE, FINDING_MX_TLS_INCOMPLETE_CHAIN },
	{ CERTINFO_P_NAME, FINDING_MX_TLS_NAME_MISMATCH },
	{ CERTINFO_P_EXPIRED, FINDING_MX_TLS_EXPIRED },
	{ CERTINFO_P_NOT_YET, FINDING_MX_TLS_NOT_YET_VALID } };
#define MX_TLS_NCERT_CODES \
	(sizeof(mx_tls_cert_codes) / sizeof(mx_tls_cert_codes[0]))

/* The finding for a probe that failed, by the state it failed in. */
static enum finding_code
mx_tls_fail_code(const struct mx_tls_addr *a)
{
	const struct smtp_probe_result *p = a->probe;

	switch (p->fail_state) {
	case SMTP_PROBE_CONNECT:
	case SMTP_PROBE_BANNER:
	case SMTP_PROBE_EHLO:
		return p->fail == SMTP_PROBE_FAIL_NOTLS
		    ? FINDING_MX_TLS_NO_STARTTLS
		    : FINDING_MX_TLS_CONNECT_FAILED;
	case SMTP_PROBE_STARTTLS:
		return FINDING_MX_TLS_STARTTLS_REFUSED;
	case SMTP_PROBE_HANDSHAKE:
		return p->fail != SMTP_PROBE_FAIL_IMPL && mx_tls_legacy_ok(a)
		    ? FINDING_MX_TLS_TLS_VERSION
		    : FINDING_MX_TLS_HANDSHAKE_FAILED;
	default:
		return FINDING_MX_TLS_HANDSHAKE_FAILED;
	}
}

int
mx_tls_port25_blocked(const struct mx_tls_result *res)
{
	const struct mx_tls_host *h;
	size_t			  i, j, probed = 0, timeouts = 0;

	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		for (j = 0; !h->skipped && j < h->naddrs; j++) {
			if (h->addrs[j].probe == NULL || h->addrs[j].probe->cut)
				continue;
			probed++;
			if (h->addrs[j].probe->fail ==
				SMTP_PROBE_FAIL_TIMEOUT &&
			    h->addrs[j].probe->fail_state == SMTP_PROBE_CONNECT)
				timeouts++;
		}
	}
	return probed > 0 && timeouts == probed;
}

enum mx_tls_outcome
mx_tls_addr_outcome(const struct mx_tls_addr *a, enum finding_code *code,
    const char **why)
{
	const struct smtp_probe_result *p = a->probe;
	const struct certinfo_verify   *v = a->verify;
	size_t				i;

	*why = NULL;
	if (p == NULL)
		return MX_TLS_OUTCOME_UNKNOWN;
	/* Stopped by our deadline before TLS: the server was not judged. */
	if (p->cut && !p->tls) {
		*code = FINDING_MX_TLS_CUT;
		*why = p->reason;
		return MX_TLS_OUTCOME_UNKNOWN;
	}
	if (p->fail != SMTP_PROBE_OK && !p->tls) {
		*code = mx_tls_fail_code(a);
		*why = p->reason;
		/* Before STARTTLS is offered, a failure is no TLS matter:
		 * nothing there speaks SMTP to any sender. */
		return *code == FINDING_MX_TLS_CONNECT_FAILED
		    ? MX_TLS_OUTCOME_UNREACHABLE
		    : MX_TLS_OUTCOME_BAD;
	}
	/* The session broke inside TLS (EHLO after the handshake never
	 * answered): no sender gets mail through it over TLS. */
	if (p->fail != SMTP_PROBE_OK && p->fail_state == SMTP_PROBE_EHLO_TLS) {
		*code = FINDING_MX_TLS_HANDSHAKE_FAILED;
		*why = p->reason;
		return MX_TLS_OUTCOME_BAD;
	}
	if (v == NULL) {
		*code = FINDING_MX_TLS_UNTRUSTED;
		*why = p->chain_error != NULL ? p->chain_error
					      : "no certificate chain";
		return MX_TLS_OUTCOME_BAD;
	}
	for (i = 0; i < MX_TLS_NCERT_CODES; i++)
		if (v->problems & mx_tls_cert_codes[i].bit) {
			*code = mx_tls_cert_codes[i].code;
			*why = v->detail;
			return MX_TLS_OUTCOME_BAD;
		}
	return MX_TLS_OUTCOME_OK;
}

/* Fewest days left among the judged path's certificates; *idx which. */
long
mx_tls_min_days(const struct certinfo_chain *c, const struct certinfo_verify *v,
    size_t *idx)
{
	long   min = LONG_MAX;
	size_t i;

	*idx = 0;
	for (i = 0; i < c->ncerts; i++) {
		if (i > 0 && (i >= v->nlinks || !v->links[i].in_path))
			continue;
		if (c->certs[i].days_left < min) {
			min = c->certs[i].days_left;
			*idx = i;
		}
	}
	return min;
}

static void
mx_tls_judge_addr(const struct mx_tls_result *res, const struct mx_tls_host *h,
    const struct mx_tls_addr *a, enum finding_severity block,
    struct finding_list *fl)
{
	const struct smtp_probe_result *p = a->probe;
	const struct certinfo_verify   *v = a->verify;
	struct finding		       *f;
	enum finding_code		code;
	char			       *subj;
	size_t				i, idx;
	long				days;
	int				untrusted = 0;

	subj = xasprintf("%s %s", h->name, a->address);
	if (p->cut)
		finding_add(fl, FINDING_MX_TLS_CUT, subj, 0,
		    "%s; %s is not examined (raise --deadline)", p->reason,
		    p->tls ? "what came after the handshake" : "the address");
	else if (p->fail != SMTP_PROBE_OK) {
		code = mx_tls_fail_code(a);
		if (code == FINDING_MX_TLS_TLS_VERSION)
			f = finding_add(fl, code, subj, 0,
			    "no TLS 1.2/1.3 "
			    "handshake (%s), but %s works",
			    p->reason,
			    a->legacy->tls_version != NULL
				? a->legacy->tls_version
				: "TLS 1.0/1.1");
		else if (code == FINDING_MX_TLS_NO_STARTTLS)
			f = finding_add(fl, code, subj, 0,
			    "EHLO reply (%zu "
			    "lines) does not offer STARTTLS",
			    p->ehlo != NULL ? p->ehlo->nlines : 0);
		else
			f = finding_add(fl, code, subj, 0, "failed at %s: %s",
			    mx_tls_where(p), p->reason);
		f->severity = block;
	}

	/* The chain is judged even when the session broke after TLS. */
	if (v != NULL) {
		for (i = 0; i < MX_TLS_NCERT_CODES; i++) {
			if ((v->problems & mx_tls_cert_codes[i].bit) == 0)
				continue;
			if (mx_tls_cert_codes[i].code ==
			    FINDING_MX_TLS_UNTRUSTED) {
				if (untrusted++)
					continue;
				/* A missing intermediate is said once. */
				if (v->problems & CERTINFO_P_INCOMPLETE)
					continue;
			}
			f = finding_add(fl, mx_tls_cert_codes[i].code, subj, 0,
			    "%s (%s)", v->detail,
			    a->probe->tls_version != NULL
				? a->probe->tls_version
				: "TLS");
			f->severity = block;
		}
		if (v->problems == 0 && p->chain != NULL &&
		    p->chain->ncerts > 0) {
			days = mx_tls_min_days(p->chain, v, &idx);
			if (days < res->expiry_warn_days)
				finding_add(fl, FINDING_MX_TLS_EXPIRING_SOON,
				    subj, 0,
				    "certificate %zu (%s) expires in "
				    "%ld day%s",
				    idx, p->chain->certs[idx].subject, days,
				    days == 1 ? "" : "s");
		}
	} else if (p->tls) {
		f = finding_add(fl, FINDING_MX_TLS_UNTRUSTED, subj, 0,
		    "no usable certificate chain: %s",
		    p->chain_error != NULL ? p->chain_error : "none presented");
		f->severity = block;
	}

	if (p->tls && a->nosni != NULL && !a->nosni->tls &&
	    a->nosni->fail_state == SMTP_PROBE_HANDSHAKE) {
		f = finding_add(fl, FINDING_MX_TLS_SNI_REQUIRED, subj, 0,
		    "handshake without SNI fails: %s", a->nosni->reason);
		f->severity = block;
	}
	if (p->tls && mx_tls_legacy_ok(a))
		finding_add(fl, FINDING_MX_TLS_LEGACY_TLS, subj, 0,
		    "also accepts %s",
		    a->legacy->tls_version != NULL ? a->legacy->tls_version
						   : "TLS 1.0/1.1");
	if (p->starttls_repeated)
		finding_add(fl, FINDING_MX_TLS_STARTTLS_REPEATED, subj, 0,
		    "EHLO after the %s handshake offers STARTTLS again",
		    p->tls_version != NULL ? p->tls_version : "TLS");
	free(subj);
}

void
mx_tls_judge(const struct mx_tls_result *res, int policy_mode,
    struct finding_list *fl)
{
	const struct mx_tls_host *h;
	enum finding_severity	  block;
	size_t			  i, j, probed = 0;

	/* TLS-9: only a policy in testing or enforce makes these errors. */
	block = policy_mode >= 1 ? FINDING_ERROR : FINDING_WARNING;

	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		if (h->skipped)
			finding_add(fl, FINDING_MX_TLS_SKIPPED, h->name, 0,
			    "%s (%zu address%s)", h->skip_reason, h->naddrs,
			    h->naddrs == 1 ? "" : "es");
		for (j = 0; !h->skipped && j < h->naddrs; j++)
			probed += h->addrs[j].probe != NULL;
	}
	/* Every address silent on connect: the network, not the domain. */
	if (mx_tls_port25_blocked(res)) {
		finding_add(fl, FINDING_MX_TLS_PORT25_BLOCKED, NULL, 0,
		    "all %zu MX address%s timed out on connect to port 25: "
		    "probably this network blocks outgoing port 25, not the "
		    "domain",
		    probed, probed == 1 ? "" : "es");
		return;
	}
	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		if (h->skipped)
			continue;
		for (j = 0; j < h->naddrs; j++) {
			if (h->addrs[j].probe != NULL)
				mx_tls_judge_addr(res, h, &h->addrs[j], block,
				    fl);
			else if (h->addrs[j].cut)
				finding_add(fl, FINDING_MX_TLS_CUT, NULL, 0,
				    "%s %s: not probed, the layer's deadline "
				    "came first (raise --deadline)",
				    h->name, h->addrs[j].address);
		}
	}
	if (res->ncapped > 0)
		finding_add(fl, FINDING_MX_TLS_NOT_EXAMINED, NULL, 0,
		    "%zu MX address%s not probed: at most %d per host and "
		    "%d per check are",
		    res->ncapped, res->ncapped == 1 ? "" : "es",
		    BUDGET_MX_MAX_ADDRS_HOST, BUDGET_MX_MAX_ADDRS_CHECK);
}
