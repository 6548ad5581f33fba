/*
 * layer_auth: the authoritative view (--auth).  The zone's name servers
 * asked directly (auth_ns), compared with each other and with the
 * resolver (auth_compare); and, from the local history, until when
 * senders may still use an older policy.  LAYER_OPTIONAL: it runs only
 * when asked, and is not shown at all otherwise.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth_compare.h"
#include "auth_ns.h"
#include "budget.h"
#include "history.h"
#include "jsonw.h"
#include "report_json.h"
#include "summary.h"
#include "xmalloc.h"

struct layer_auth_data {
	struct auth_result *r;
	struct auth_tally   t;
};

static void
layer_auth_free(void *p)
{
	struct layer_auth_data *d = p;

	auth_result_free(d->r);
	free(d);
}

static void
layer_auth_work(struct layer_job *job)
{
	struct layer_auth_data *d = job->out = xcalloc(1, sizeof(*d));

	d->r = auth_ns_run(&job->env->dns, job->env->domain, job->env->family,
	    job->env->scale, job->deadline);
	if (d->r->cut)
		finding_add(job->fl, FINDING_AUTH_CUT, job->env->domain, 0,
		    "the authoritative view was cut by the layer's deadline: "
		    "servers not asked by then are not compared");
}

static int
layer_auth_judge(struct check *c, struct layer_job *job)
{
	struct layer_auth_data *d = check_layer_take(c, CHECK_AUTH, job);

	if (d != NULL)
		auth_compare(d->r, check_domain(c),
		    check_layer_fl(c, CHECK_AUTH), &d->t);
	check_layer_finish(c, CHECK_AUTH,
	    check_layer_elapsed_ms(c, CHECK_AUTH));
	return 1;
}

const struct auth_result *
check_auth(const struct check *c)
{
	const struct layer_auth_data *d = check_layer_data(c, CHECK_AUTH);

	return d != NULL ? d->r : NULL;
}

/*
 * Senders that fetched a policy before this run may use it until the
 * history says (the latest fetch + its max_age); 0 when none is on record
 * or it has run out.
 */
static time_t
layer_auth_hold(const struct check *c, long long *max_age, const char **id)
{
	const struct history_result *h = check_history(c);

	if (h == NULL || !h->had_previous ||
	    h->prev_hold_until <= check_time(c))
		return 0;
	/* The policy served now is not an older one. */
	if (h->prev_id != NULL && h->id != NULL &&
	    strcmp(h->prev_id, h->id) == 0 && h->prev_sha256 != NULL &&
	    h->sha256 != NULL && strcmp(h->prev_sha256, h->sha256) == 0)
		return 0;
	*max_age = h->prev_hold_max_age;
	*id = h->prev_id;
	return h->prev_hold_until;
}

static char *
layer_auth_date(time_t t)
{
	struct tm tm;
	char	  buf[32];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm) == 0)
		return xstrdup("?");
	return xstrdup(buf);
}

static void
layer_auth_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct layer_auth_data *d = check_layer_data(c, CHECK_AUTH);
	const struct auth_server     *v;
	const char		     *id = NULL;
	long long		      max_age = 0;
	time_t			      hold;
	size_t			      i;
	char			     *raw, *sts, *date, *age;

	if (d == NULL)
		return;
	if (d->r->apex == NULL) {
		summary_add(s, "zone not found: %s",
		    d->r->error != NULL ? d->r->error : "?");
		return;
	}
	summary_add(s, "zone %s: %zu name server%s, %zu address%s asked",
	    d->r->apex, d->r->nns, d->r->nns == 1 ? "" : "s", d->r->nsrv,
	    d->r->nsrv == 1 ? "" : "es");
	for (i = 0; i < d->r->nsrv && s->n + 3 < SUMMARY_MAX_LINES; i++) {
		v = &d->r->srv[i];
		if (v->state != AUTH_SERVER_OK) {
			summary_add(s, "%s %s: %s, %s", v->name, v->addr,
			    auth_state_name(v->state), v->why);
			continue;
		}
		raw = auth_rrset_text(&v->q[AUTH_Q_STS]);
		sts = summary_clean(raw, strlen(raw), ascii);
		if (v->has_serial)
			summary_add(s, "%s %s serial %u: %s", v->name, v->addr,
			    v->serial, sts);
		else
			summary_add(s, "%s %s (no SOA): %s", v->name, v->addr,
			    sts);
		free(sts);
		free(raw);
	}
	if (d->t.ok > 0 && d->t.disagree == 0 && d->t.stale == 0)
		summary_add(s, "servers and resolver agree%s",
		    d->t.lame + d->t.unreachable > 0
			? " (less the servers above that did not answer)"
			: "");
	else if (d->t.ok > 0 && d->t.disagree > 0)
		summary_add(s, "servers disagree on %zu question%s%s",
		    d->t.disagree, d->t.disagree == 1 ? "" : "s",
		    d->t.stale > 0 ? "; the resolver holds an old answer" : "");
	else if (d->t.ok > 0)
		summary_add(s,
		    "servers agree; the resolver holds %zu old "
		    "answer%s",
		    d->t.stale, d->t.stale == 1 ? "" : "s");
	if ((hold = layer_auth_hold(c, &max_age, &id)) != 0) {
		date = layer_auth_date(hold);
		age = summary_duration(max_age);
		summary_add(s,
		    "senders may use an older policy%s%s until %s "
		    "(max_age %s)",
		    id != NULL ? " of id " : "", id != NULL ? id : "", date,
		    age);
		free(age);
		free(date);
	}
}

