#include "config.h"
#include "change.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "dns.h"
#include "history.h"
#include "ics.h"
#include "id.h"
#include "jsonw.h"
#include "mx_lookup.h"
#include "mx_match.h"
#include "policy_parse.h"
#include "schedule.h"
#include "state.h"
#include "strbuf.h"
#include "sts_record.h"
#include "tlsrpt_record.h"
#include "verdict.h"
#include "xmalloc.h"

#define CHANGE_TEXT_MAX (64 * 1024)

/* What gates a step: nothing, or the max_age senders may still hold. */
enum change_wait {
	WAIT_NONE,
	WAIT_OLD,   /* the old policy's max_age */
	WAIT_LONGER /* the longer of the old and the new max_age */
};

struct change_step {
	const char *key;
	const char *title;
	const char *help; /* what the operator does */
	/* The settings of the step's files; NULL: nothing to publish. */
	void (*publish)(const struct change_params *, struct gen_spec *);
	int new_id; /* the files carry a new id */
	/* 1 when what is live is what the step needs; *why says what. */
	int (*live)(const struct state *, size_t step,
	    const struct change_facts *, char  **why);
	enum change_wait wait; /* before the step may start */
	/* When the step is live before its wait is over. */
	const char *early;
	/* Said first while the step may not be done yet. */
	const char *hold;
};

struct change_kind_def {
	const char		 *name;
	const char		 *title;
	const struct change_step *steps;
	size_t			  nsteps;
	/* Mail refused now (fix now) or a hazard (warning); may be NULL. */
	void (*hazard)(const struct state *, const struct change_facts *,
	    struct change_report *);
	/*
	 * 0: the plan file does not keep the days steps are first seen done
	 * (a fix plan: nothing waits on them), so judging never writes it.
	 */
	int days_kept;
};

static int  change_covered(const struct change_facts *, const char *host);
static int  change_id_ok(const struct state *, size_t,
     const struct change_facts *);
