#include "config.h"
#include "draft.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "domain.h"
#include "id.h"
#include "mx_lookup.h"
#include "mx_match.h"
#include "mx_tls.h"
#include "policy_parse.h"
#include "schedule.h"
#include "state.h"
#include "strbuf.h"
#include "sts_record.h"
#include "tlsrpt_record.h"
#include "verdict.h"
#include "xmalloc.h"

static void  draft_live(struct wizard_draft *, const struct check *);
static char *draft_wildcard(const struct wizard_live *);

struct wizard_draft *
wizard_draft_new(const char *domain, const char *state_dir, const char *out_dir,
    int force, char **cause)
{
	struct wizard_draft *d = xcalloc(1, sizeof(*d));

	d->domain = xstrdup(domain);
	gen_spec_init(&d->spec, domain);
	gen_spec_init(&d->base, domain);
	gen_spec_init(&d->served, domain);
	d->served_cause = xasprintf("nothing was checked on %s", domain);
	change_params_init(&d->change, CHANGE_MAX_AGE);
	d->force = force;
	d->dir =
	    out_dir != NULL ? xstrdup(out_dir) : output_default_dir(domain);
	d->state_path = state_path(state_dir, domain);
	if ((d->today = schedule_today(cause)) == -1 ||
	    state_load(d->state_path, &d->prev, cause) == -1) {
		wizard_draft_free(d);
		return NULL;
	}
	d->now = schedule_now();
	return d;
}

static void
draft_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
wizard_draft_free(struct wizard_draft *d)
{
	if (d == NULL)
		return;
	draft_strv_free(d->live.patterns, d->live.npatterns);
	draft_strv_free(d->live.mx, d->live.nmx);
	free(d->live.mx_bad);
	free(d->live.sts_id);
	free(d->live.delivery);
	free(d->live.next);
	gen_spec_free(&d->spec);
	gen_spec_free(&d->base);
	state_free(d->prev);
	free(d->state_path);
	free(d->dir);
	free(d->wildcard);
	gen_spec_free(&d->served);
	free(d->served_cause);
	free(d->only_mx);
	change_params_free(&d->change);
	free(d->domain);
	free(d);
}

int
wizard_mx_failing(const struct mx_tls_result *res, const char *host)
{
	const struct mx_tls_host *h;
	enum mx_tls_outcome	  o;
	enum finding_code	  code;
	const char		 *why;
	size_t			  i, j;

	if (res == NULL || mx_tls_port25_blocked(res))
		return 0;
	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		if (h->skipped || strcasecmp(h->name, host) != 0)
			continue;
		for (j = 0; j < h->naddrs; j++) {
			o = mx_tls_addr_outcome(&h->addrs[j], &code, &why);
			if (o == MX_TLS_OUTCOME_BAD ||
			    o == MX_TLS_OUTCOME_UNREACHABLE)
				return 1;
		}
	}
	return 0;
}

/* The copy of what the check saw. */
static void
draft_live(struct wizard_draft *d, const struct check *c)
{
	struct wizard_live	   *l = &d->live;
	const struct policy	   *p = check_policy(c);
	const struct mx_set	   *mx = check_mx(c);
	const struct tlsrpt_record *rpt = check_tlsrpt_record(c);
	const struct sts_record	   *sts = check_sts_record(c);
	const struct verdict	   *v = check_verdict(c);
	size_t			    i;

	if (sts != NULL && sts->status != STS_RECORD_NONE) {
		l->sts = sts->valid ? WIZARD_SEEN_VALID : WIZARD_SEEN_INVALID;
		if (sts->valid)
			l->sts_id = xstrdup(sts->id);
	}
	if (p != NULL) {
		l->policy = p->valid ? WIZARD_SEEN_VALID : WIZARD_SEEN_INVALID;
		if (p->valid) {
			l->mode = p->mode;
			l->max_age = p->max_age;
			l->patterns = xcalloc(p->nmx + 1, sizeof(*l->patterns));
			for (i = 0; i < p->nmx; i++)
				l->patterns[i] = xstrdup(p->mx[i].pattern);
			l->npatterns = p->nmx;
		}
	}
	if (rpt != NULL && rpt->status != TLSRPT_RECORD_NONE)
		l->tlsrpt =
		    rpt->usable ? WIZARD_SEEN_VALID : WIZARD_SEEN_INVALID;
	if (v != NULL && v->delivery != NULL) {
		l->delivery = xstrdup(v->delivery);
		l->next = xstrdup(v->next != NULL ? v->next : "");
	}
	l->enforce_ready = v != NULL && v->enforce_ready;
	l->fixable = v != NULL && !v->enforce_ready && v->nblockers > 0;
	for (i = 0; l->fixable && i < v->nblockers; i++)
		if (v->blockers[i].code != FINDING_MX_UNCOVERED)
			l->fixable = 0;
	l->deployed = l->sts != WIZARD_SEEN_NONE || p != NULL;
	if (mx != NULL && !mx->null_mx) {
		l->mx = xcalloc(mx->nhost + 1, sizeof(*l->mx));
		l->mx_bad = xcalloc(mx->nhost + 1, sizeof(*l->mx_bad));
		for (i = 0; i < mx->nhost; i++) {
			if (mx->host[i].ip_literal)
				continue;
			l->mx_bad[l->nmx] = wizard_mx_failing(check_mx_tls(c),
			    mx->host[i].name);
			l->mx[l->nmx++] = xstrdup(mx->host[i].name);
		}
	}
}