static void
layer_auth_json_rrset(struct jsonw *j, const char *key,
    const struct auth_rrset *a)
{
	size_t i;

	jsonw_object_begin(j, key);
	jsonw_string(j, "status", dns_status_name(a->status));
	jsonw_array_begin(j, "records");
	for (i = 0; i < a->n; i++)
		jsonw_string(j, NULL, a->rr[i]);
	jsonw_array_end(j);
	if (a->has_ttl)
		jsonw_uint(j, "ttl", a->ttl);
	else
		jsonw_null(j, "ttl");
	if (a->error != NULL)
		jsonw_string(j, "error", a->error);
	jsonw_object_end(j);
}

static void
layer_auth_json_answers(struct jsonw *j, const char *key,
    const struct auth_rrset *a)
{
	int q;

	jsonw_object_begin(j, key);
	for (q = 0; q < AUTH_Q__COUNT; q++)
		if (a[q].asked)
			layer_auth_json_rrset(j, auth_question(q)->key, &a[q]);
	jsonw_object_end(j);
}

static void
layer_auth_json(struct jsonw *j, const struct check *c)
{
	const struct layer_auth_data *d = check_layer_data(c, CHECK_AUTH);
	const struct auth_server     *v;
	const char		     *id = NULL;
	long long		      max_age = 0;
	time_t			      hold;
	size_t			      i;

	if (d == NULL)
		return;
	if (d->r->apex != NULL)
		jsonw_string(j, "apex", d->r->apex);
	else
		jsonw_null(j, "apex");
	if (d->r->error != NULL)
		jsonw_string(j, "error", d->r->error);
	jsonw_array_begin(j, "ns");
	for (i = 0; i < d->r->nns; i++)
		jsonw_string(j, NULL, d->r->ns[i]);
	jsonw_array_end(j);
	jsonw_array_begin(j, "servers");
	for (i = 0; i < d->r->nsrv; i++) {
		v = &d->r->srv[i];
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "name", v->name);
		jsonw_string(j, "address", v->addr);
		jsonw_string(j, "state", auth_state_name(v->state));
		if (v->why != NULL)
			jsonw_string(j, "why", v->why);
		if (v->has_serial)
			jsonw_uint(j, "serial", v->serial);
		else
			jsonw_null(j, "serial");
		jsonw_uint(j, "elapsed_ms", v->elapsed_ms);
		layer_auth_json_answers(j, "answers", v->q);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	layer_auth_json_answers(j, "resolver", d->r->resolver);
	jsonw_uint(j, "disagree", d->t.disagree);
	jsonw_uint(j, "resolver_stale", d->t.stale);
	if ((hold = layer_auth_hold(c, &max_age, &id)) != 0) {
		jsonw_object_begin(j, "older_policy");
		if (id != NULL)
			jsonw_string(j, "id", id);
		else
			jsonw_null(j, "id");
		report_json_time(j, "usable_until", hold);
		jsonw_int(j, "max_age", max_age);
		jsonw_object_end(j);
	} else
		jsonw_null(j, "older_policy");
}

const struct layer_class layer_auth_class = {
	.name = "auth",
	.flags = LAYER_OPTIONAL,
	.budget_ms = BUDGET_AUTH_LAYER_MS,
	.work = layer_auth_work,
	.judge = layer_auth_judge,
	.free = layer_auth_free,
	.cut_code = FINDING_AUTH_CUT,
	.cut_step = "the authoritative servers' answers",
	.summary = layer_auth_summary,
	.json = layer_auth_json,
};