static int  change_mx_has(const struct change_facts *, const char *host);
static void change_pub_mx_add(const struct change_params *, struct gen_spec *);
static void change_pub_mx_drop(const struct change_params *, struct gen_spec *);
static void change_pub_none(const struct change_params *, struct gen_spec *);
static void change_pub_host(const struct change_params *, struct gen_spec *);
static void change_pub_max_age(const struct change_params *, struct gen_spec *);
static void change_pub_plan(const struct change_params *, struct gen_spec *);
static int  change_live_mx_add(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_mx_switch(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_mx_drop(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_none(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_gone(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_host_ready(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_host_switched(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_max_age(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_fix_body(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_fix_id(const struct state *, size_t,
     const struct change_facts *, char **);
static int  change_live_fix_verify(const struct state *, size_t,
     const struct change_facts *, char **);
static void change_hazard_mx(const struct state *, const struct change_facts *,
    struct change_report *);
static void change_hazard_host(const struct state *,
    const struct change_facts *, struct change_report *);
static void change_hazard_max_age(const struct state *,
    const struct change_facts *, struct change_report *);
static void change_hazard_fix(const struct state *, const struct change_facts *,
    struct change_report *);
static const struct change_kind_def *change_def(enum change_kind);

static const struct change_step change_mx_steps[] = {
	{ "add-new", "Add the new MX to the policy, with a new id",
	    "serve the new mta-sts.txt, then publish the new id; do NOT "
	    "change the MX records yet",
	    change_pub_mx_add, 1, change_live_mx_add, WAIT_NONE, NULL, NULL },
	{ "switch-mx", "Change the MX records",
	    "point the MX records at the new host (keep the old one until "
	    "its pattern is removed, if you can)",
	    NULL, 0, change_live_mx_switch, WAIT_OLD,
	    "the MX records changed before senders could have dropped the "
	    "old policy: senders that still hold it refuse mail to the new "
	    "MX; put the old MX records back until the wait is over",
	    "do not change the MX records: senders that hold the served "
	    "policy refuse mail to a host it does not list" },
	{ "drop-old", "Remove the old MX pattern, with a new id",
	    "serve the new mta-sts.txt without the old pattern, then publish "
	    "the new id",
	    change_pub_mx_drop, 1, change_live_mx_drop, WAIT_NONE, NULL, NULL },
};

static const struct change_step change_remove_steps[] = {
	{ "mode-none", "Serve mode none with a short max_age and a new id",
	    "serve the new mta-sts.txt (mode none), then publish the new id",
	    change_pub_none, 1, change_live_none, WAIT_NONE, NULL, NULL },
	{ "withdraw", "Remove the TXT, the policy host and the file",
	    "delete _mta-sts TXT, then the policy host's records and its "
	    "web server",
	    NULL, 0, change_live_gone, WAIT_LONGER,
	    "MTA-STS was withdrawn before senders could have learnt mode "
	    "none: those holding the old policy keep applying it until it "
	    "expires",
	    "keep the TXT record and the policy host: senders must still "
	    "fetch mode none" },
};

static const struct change_step change_host_steps[] = {
	{ "verify-new", "Serve the same policy on the new host",
	    "set up the new host to serve the same mta-sts.txt with a "
	    "certificate valid for the policy host name",
	    NULL, 0, change_live_host_ready, WAIT_NONE, NULL, NULL },
	{ "switch-dns", "Point the policy host at the new host, same id",
	    "publish the policy host record from zone.txt; keep the id",
	    change_pub_host, 0, change_live_host_switched, WAIT_NONE, NULL,
	    NULL },
};

static const struct change_step change_max_age_steps[] = {
	{ "raise", "Raise max_age, with a new id",
	    "serve the new mta-sts.txt, then publish the new id",
	    change_pub_max_age, 1, change_live_max_age, WAIT_NONE, NULL, NULL },
};

/*
 * A fix plan's files are the plan's own settings (the fixed policy and its
 * new id), the same for both steps: the body first, then the id.
 */
static const struct change_step change_fix_steps[] = {
	{ "serve-body", "Serve the fixed policy body",
	    "serve the new mta-sts.txt; do NOT publish the new id yet",
	    change_pub_plan, 0, change_live_fix_body, WAIT_NONE, NULL, NULL },
	{ "publish-id", "Publish the new id",
	    "publish the TXT record of zone.txt with the new id, now that "
	    "the fixed body is served",
	    change_pub_plan, 0, change_live_fix_id, WAIT_NONE,
	    "the new id is published while the old policy is still served: "
	    "senders that fetch now cache the old policy under the new id "
	    "and keep it for its max_age, even once the fix is served.  "
	    "Serve the fixed mta-sts.txt now, then publish yet another new "
	    "id (export --id) so that senders fetch it",
	    NULL },
	{ "verify", "Verify: the check refuses no mail",
	    "run 'mtasts-tui check' and fix what it still reports", NULL, 0,
	    change_live_fix_verify, WAIT_NONE, NULL, NULL },
};

#define CHANGE_STEPS(a) a, sizeof(a) / sizeof(a[0])

static const struct change_kind_def change_kinds[CHANGE__ALL] = {
	[CHANGE_MX] = { "mx", "MX change", CHANGE_STEPS(change_mx_steps),
	    change_hazard_mx, 1 },
	[CHANGE_REMOVE] = { "remove", "Removal of MTA-STS",
	    CHANGE_STEPS(change_remove_steps), NULL, 1 },
	[CHANGE_HOST] = { "host", "Policy host move",
	    CHANGE_STEPS(change_host_steps), change_hazard_host, 1 },
	[CHANGE_MAX_AGE] = { "max-age", "Raise max_age",
	    CHANGE_STEPS(change_max_age_steps), change_hazard_max_age, 1 },
	[CHANGE_FIX] = { "fix", "Fix", CHANGE_STEPS(change_fix_steps),
	    change_hazard_fix, 0 },
};

static const struct change_kind_def *
change_def(enum change_kind k)
{
	return &change_kinds[k];
}

int
change_kind_lookup(const char *s)
{
	int i;

	/* Not "fix": only the wizard makes fix plans. */
	for (i = 0; i < CHANGE__COUNT; i++)
		if (strcmp(s, change_kinds[i].name) == 0)
			return i;
	return -1;
}

int
change_follows(const struct state *st)
{
	return st->change != NULL;
}

void
change_plan_fix(struct state *st)
{
	struct change_params *p;
	size_t		      i;

	if (st->change != NULL)
		return;
	p = st->change = xcalloc(1, sizeof(*p));
	change_params_init(p, CHANGE_FIX);
	p->new_max_age = p->old_max_age = st->spec.max_age;
	/* Both steps' files carry the plan's new id. */
	for (i = 0; st->spec.id != NULL && i < change_nsteps(CHANGE_FIX); i++)
		if (change_def(CHANGE_FIX)->steps[i].publish != NULL)
			p->step_id[i] = xstrdup(st->spec.id);
}

const char *
change_kind_name(enum change_kind k)
{
	return change_def(k)->name;
}

const char *
change_kind_title(enum change_kind k)
{
	return change_def(k)->title;
}

size_t
change_nsteps(enum change_kind k)
{
	return change_def(k)->nsteps;
}

const char *
change_step_key(enum change_kind k, size_t i)
{
	return change_def(k)->steps[i].key;
}

const char *
change_step_title(enum change_kind k, size_t i)
{
	return change_def(k)->steps[i].title;
}

int
change_step_publishes(enum change_kind k, size_t i)
{
	return change_def(k)->steps[i].publish != NULL;
}

void
change_params_init(struct change_params *p, enum change_kind k)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->kind = k;
	p->new_max_age = k == CHANGE_REMOVE ? CHANGE_SHORT_AGE
	    : k == CHANGE_MAX_AGE	    ? GEN_MAX_AGE_FINAL
					    : -1;
	p->old_max_age = -1;
	for (i = 0; i < CHANGE_MAX_STEPS; i++)
		p->seen[i] = -1;
}

void
change_params_free(struct change_params *p)
{
	size_t i;

	free(p->new_mx);
	free(p->old_mx);
	free(p->new_cname);
	free(p->new_addr);
	free(p->start_id);
	for (i = 0; i < CHANGE_MAX_STEPS; i++)
		free(p->step_id[i]);
	memset(p, 0, sizeof(*p));
}

static char *
change_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
change_params_copy(struct change_params *dst, const struct change_params *src)
{
	size_t i;

	*dst = *src;
	dst->new_mx = change_dup(src->new_mx);
	dst->old_mx = change_dup(src->old_mx);
	dst->new_cname = change_dup(src->new_cname);
	dst->new_addr = change_dup(src->new_addr);
	dst->start_id = change_dup(src->start_id);
	for (i = 0; i < CHANGE_MAX_STEPS; i++)
		dst->step_id[i] = change_dup(src->step_id[i]);
}

/* Whether any of spec's patterns covers host. */
static int
change_spec_covers(const struct gen_spec *s, const char *host)
{
	size_t i;

	for (i = 0; i < s->nmx; i++)
		if (mx_match(s->mx[i], host) == MX_MATCH_EXACT ||
		    mx_match(s->mx[i], host) == MX_MATCH_WILDCARD)
			return 1;
	return 0;
}

int
change_params_check(const struct change_params *p, const struct gen_spec *s,
    char **cause)
{
	switch (p->kind) {
	case CHANGE_MX:
		if (p->new_mx == NULL) {
			*cause = xstrdup("--change mx needs --new-mx HOST");
			return -1;
		}
		if (p->old_mx != NULL &&
		    strcasecmp(p->old_mx, p->new_mx) == 0) {
			*cause = xstrdup("--old-mx and --new-mx are the same");
			return -1;
		}
		return gen_validate_mx(p->new_mx, cause);
	case CHANGE_REMOVE:
		if (p->new_max_age < 1 || p->new_max_age > GEN_MAX_AGE_FINAL) {
			*cause = xstrdup("--max-age is out of range");
			return -1;
		}
		return 0;
	case CHANGE_HOST:
		if ((p->new_cname == NULL) == (p->new_addr == NULL)) {
			*cause =
			    xstrdup("--change host needs one of "
				    "--new-host-cname and --new-host-addr");
			return -1;
		}
		return 0;
	case CHANGE_MAX_AGE:
		if (s->mode != POLICY_MODE_ENFORCE) {
			*cause = xstrdup("max_age is raised once enforce is "
					 "served and healthy; the served "
					 "policy is not in enforce");
			return -1;
		}
		if (p->new_max_age <= s->max_age ||
		    p->new_max_age > GEN_MAX_AGE_FINAL) {
			*cause = xasprintf("the new max_age must be above the "
					   "served %lld and at most %d",
			    s->max_age, GEN_MAX_AGE_FINAL);
			return -1;
		}
		return 0;
	default:
		*cause = xstrdup("unknown change");
		return -1;
	}
}

void
change_facts_init(struct change_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->max_age = -1;
	f->new_same_body = -1;
	f->new_cert_ok = -1;
}

void
change_facts_free(struct change_facts *f)
{
	size_t i;

	for (i = 0; i < f->npattern; i++)
		free(f->pattern[i]);
	for (i = 0; i < f->nmx; i++)
		free(f->mx[i]);
	for (i = 0; i < f->nhost_addr; i++)
		free(f->host_addr[i]);
	free(f->body);
	free(f->host_cname);
	free(f->new_detail);
	change_facts_init(f);
}

void
change_facts_from_check(struct change_facts *f, const struct check *c)
{
	const struct sts_record *sts = check_sts_record(c);
	const struct policy	*p = check_policy(c);
	const struct mx_set	*mx = check_mx(c);
	const struct dns_addrs	*ha = check_policy_host_addrs(c);
	const struct verdict	*v = check_verdict(c);
	size_t			 i;

	f->checked = check_failure(c) == NULL;
	f->txt_present = sts != NULL && sts->ncandidates > 0;
	if (sts != NULL && sts->valid && sts->id != NULL)
		snprintf(f->txt_id, sizeof(f->txt_id), "%s", sts->id);
	f->policy_valid = p != NULL && p->valid;
	if (f->policy_valid) {
		f->mode = p->mode;
		f->max_age = p->max_age;
		for (i = 0; i < p->nmx && f->npattern < GEN_MAX_MX; i++)
			f->pattern[f->npattern++] = xstrdup(p->mx[i].pattern);
		f->body = xstrdup(p->body != NULL ? p->body : "");
	}
	for (i = 0; mx != NULL && i < mx->nhost && f->nmx < GEN_MAX_MX; i++) {
		f->mx[f->nmx++] = xstrdup(mx->host[i].name);
		if (f->policy_valid && !change_covered(f, mx->host[i].name))
			f->mx_uncovered = 1;
	}
	if (ha != NULL) {
		if (ha->ncname > 0)
			f->host_cname = xstrdup(ha->cname[0]);
		for (i = 0; i < ha->n && f->nhost_addr < GEN_MAX_ADDR; i++)
			f->host_addr[f->nhost_addr++] = xstrdup(ha->addr[i]);
	}
	f->refused = v != NULL && v->exit_status >= 2;
	f->enforce_healthy = v != NULL && v->enforce_ready && f->policy_valid &&
	    f->mode == POLICY_MODE_ENFORCE && v->state == VERDICT_ALL;
}

int
change_spec_from_facts(struct gen_spec *s, const char *domain,
    const struct check *c, char **cause)
{
	const struct sts_record	   *sts = check_sts_record(c);
	const struct policy	   *p = check_policy(c);
	const struct tlsrpt_record *rpt = check_tlsrpt_record(c);
	const struct dns_addrs	   *ha = check_policy_host_addrs(c);
	size_t			    i;

	gen_spec_init(s, domain);
	if (p == NULL || !p->valid || sts == NULL || !sts->valid ||
	    sts->id == NULL) {
		*cause = xasprintf("%s serves no valid policy with a valid "
				   "TXT record; a change plan starts from "
				   "a working deployment",
		    domain);
		return -1;
	}
	s->mode = p->mode;
	s->max_age = p->max_age;
	for (i = 0; i < p->nmx; i++)
		gen_spec_add_mx(s, p->mx[i].pattern);
	gen_spec_set_id(s, sts->id);
	for (i = 0; rpt != NULL && i < rpt->nuris; i++)
		if (rpt->uris[i].usable)
			gen_spec_add_rua(s, rpt->uris[i].uri);
	if (ha != NULL && ha->ncname > 0)
		gen_spec_set_cname(s, ha->cname[0]);
	else
		for (i = 0; ha != NULL && i < ha->n; i++)
			gen_spec_add_addr(s, ha->addr[i]);
	return 0;
}

struct state *
change_plan_new(const struct check *c, const struct change_params *p,
    const char *const *rua, size_t nrua, const struct state *old, long today,
    int *field, char **cause)
{
	const struct mx_set *mx = check_mx(c);
	struct gen_spec	     spec;
	struct state	    *st = NULL;
	size_t		     i;

	*field = -1;
	if (change_spec_from_facts(&spec, check_domain(c), c, cause) == 0) {
		for (i = 0; spec.nrua == 0 && i < nrua; i++)
			gen_spec_add_rua(&spec, rua[i]);
		st = change_plan_make(&spec,
		    mx != NULL && mx->nhost == 1 ? mx->host[0].name : NULL,
		    change_history_held(c), p, old, today, field, cause);
	}
	gen_spec_free(&spec);
	return st;
}

long long
change_history_held(const struct check *c)
{
	const struct history_result *h = check_history(c);
	long long		     left;

	if (h == NULL)
		return 0;
	left = (long long)h->prev_hold_until - (long long)check_time(c);
	return left > 0 ? left : 0;
}

struct state *
change_plan_make(const struct gen_spec *served, const char *only_mx,
    long long held, const struct change_params *p, const struct state *old,
    long today, int *field, char **cause)
{
	struct change_params q;
	struct gen_spec	     spec;
	struct state	    *st = NULL;
	enum gen_field	     gf;
	size_t		     i;

	*field = -1;
	gen_spec_copy(&spec, served);
	change_params_copy(&q, p);
	/* With one MX the old one is obvious. */
	if (q.kind == CHANGE_MX && q.old_mx == NULL && only_mx != NULL &&
	    q.new_mx != NULL && strcasecmp(only_mx, q.new_mx) != 0)
		q.old_mx = xstrdup(only_mx);
	if (change_params_check(&q, &spec, cause) != 0)
		goto out;
	/* What is served must pass our generator, or no step can be written. */
	if (change_validate(&spec, &gf, cause) != 0) {
		*field = (int)gf;
		goto out;
	}
	/*
	 * Senders may hold the policy served now, any this machine's earlier
	 * plan handed out, or any this machine saw served before (a longer
	 * max_age since shortened, history.h): wait out the longest.
	 */
	q.old_max_age = spec.max_age;
	for (i = 0; old != NULL && i < old->nids; i++)
		if (old->ids[i].mode != POLICY_MODE_NONE &&
		    old->ids[i].max_age > q.old_max_age)
			q.old_max_age = old->ids[i].max_age;
	if (held > q.old_max_age)
		q.old_max_age = held;
	free(q.start_id);
	q.start_id = xstrdup(spec.id);
	st = state_new_change(&spec, &q, today);
	for (i = 0; old != NULL && i < old->nids; i++)
		state_add_id(st, old->ids[i].id, old->ids[i].mode,
		    old->ids[i].max_age, old->ids[i].day);
	state_add_id(st, spec.id, spec.mode, spec.max_age, today);
out:
	change_params_free(&q);
	gen_spec_free(&spec);
	return st;
}

char *
change_plan_summary(const struct state *st, const char *path)
{
	struct strbuf b;
	size_t	      i;

	strbuf_init(&b, CHANGE_TEXT_MAX);
	strbuf_addf(&b, "%s plan for %s saved in %s\n",
	    change_kind_title(st->change->kind), st->spec.domain, path);
	strbuf_addf(&b,
	    "Served now: mode %s, max_age %lld, id %s; senders may hold a "
	    "policy for up to %lld s\n",
	    policy_mode_name(st->spec.mode), st->spec.max_age, st->spec.id,
	    st->change->old_max_age);
	for (i = 0; i < change_nsteps(st->change->kind); i++)
		strbuf_addf(&b, "%zu. %s\n", i + 1,
		    change_step_title(st->change->kind, i));
	strbuf_addf(&b,
	    "Next: 'mtasts-tui rollout status %s' says what to do and when\n",
	    st->spec.domain);
	return strbuf_detach(&b, NULL);
}

int
change_validate(const struct gen_spec *spec, enum gen_field *field,
    char **cause)
{
	struct gen_spec v;
	int		rc;

	gen_spec_copy(&v, spec);
	if (v.mode == POLICY_MODE_NONE)
		v.mode = POLICY_MODE_TESTING;
	rc = gen_validate(&v, field, cause, NULL);
	gen_spec_free(&v);
	return rc;
}

/* --- the steps' files ---------------------------------------------- */

static void
change_pub_mx_add(const struct change_params *p, struct gen_spec *s)
{
	if (!change_spec_covers(s, p->new_mx))
		gen_spec_add_mx(s, p->new_mx);
}

/* Drops every pattern that covers the old MX but not the new one. */
static void
change_pub_mx_drop(const struct change_params *p, struct gen_spec *s)
{
	size_t i;

	change_pub_mx_add(p, s);
	if (p->old_mx == NULL)
		return;
	for (i = s->nmx; i > 0; i--)
		if (mx_match(s->mx[i - 1], p->old_mx) != MX_MATCH_NONE &&
		    mx_match(s->mx[i - 1], p->new_mx) == MX_MATCH_NONE)
			gen_spec_remove_mx(s, i - 1);
}

static void
change_pub_none(const struct change_params *p, struct gen_spec *s)
{
	s->mode = POLICY_MODE_NONE;
	s->max_age = p->new_max_age;
}

static void
change_pub_host(const struct change_params *p, struct gen_spec *s)
{
	size_t i;

	for (i = 0; i < s->naddr; i++)
		free(s->addr[i]);
	s->naddr = 0;
	gen_spec_set_cname(s, NULL);
	if (p->new_cname != NULL)
		gen_spec_set_cname(s, p->new_cname);
	else
		gen_spec_add_addr(s, p->new_addr);
}

static void
change_pub_max_age(const struct change_params *p, struct gen_spec *s)
{
	s->max_age = p->new_max_age;
}

static void
change_pub_plan(const struct change_params *p, struct gen_spec *s)
{
	(void)p;
	(void)s;
}

/* --- the live conditions -------------------------------------------- */

static int
change_covered(const struct change_facts *f, const char *host)
{
	size_t i;
	int    m;

	for (i = 0; i < f->npattern; i++) {
		m = mx_match(f->pattern[i], host);
		if (m == MX_MATCH_EXACT || m == MX_MATCH_WILDCARD)
			return 1;
	}
	return 0;
}

static int
change_mx_has(const struct change_facts *f, const char *host)
{
	size_t i;

	for (i = 0; i < f->nmx; i++)
		if (strcasecmp(f->mx[i], host) == 0)
			return 1;
	return 0;
}

/*
 * The step's id is live: the one its files carry, or, when the operator
 * made their own files, any valid id other than the one served when the
 * plan was made.
 */
static int
change_id_ok(const struct state *st, size_t step, const struct change_facts *f)
{
	const struct change_params *p = st->change;

	if (f->txt_id[0] == '\0')
		return 0;
	if (p->step_id[step] != NULL)
		return strcmp(f->txt_id, p->step_id[step]) == 0;
	return p->start_id == NULL || strcmp(f->txt_id, p->start_id) != 0;
}

static int
change_live_mx_add(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	const char *mx = st->change->new_mx;

	if (!f->policy_valid) {
		*why = xstrdup("no valid policy is served");
		return 0;
	}
	if (!change_covered(f, mx)) {
		*why = xasprintf("the served policy does not list %s", mx);
		return 0;
	}
	if (!change_id_ok(st, step, f)) {
		*why = xasprintf("the policy lists %s but the TXT id is "
				 "still %s: senders will not fetch it",
		    mx, f->txt_id[0] != '\0' ? f->txt_id : "(none)");
		return 0;
	}
	*why =
	    xasprintf("the served policy lists %s, TXT id %s", mx, f->txt_id);
	return 1;
}

static int
change_live_mx_switch(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	const struct change_params *p = st->change;

	(void)step;
	if (!change_mx_has(f, p->new_mx)) {
		*why = xasprintf("%s is not among the MX records", p->new_mx);
		return 0;
	}
	if (p->old_mx != NULL && change_mx_has(f, p->old_mx)) {
		*why = xasprintf("%s is an MX; %s still is too", p->new_mx,
		    p->old_mx);
		return 0;
	}
	*why = xasprintf("%s is an MX%s%s%s", p->new_mx,
	    p->old_mx != NULL ? "; " : "", p->old_mx != NULL ? p->old_mx : "",
	    p->old_mx != NULL ? " is gone" : "");
	return 1;
}

static int
change_live_mx_drop(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	const struct change_params *p = st->change;
	size_t			    i;

	if (!f->policy_valid || !change_covered(f, p->new_mx)) {
		*why =
		    xasprintf("the served policy does not list %s", p->new_mx);
		return 0;
	}
	for (i = 0; p->old_mx != NULL && i < f->npattern; i++)
		if (mx_match(f->pattern[i], p->old_mx) != MX_MATCH_NONE &&
		    mx_match(f->pattern[i], p->new_mx) == MX_MATCH_NONE) {
			*why = xasprintf("the served policy still has 'mx: "
					 "%s'",
			    f->pattern[i]);
			return 0;
		}
	if (!change_id_ok(st, step, f)) {
		*why = xasprintf("the TXT id %s is not the id of this step",
		    f->txt_id[0] != '\0' ? f->txt_id : "(none)");
		return 0;
	}
	*why = xasprintf("the old pattern is gone, TXT id %s", f->txt_id);
	return 1;
}

static int
change_live_none(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	if (!f->policy_valid || f->mode != POLICY_MODE_NONE) {
		*why = xstrdup(f->policy_valid ? "the served policy is not "
						 "mode none"
					       : "no valid policy is served");
		return 0;
	}
	if (!change_id_ok(st, step, f)) {
		*why = xasprintf("mode none is served but the TXT id is "
				 "still %s: senders will not fetch it",
		    f->txt_id[0] != '\0' ? f->txt_id : "(none)");
		return 0;
	}
	*why = xasprintf("mode none, max_age %lld, TXT id %s", f->max_age,
	    f->txt_id);
	return 1;
}

static int
change_live_gone(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	(void)st;
	(void)step;
	if (f->txt_present) {
		*why = xstrdup("the _mta-sts TXT record is still published");
		return 0;
	}
	if (f->policy_valid) {
		*why = xstrdup("the TXT record is gone; the policy is still "
			       "served (remove it too)");
		return 0;
	}
	*why = xstrdup("no TXT record, no policy");
	return 1;
}

static int
change_live_host_ready(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	(void)step;
	if (f->new_same_body == -1 || f->new_cert_ok == -1) {
		*why = xasprintf("the new host could not be probed%s%s",
		    f->new_detail != NULL ? ": " : "",
		    f->new_detail != NULL ? f->new_detail : "");
		return 0;
	}
	if (!f->new_cert_ok) {
		*why = xasprintf("the new host has no valid certificate for "
				 "mta-sts.%s%s%s",
		    st->spec.domain, f->new_detail != NULL ? ": " : "",
		    f->new_detail != NULL ? f->new_detail : "");
		return 0;
	}
	if (!f->new_same_body) {
		*why = xstrdup("the new host serves a different body");
		return 0;
	}
	*why = xasprintf("the new host serves the same body with a valid "
			 "certificate for mta-sts.%s",
	    st->spec.domain);
	return 1;
}

static int
change_live_host_switched(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	const struct change_params *p = st->change;
	size_t			    i;
	int			    on = 0;

	(void)step;
	if (p->new_cname != NULL)
		on = f->host_cname != NULL &&
		    strcasecmp(f->host_cname, p->new_cname) == 0;
	for (i = 0; p->new_addr != NULL && i < f->nhost_addr; i++)
		if (strcmp(f->host_addr[i], p->new_addr) == 0)
			on = 1;
	if (!on) {
		*why = xasprintf("mta-sts.%s does not point at %s yet",
		    st->spec.domain,
		    p->new_cname != NULL ? p->new_cname : p->new_addr);
		return 0;
	}
	if (!f->policy_valid || p->start_id == NULL ||
	    strcmp(f->txt_id, p->start_id) != 0) {
		*why = xstrdup("the policy host moved but the policy or the "
			       "id is not the one served before");
		return 0;
	}
	*why = xasprintf("mta-sts.%s points at %s and serves the policy, id "
			 "%s kept",
	    st->spec.domain, p->new_cname != NULL ? p->new_cname : p->new_addr,
	    f->txt_id);
	return 1;
}

static int
change_live_max_age(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	const struct change_params *p = st->change;

	if (!f->policy_valid || f->max_age != p->new_max_age) {
		*why = xasprintf("the served max_age is %lld, not %lld",
		    f->max_age, p->new_max_age);
		return 0;
	}
	if (!change_id_ok(st, step, f)) {
		*why = xasprintf("max_age %lld is served but the TXT id is "
				 "still %s",
		    f->max_age, f->txt_id[0] != '\0' ? f->txt_id : "(none)");
		return 0;
	}
	*why = xasprintf("max_age %lld, TXT id %s", f->max_age, f->txt_id);
	return 1;
}

/* Whether pattern is among n patterns, compared as DNS names are. */
static int
change_has_pattern(char *const *v, size_t n, const char *pattern)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(v[i], pattern) == 0)
			return 1;
	return 0;
}

/*
 * What the served policy has that the fix plan's body has not, in one
 * line (caller frees), or NULL when they are the same body: mode, max_age
 * and the mx patterns as a set.
 */
static char *
change_fix_body_diff(const struct state *st, const struct change_facts *f)
{
	const struct gen_spec *s = &st->spec;
	struct strbuf	       sb;
	size_t		       i;
	int		       same = 1;

	if (!f->policy_valid)
		return xstrdup("no valid policy is served");
	strbuf_init(&sb, CHANGE_TEXT_MAX);
	if (f->mode != s->mode) {
		strbuf_addf(&sb, "mode %s (plan: %s)",
		    policy_mode_name(f->mode), policy_mode_name(s->mode));
		same = 0;
	}
	if (f->max_age != s->max_age) {
		strbuf_addf(&sb, "%smax_age %lld (plan: %lld)",
		    same ? "" : "; ", f->max_age, s->max_age);
		same = 0;
	}
	for (i = 0; i < s->nmx; i++)
		if (!change_has_pattern(f->pattern, f->npattern, s->mx[i])) {
			strbuf_addf(&sb, "%sno 'mx: %s'", same ? "" : "; ",
			    s->mx[i]);
			same = 0;
		}
	for (i = 0; i < f->npattern; i++)
		if (!change_has_pattern(s->mx, s->nmx, f->pattern[i])) {
			strbuf_addf(&sb, "%s'mx: %s' not in the plan",
			    same ? "" : "; ", f->pattern[i]);
			same = 0;
		}
	if (same) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static int
change_live_fix_body(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	char *diff;

	(void)step;
	if ((diff = change_fix_body_diff(st, f)) != NULL) {
		*why = xasprintf("the served policy is not the fixed one: %s",
		    diff);
		free(diff);
		return 0;
	}
	*why = xasprintf("the fixed policy is served (mode %s, max_age %lld, "
			 "%zu mx pattern%s)",
	    policy_mode_name(f->mode), f->max_age, f->npattern,
	    f->npattern == 1 ? "" : "s");
	return 1;
}

static int
change_live_fix_id(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	if (!change_id_ok(st, step, f)) {
		*why = xasprintf("the TXT id is %s, not the new %s",
		    f->txt_id[0] != '\0' ? f->txt_id : "(none)",
		    st->spec.id != NULL ? st->spec.id : "(none)");
		return 0;
	}
	*why = xasprintf("TXT id %s", f->txt_id);
	return 1;
}

static int
change_live_fix_verify(const struct state *st, size_t step,
    const struct change_facts *f, char **why)
{
	(void)step;
	if (f->refused) {
		*why = xasprintf("the check still refuses mail (see "
				 "'mtasts-tui check %s')",
		    st->spec.domain);
		return 0;
	}
	*why = xstrdup("the check refuses no mail");
	return 1;
}

/* --- hazards ---------------------------------------------------------- */

static void
change_hazard_mx(const struct state *st, const struct change_facts *f,
    struct change_report *r)
{
	const char *mx = st->change->new_mx;

	if (!f->policy_valid || !f->mx_uncovered)
		return;
	if (f->mode == POLICY_MODE_ENFORCE && r->fixnow == NULL)
		r->fixnow = xasprintf(
		    "an MX host is not listed in the served enforce policy: "
		    "senders that apply it refuse mail to it.  Publish the "
		    "files of step 1 now ('mtasts-tui rollout next %s' "
		    "writes them: mta-sts.txt listing %s, and the new id)",
		    st->spec.domain, mx);
	else if (f->mode == POLICY_MODE_TESTING && r->warn == NULL)
		r->warn = xasprintf("an MX host is not listed in the served "
				    "policy: reports will show failures for "
				    "it; publish the files of step 1");
}

static void
change_hazard_host(const struct state *st, const struct change_facts *f,
    struct change_report *r)
{
	if (f->checked && !f->policy_valid && r->fixnow == NULL)
		r->fixnow = xasprintf("no valid policy is served for %s: "
				      "senders cannot refresh it; point "
				      "mta-sts.%s back at the old host",
		    st->spec.domain, st->spec.domain);
}

static void
change_hazard_max_age(const struct state *st, const struct change_facts *f,
    struct change_report *r)
{
	(void)st;
	if (f->policy_valid && !f->enforce_healthy && r->warn == NULL)
		r->warn = xstrdup("enforce is not healthy (see 'mtasts-tui "
				  "check'): a long max_age keeps a broken "
				  "policy in senders' caches; fix it first");
}

/*
 * Mail refused now, before the fix is live: its files, in order.  An id
 * published before the body is step 2's "early" text, said instead.
 */
static void
change_hazard_fix(const struct state *st, const struct change_facts *f,
    struct change_report *r)
{
	const char *d = st->spec.domain;
	char	   *diff;
	int	    body, id;

	diff = change_fix_body_diff(st, f);
	body = diff == NULL;
	free(diff);
	id = change_id_ok(st, 1, f);
	if (!f->refused || r->fixnow != NULL || (id && !body))
		return;
	if (!body)
		r->fixnow = xasprintf("mail to %s is refused now (see "
				      "'mtasts-tui check %s'): serve the "
				      "fixed mta-sts.txt, then publish its "
				      "new id ('mtasts-tui rollout next %s' "
				      "writes the files)",
		    d, d, d);
	else if (!id)
		r->fixnow = xasprintf("mail to %s is refused now: the fixed "
				      "policy is served; publish its new id "
				      "now ('mtasts-tui rollout next %s' "
				      "writes zone.txt)",
		    d, d);
	else
		r->fixnow = xasprintf("mail to %s is still refused with the "
				      "fixed policy and its id live: see "
				      "'mtasts-tui check %s'",
		    d, d);
}

/* --- judging ---------------------------------------------------------- */

static long
change_days(long long secs)
{
	return secs <= 0 ? 0 : (long)((secs + 86399) / 86400);
}

long
change_step_ready(const struct state *st, size_t step)
{
	const struct change_params *p = st->change;
	const struct change_step   *s = &change_def(p->kind)->steps[step];
	long long		    age;

	if (step == 0)
		return st->sched.created;
	if (p->seen[step - 1] == -1)
		return -1;
	age = p->old_max_age;
	if (s->wait == WAIT_LONGER && p->new_max_age > age)
		age = p->new_max_age;
	/*
	 * A sender may have fetched the old policy late on the day before
	 * the step was seen: one day more.
	 */
	return p->seen[step - 1] +
	    (s->wait == WAIT_NONE ? 0 : change_days(age) + 1);
}

/* As change_step_ready, counting unseen steps as done on time. */
static long
change_step_estimate(const struct state *st, size_t step)
{
	const struct change_params *p = st->change;
	const struct change_step   *s = &change_def(p->kind)->steps[step];
	long			    prev;
	long long		    age;

	if (step == 0)
		return st->sched.created;
	prev = p->seen[step - 1] != -1 ? p->seen[step - 1]
				       : change_step_estimate(st, step - 1);
	age = p->old_max_age;
	if (s->wait == WAIT_LONGER && p->new_max_age > age)
		age = p->new_max_age;
	return prev + (s->wait == WAIT_NONE ? 0 : change_days(age) + 1);
}

size_t
change_milestones(const struct state *st, struct ics_event *ev, size_t max)
{
	const struct change_kind_def *k = change_def(st->change->kind);
	size_t			      i;

	for (i = 0; i < k->nsteps && i < max; i++) {
		ev[i].key = k->steps[i].key;
		ev[i].start = ev[i].end = change_step_estimate(st, i);
		ev[i].title = xasprintf("%s: %s", k->title, k->steps[i].title);
		ev[i].help =
		    xasprintf("Not before this day: %s.", k->steps[i].help);
	}
	return i;
}

struct change_report *
change_judge(struct state *st, const struct change_facts *f, long today,
    int *dirty)
{
	const struct change_kind_def *k = change_def(st->change->kind);
	struct change_params	     *p = st->change;
	struct change_report	     *r;
	int			      live[CHANGE_MAX_STEPS] = { 0 };
	size_t			      i, j;
	long			      ready;
	char			      d[16], *why;

	r = xcalloc(1, sizeof(*r));
	r->today = today;
	r->nsteps = k->nsteps;
	r->next = -1;
	r->ready = -1;
	*dirty = 0;
	/* A plan that keeps no days is judged on what is live now alone. */
	for (i = 0; !k->days_kept && i < k->nsteps; i++)
		p->seen[i] = -1;
	for (i = 0; i < k->nsteps; i++) {
		if (!f->checked) {
			r->why[i] = xstrdup("no live check could be made");
			continue;
		}
		live[i] = k->steps[i].live(st, i, f, &r->why[i]);
	}
	/* Mail refused now by what is served comes first. */
	if (k->hazard != NULL && f->checked)
		k->hazard(st, f, r);
	/*
	 * In order, since a step's wait counts from the day the step before
	 * it was first seen done.  A step live before its wait is over was
	 * done too early: it is not done, and it is a fix now.
	 */
	for (i = 0; i < k->nsteps; i++) {
		ready = change_step_ready(st, i);
		if (live[i] && k->steps[i].early != NULL &&
		    (ready == -1 || today < ready)) {
			live[i] = 0;
			schedule_date_format(ready, d, sizeof(d));
			if (r->fixnow == NULL)
				r->fixnow = xasprintf("%s (%s%s)",
				    k->steps[i].early,
				    ready == -1 ? "the step before it is not "
						  "done"
						: "safe from ",
				    ready == -1 ? "" : d);
			why = r->why[i];
			r->why[i] = xasprintf("too early: %s", why);
			free(why);
		}
		if (live[i] && p->seen[i] == -1) {
			p->seen[i] = today;
			*dirty = k->days_kept;
		}
	}
	for (i = 0; i < k->nsteps; i++) {
		int kept = 0;

		/* Done before, and a later step is live: it stays done. */
		for (j = i + 1; j < k->nsteps && !live[i]; j++)
			if (live[j] && p->seen[i] != -1)
				kept = 1;
		r->status[i] = live[i] || kept ? CHANGE_DONE : CHANGE_NOT_DONE;
		if (kept) {
			schedule_date_format(p->seen[i], d, sizeof(d));
			free(r->why[i]);
			r->why[i] = xasprintf("seen done on %s", d);
		}
	}
	for (i = 0; i < k->nsteps; i++)
		if (r->status[i] != CHANGE_DONE) {
			r->next = (int)i;
			break;
		}
	/* The first step that must wait says so, unless a fix comes first. */
	for (i = 0; i < k->nsteps && r->fixnow == NULL; i++) {
		if (r->status[i] == CHANGE_DONE || k->steps[i].hold == NULL)
			continue;
		ready = change_step_ready(st, i);
		schedule_date_format(ready, d, sizeof(d));
		if (ready == -1)
			r->hold = xasprintf("until step %zu is done and its "
					    "wait is over: %s",
			    i, k->steps[i].hold);
		else if (today < ready)
			r->hold =
			    xasprintf("until %s: %s", d, k->steps[i].hold);
		break;
	}
	if (r->next != -1) {
		r->ready = change_step_ready(st, (size_t)r->next);
		if (r->ready > today)
			r->status[r->next] = CHANGE_WAITING;
	}
	return r;
}

void
change_report_free(struct change_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < CHANGE_MAX_STEPS; i++)
		free(r->why[i]);
	free(r->fixnow);
	free(r->warn);
	free(r->hold);
	free(r);
}

int
change_report_exit(const struct change_report *r)
{
	if (r->fixnow != NULL)
		return 2;
	return r->warn != NULL ? 1 : 0;
}

static const char *
change_status_name(enum change_status s)
{
	return s == CHANGE_DONE	  ? "done"
	    : s == CHANGE_WAITING ? "waiting"
				  : "not done";
}

/* The parameters in one line: "mx1 -> mx2", "max_age 31557600". */
static char *
change_params_line(const struct state *st)
{
	const struct change_params *p = st->change;

	switch (p->kind) {
	case CHANGE_MX:
		return xasprintf("new MX %s%s%s", p->new_mx,
		    p->old_mx != NULL ? ", replacing " : "",
		    p->old_mx != NULL ? p->old_mx : "");
	case CHANGE_HOST:
		return xasprintf("policy host to %s",
		    p->new_cname != NULL ? p->new_cname : p->new_addr);
	case CHANGE_FIX:
		return xasprintf("mode %s, max_age %lld, new id %s",
		    policy_mode_name(st->spec.mode), st->spec.max_age,
		    st->spec.id != NULL ? st->spec.id : "(none)");
	case CHANGE_REMOVE:
	case CHANGE_MAX_AGE:
	default:
		return xasprintf("new max_age %lld", p->new_max_age);
	}
}

char *
change_report_next(const struct state *st, const struct change_report *r)
{
	const struct change_step *s;
	char			  d[16];

	if (r->next == -1)
		return NULL;
	s = &change_def(st->change->kind)->steps[r->next];
	if (r->ready == -1)
		return xasprintf("%s: after the step before it is done",
		    s->title);
	schedule_date_format(r->ready, d, sizeof(d));
	if (r->ready > r->today)
		return xasprintf("%s: not before %s: senders may hold the "
				 "old policy (max_age %lld s) until then; "
				 "change nothing before that day",
		    s->title, d, st->change->old_max_age);
	return xasprintf("%s: %s%s", s->title, s->help,
	    s->publish != NULL ? " ('mtasts-tui rollout next' writes the "
				 "files)"
			       : "");
}

char *
change_report_text(const struct state *st, const struct change_report *r)
{
	const struct change_kind_def *k = change_def(st->change->kind);
	struct strbuf		      sb;
	char			      d[16], *line, *next;
	size_t			      i;

	strbuf_init(&sb, CHANGE_TEXT_MAX);
	schedule_date_format(st->sched.created, d, sizeof(d));
	line = change_params_line(st);
	strbuf_addf(&sb, "%s plan for %s (%s), made %s\n", k->title,
	    st->spec.domain, line, d);
	free(line);
	if (r->fixnow != NULL)
		strbuf_addf(&sb, "FIX NOW: %s\n", r->fixnow);
	if (r->warn != NULL)
		strbuf_addf(&sb, "Warning: %s\n", r->warn);
	if (r->hold != NULL)
		strbuf_addf(&sb, "Hold %s\n", r->hold);
	for (i = 0; i < r->nsteps; i++) {
		strbuf_addf(&sb, "%zu. %-50s %s", i + 1, k->steps[i].title,
		    change_status_name(r->status[i]));
		if (r->why[i] != NULL)
			strbuf_addf(&sb, ": %s", r->why[i]);
		strbuf_addc(&sb, '\n');
	}
	if ((next = change_report_next(st, r)) != NULL)
		strbuf_addf(&sb, "Next: %s\n", next);
	else
		strbuf_addstr(&sb, "Every step is done.\n");
	free(next);
	return strbuf_detach(&sb, NULL);
}

char *
change_report_json(const struct state *st, const struct change_report *r)
{
	const struct change_kind_def *k = change_def(st->change->kind);
	struct jsonw		     *w;
	char			      d[16], *next, *text;
	size_t			      i;
	long			      ready;

	w = jsonw_new(1);
	jsonw_object_begin(w, NULL);
	jsonw_string(w, "domain", st->spec.domain);
	jsonw_string(w, "change", k->name);
	schedule_date_format(st->sched.created, d, sizeof(d));
	jsonw_string(w, "created", d);
	schedule_date_format(r->today, d, sizeof(d));
	jsonw_string(w, "today", d);
	if (r->fixnow != NULL)
		jsonw_string(w, "fix_now", r->fixnow);
	else
		jsonw_null(w, "fix_now");
	if (r->warn != NULL)
		jsonw_string(w, "warning", r->warn);
	else
		jsonw_null(w, "warning");
	if (r->hold != NULL)
		jsonw_string(w, "hold", r->hold);
	else
		jsonw_null(w, "hold");
	jsonw_array_begin(w, "steps");
	for (i = 0; i < r->nsteps; i++) {
		jsonw_object_begin(w, NULL);
		jsonw_string(w, "step", k->steps[i].key);
		jsonw_string(w, "title", k->steps[i].title);
		jsonw_string(w, "status",
		    r->status[i] == CHANGE_DONE		 ? "done"
			: r->status[i] == CHANGE_WAITING ? "waiting"
							 : "not_done");
		if (r->why[i] != NULL)
			jsonw_string(w, "why", r->why[i]);
		ready = change_step_ready(st, i);
		if (ready != -1) {
			schedule_date_format(ready, d, sizeof(d));
			jsonw_string(w, "not_before", d);
		} else
			jsonw_null(w, "not_before");
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	if ((next = change_report_next(st, r)) != NULL) {
		jsonw_object_begin(w, "next");
		jsonw_string(w, "step", k->steps[r->next].key);
		jsonw_string(w, "text", next);
		jsonw_object_end(w);
	} else
		jsonw_null(w, "next");
	free(next);
	jsonw_object_end(w);
	text = jsonw_finish(w, NULL);
	jsonw_free(w);
	return text;
}

int
change_step_spec(struct state *st, size_t step, struct gen_spec *out,
    long today, time_t now)
{
	const struct change_step *s =
	    &change_def(st->change->kind)->steps[step];
	const char **used;
	char	    *id;
	size_t	     n;

	gen_spec_copy(out, &st->spec);
	if (s->publish != NULL)
		s->publish(st->change, out);
	if (!s->new_id || st->change->step_id[step] != NULL) {
		if (st->change->step_id[step] != NULL)
			gen_spec_set_id(out, st->change->step_id[step]);
		return 0;
	}
	used = state_ids(st, &n);
	id = id_new(now, used, n);
	free(used);
	state_add_id(st, id, out->mode, out->max_age, today);
	/* state_add_id moved the plan's id; the plan keeps the served one. */
	gen_spec_set_id(&st->spec, st->change->start_id);
	st->change->step_id[step] = id;
	gen_spec_set_id(out, id);
	return 1;
}