/* "*.parent" when two MX hosts or more share a parent below a TLD. */
static char *
draft_wildcard(const struct wizard_live *l)
{
	const char *parent, *q;
	size_t	    i, j, shared;

	for (i = 0; i < l->nmx; i++) {
		if ((parent = strchr(l->mx[i], '.')) == NULL)
			continue;
		for (j = 0, shared = 0; j < l->nmx; j++)
			if ((q = strchr(l->mx[j], '.')) != NULL &&
			    strcasecmp(q, parent) == 0)
				shared++;
		if (shared >= 2 && strchr(parent + 1, '.') != NULL)
			return xasprintf("*%s", parent);
	}
	return NULL;
}

/* The plan's settings: patterns, mode, max_age, rua, id and hosting. */
static void
draft_from_plan(struct wizard_draft *d)
{
	gen_spec_free(&d->spec);
	gen_spec_copy(&d->spec, &d->prev->spec);
	if (d->spec.cname != NULL)
		d->hosting = WIZARD_HOSTING_CNAME;
	else if (d->spec.naddr > 0)
		d->hosting = WIZARD_HOSTING_ADDR;
}

/* What is deployed: its patterns (else the MX hosts), rua and mode. */
static void
draft_from_live(struct wizard_draft *d, const struct check *c)
{
	const struct tlsrpt_record *rpt =
	    c != NULL ? check_tlsrpt_record(c) : NULL;
	struct wizard_live *l = &d->live;
	size_t		    i;

	if (l->policy == WIZARD_SEEN_VALID && l->npatterns > 0) {
		for (i = 0; i < l->npatterns; i++)
			gen_spec_add_mx(&d->spec, l->patterns[i]);
	} else {
		for (i = 0; i < l->nmx && i < GEN_MAX_MX; i++)
			gen_spec_add_mx(&d->spec, l->mx[i]);
	}
	if (rpt != NULL && rpt->usable) {
		for (i = 0; i < rpt->nuris; i++)
			if (rpt->uris[i].usable)
				gen_spec_add_rua(&d->spec, rpt->uris[i].uri);
	}
	/* An enforced domain stays enforced; the rest starts in testing. */
	d->spec.mode =
	    l->policy == WIZARD_SEEN_VALID && l->mode == POLICY_MODE_ENFORCE
	    ? POLICY_MODE_ENFORCE
	    : POLICY_MODE_TESTING;
	d->spec.max_age = l->policy == WIZARD_SEEN_VALID &&
		l->mode == d->spec.mode && l->max_age >= 86400 &&
		l->max_age <= GEN_MAX_AGE_FINAL
	    ? l->max_age
	    : d->spec.mode == POLICY_MODE_ENFORCE ? GEN_MAX_AGE_ENFORCE
						  : GEN_MAX_AGE_TESTING;
}

void
wizard_draft_prefill(struct wizard_draft *d, const struct check *c)
{
	char *u;

	if (c != NULL) {
		draft_live(d, c);
		wizard_draft_change_served(d, c);
	}
	d->wildcard = draft_wildcard(&d->live);
	if (d->prev != NULL)
		draft_from_plan(d);
	else
		draft_from_live(d, c);
	if (d->spec.nrua == 0) {
		u = xasprintf("mailto:tlsrpt@%s", d->domain);
		gen_spec_add_rua(&d->spec, u);
		free(u);
	}
	/* What a weakening is measured against. */
	gen_spec_free(&d->base);
	gen_spec_copy(&d->base, &d->spec);
	d->has_base = d->prev != NULL || d->live.policy == WIZARD_SEEN_VALID;
}

void
wizard_draft_set_mode(struct wizard_draft *d, enum policy_mode mode)
{
	d->spec.mode = mode;
	if (d->max_age_set)
		return;
	if (d->has_base && d->base.mode == mode)
		d->spec.max_age = d->base.max_age;
	else
		d->spec.max_age = mode == POLICY_MODE_ENFORCE
		    ? GEN_MAX_AGE_ENFORCE
		    : GEN_MAX_AGE_TESTING;
}

/* A mode's strength: none < testing < enforce. */
static int
draft_mode_rank(enum policy_mode m)
{
	return m == POLICY_MODE_ENFORCE ? 2 : m == POLICY_MODE_TESTING ? 1 : 0;
}

static int
draft_has_pattern(const struct gen_spec *s, const char *p)
{
	size_t i;

	for (i = 0; i < s->nmx; i++)
		if (strcasecmp(s->mx[i], p) == 0)
			return 1;
	return 0;
}

char *
wizard_draft_weakened(const struct wizard_draft *d)
{
	const struct gen_spec *b = &d->base, *s = &d->spec;
	const char   *from = d->prev != NULL ? "the plan" : "the live policy";
	struct strbuf out;
	size_t	      i;

	if (!d->has_base)
		return NULL;
	strbuf_init(&out, 4096);
	if (draft_mode_rank(s->mode) < draft_mode_rank(b->mode))
		strbuf_addf(&out, "mode %s is weaker than %s's %s\n",
		    policy_mode_name(s->mode), from, policy_mode_name(b->mode));
	if (s->max_age < b->max_age)
		strbuf_addf(&out, "max_age %lld is shorter than %s's %lld\n",
		    s->max_age, from, b->max_age);
	for (i = 0; i < b->nmx; i++)
		if (strncmp(b->mx[i], "*.", 2) == 0 &&
		    !draft_has_pattern(s, b->mx[i]))
			strbuf_addf(&out, "the wildcard %s of %s is dropped\n",
			    b->mx[i], from);
	if (out.len == 0) {
		strbuf_free(&out);
		return NULL;
	}
	return strbuf_detach(&out, NULL);
}

int
wizard_draft_set_max_age(struct wizard_draft *d, const char *v)
{
	d->spec.max_age = strtoll(v, NULL, 10);
	d->max_age_set = 1;
	return 0;
}

int
wizard_draft_add_mx(struct wizard_draft *d, const char *pattern)
{
	return gen_spec_add_mx(&d->spec, pattern);
}

int
wizard_draft_add_rua(struct wizard_draft *d, const char *uri)
{
	return gen_spec_add_rua(&d->spec, uri);
}

int
wizard_draft_use_wildcard(struct wizard_draft *d)
{
	size_t i;

	if (d->wildcard == NULL)
		return 0;
	for (i = d->spec.nmx; i > 0; i--)
		if (mx_match(d->wildcard, d->spec.mx[i - 1]) ==
		    MX_MATCH_WILDCARD)
			wizard_list_del(d->spec.mx, &d->spec.nmx, i - 1);
	gen_spec_add_mx(&d->spec, d->wildcard);
	return 1;
}

long *
wizard_draft_coverage(const struct wizard_draft *d, size_t *uncovered)
{
	const char **pats;
	long	    *first;
	size_t	     i;

	pats = xcalloc(d->spec.nmx + 1, sizeof(*pats));
	for (i = 0; i < d->spec.nmx; i++)
		pats[i] = d->spec.mx[i];
	first = xcalloc(d->live.nmx + 1, sizeof(*first));
	mx_match_coverage((const char *const *)d->live.mx, d->live.nmx, pats,
	    d->spec.nmx, first, NULL);
	free(pats);
	*uncovered = 0;
	for (i = 0; i < d->live.nmx; i++)
		if (first[i] < 0)
			(*uncovered)++;
	return first;
}

int
wizard_draft_enforce_offered(const struct wizard_draft *d)
{
	const struct wizard_live *l = &d->live;
	long			 *first;
	size_t			  uncovered, i;
	int			  bad = 0;

	first = wizard_draft_coverage(d, &uncovered);
	free(first);
	for (i = 0; i < l->nmx; i++)
		bad |= l->mx_bad[i];
	return uncovered == 0 && !bad && (l->enforce_ready || l->fixable);
}

int
wizard_draft_is_fix(const struct wizard_draft *d)
{
	return d->live.policy == WIZARD_SEEN_VALID &&
	    d->live.mode == POLICY_MODE_ENFORCE && !d->live.enforce_ready &&
	    d->spec.mode == POLICY_MODE_ENFORCE &&
	    wizard_draft_enforce_offered(d);
}

int
wizard_draft_check_mx(const struct wizard_draft *d, char **cause)
{
	size_t i;

	if (d->spec.nmx == 0) {
		*cause = xstrdup("add at least one pattern");
		return -1;
	}
	for (i = 0; i < d->spec.nmx; i++)
		if (gen_validate_mx(d->spec.mx[i], cause) != 0)
			return -1;
	return 0;
}

/* Whether spec's policy body is mode, max_age and the patterns p[n]. */
static int
draft_same_body(const struct gen_spec *s, enum policy_mode mode,
    long long max_age, char *const *p, size_t n)
{
	size_t i;

	if (s->mode != mode || s->max_age != max_age || s->nmx != n)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(p[i], s->mx[i]) != 0)
			return 0;
	return 1;
}

void
wizard_draft_choose_id(struct wizard_draft *d)
{
	const struct wizard_live *l = &d->live;
	const struct gen_spec	 *ps = d->prev != NULL ? &d->prev->spec : NULL;
	const char		**used;
	char			 *id;
	size_t			  n, i;

	/* The id served with the same body, else the plan's for its body. */
	if (l->policy == WIZARD_SEEN_VALID && l->sts == WIZARD_SEEN_VALID &&
	    draft_same_body(&d->spec, l->mode, l->max_age, l->patterns,
		l->npatterns)) {
		d->id_kept = 1;
		gen_spec_set_id(&d->spec, l->sts_id);
		return;
	}
	if (ps != NULL && ps->id != NULL &&
	    (l->sts != WIZARD_SEEN_VALID || strcmp(ps->id, l->sts_id) != 0) &&
	    draft_same_body(&d->spec, ps->mode, ps->max_age, ps->mx, ps->nmx)) {
		d->id_kept = 1;
		gen_spec_set_id(&d->spec, ps->id);
		return;
	}
	d->id_kept = 0;
	n = d->prev != NULL ? d->prev->nids : 0;
	used = xcalloc(n + 2, sizeof(*used));
	for (i = 0; i < n; i++)
		used[i] = d->prev->ids[i].id;
	if (l->sts == WIZARD_SEEN_VALID)
		used[n++] = l->sts_id;
	id = id_new(d->now, used, n);
	gen_spec_set_id(&d->spec, id);
	free(id);
	free(used);
}

void
wizard_draft_host_none(struct wizard_draft *d)
{
	d->hosting = WIZARD_HOSTING_NONE;
	gen_spec_set_cname(&d->spec, NULL);
	while (d->spec.naddr > 0)
		wizard_list_del(d->spec.addr, &d->spec.naddr, 0);
}

int
wizard_draft_host_addr(struct wizard_draft *d, const char *addr)
{
	d->hosting = WIZARD_HOSTING_ADDR;
	gen_spec_set_cname(&d->spec, NULL);
	return addr != NULL ? gen_spec_add_addr(&d->spec, addr) : 0;
}

int
wizard_draft_host_cname(struct wizard_draft *d, const char *target)
{
	wizard_draft_host_none(d);
	d->hosting = WIZARD_HOSTING_CNAME;
	gen_spec_set_cname(&d->spec, target);
	return 0;
}

int
wizard_draft_set_dir(struct wizard_draft *d, const char *dir)
{
	free(d->dir);
	d->dir = xstrdup(dir);
	return 0;
}

void
wizard_list_del(char **v, size_t *n, size_t i)
{
	if (i >= *n)
		return;
	free(v[i]);
	memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
	(*n)--;
}

unsigned
wizard_draft_existing(const struct wizard_draft *d, unsigned *differ)
{
	struct schedule sched;

	schedule_make(&sched, d->today);
	return output_existing(d->dir, &d->spec, &sched, differ);
}

struct state *
wizard_draft_plan(const struct wizard_draft *d)
{
	struct state *st;
	size_t	      i;

	st = state_new(&d->spec, d->today);
	if (wizard_draft_is_fix(d))
		st->kind = STATE_KIND_FIX;
	/* The old ids stay, so none is handed out twice. */
	for (i = 0; d->prev != NULL && i < d->prev->nids; i++)
		state_add_id(st, d->prev->ids[i].id, d->prev->ids[i].mode,
		    d->prev->ids[i].max_age, d->prev->ids[i].day);
	for (i = 0; i < st->nids; i++)
		if (strcmp(st->ids[i].id, d->spec.id) == 0)
			break;
	if (i == st->nids) /* a kept id may be recorded already */
		state_add_id(st, d->spec.id, d->spec.mode, d->spec.max_age,
		    d->today);
	gen_spec_set_id(&st->spec, d->spec.id);
	return st;
}

int
wizard_draft_write(struct wizard_draft *d, output_replace_cb ask, void *arg,
    char **cause)
{
	struct state  *st;
	enum gen_field field;
	char	      *why;
	int	       rc = -1;

	if (gen_validate(&d->spec, &field, &why, NULL) != 0) {
		*cause = xasprintf("not written: %s", why);
		free(why);
		return -1;
	}
	st = wizard_draft_plan(d);
	if (output_write_all(d->dir, &d->spec, &st->sched, d->force, ask, arg,
		cause) == 0 &&
	    state_save(st, d->state_path, cause) == 0)
		rc = 0;
	state_free(st);
	return rc;
}

char *
wizard_draft_summary(const struct wizard_draft *d)
{
	struct strbuf	b;
	struct schedule sched;
	char		d1[16], d2[16], *txt;
	size_t		i;

	strbuf_init(&b, 65536);
	strbuf_addf(&b, "Written into %s/:\n", d->dir);
	for (i = 0; i < GEN_FORMAT__COUNT; i++)
		strbuf_addf(&b, "  %s\n", gen_format_file(i));
	if (wizard_draft_is_fix(d)) {
		/* Senders refuse mail now: no phases to wait for. */
		txt = gen_sts_txt(&d->spec);
		strbuf_addf(&b,
		    "Fix plan saved in %s:\n"
		    "  1. serve the new %s/mta-sts.txt at "
		    "https://mta-sts.%s/.well-known/mta-sts.txt\n"
		    "  2. then publish the new id from %s/zone.txt: "
		    "_mta-sts.%s. TXT \"%s\"\n"
		    "  3. verify: 'mtasts-tui check %s' says enforce is safe\n",
		    d->state_path, d->dir, d->domain, d->dir, d->domain, txt,
		    d->domain);
		free(txt);
		return strbuf_detach(&b, NULL);
	}
	strbuf_addf(&b, "Rollout plan saved in %s:\n", d->state_path);
	schedule_make(&sched, d->today);
	for (i = 0; i < SCHEDULE__COUNT; i++) {
		schedule_date_format(sched.phase[i].start, d1, sizeof(d1));
		schedule_date_format(sched.phase[i].end, d2, sizeof(d2));
		strbuf_addf(&b, "  %zu. %-36s %s .. %s\n", i + 1,
		    schedule_phase_title(i), d1, d2);
	}
	strbuf_addf(&b,
	    "Serve mta-sts.txt first, then publish zone.txt; "
	    "'mtasts-tui rollout status %s' says what is next.\n",
	    d->domain);
	return strbuf_detach(&b, NULL);
}

int
wizard_valid_addr(const char *a, char **cause)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, a, buf) == 1 || inet_pton(AF_INET6, a, buf) == 1)
		return 0;
	*cause = xasprintf("'%s' is not an IPv4 or IPv6 address", a);
	return -1;
}

int
wizard_valid_cname(const char *name, char **cause)
{
	return domain_check_ldh(name, 1, cause);
}

int
wizard_valid_max_age(const char *v, char **cause)
{
	char	 *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (*v == '\0' || errno != 0 || *end != '\0' || n < 86400 ||
	    n > GEN_MAX_AGE_FINAL) {
		*cause = xasprintf("a number of seconds from 86400 (a day) to "
				   "%d (a year)",
		    GEN_MAX_AGE_FINAL);
		return -1;
	}
	return 0;
}

int
wizard_valid_dir(const char *v, char **cause)
{
	if (*v == '\0') {
		*cause = xstrdup("a directory name");
		return -1;
	}
	return 0;
}
