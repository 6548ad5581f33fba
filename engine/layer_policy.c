/*
 * layer_policy: the policy file, parsed from what the fetch brought back.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_json.h"
#include "jsonw.h"
#include "policy_fetch.h"
#include "policy_parse.h"
#include "report_json.h"
#include "sts_record.h"
#include "summary.h"
#include "xmalloc.h"

static void
layer_policy_summary(struct summary *s, const struct check *c, int ascii)
{
	const struct policy *p = check_policy(c);
	char		    *d;

	(void)ascii;
	if (p == NULL) {
		if (check_layer_skip_reason(c, CHECK_POLICY) != NULL)
			summary_add(s, "skipped: %s",
			    check_layer_skip_reason(c, CHECK_POLICY));
		return;
	}
	d = p->max_age >= 0 ? summary_duration(p->max_age) : xstrdup("missing");
	summary_add(s, "mode %s, %zu mx pattern%s, max_age %s%s",
	    policy_mode_name(p->mode), p->nmx, p->nmx == 1 ? "" : "s", d,
	    p->valid ? "" : " - INVALID: senders ignore it");
	free(d);
}

static void
layer_policy_json(struct jsonw *j, const struct check *c)
{
	if (check_policy(c) != NULL)
		report_json_policy(j, check_policy(c));
}

static void
layer_policy_free(void *p)
{
	policy_free(p);
}

/* The stored body through the same parser: the same policy, to the byte. */
static void *
layer_policy_load(const json_t *data, const json_t *doc, const struct check *c)
{
	struct finding_list *fl;
	struct policy	    *p;
	json_t		    *b;

	(void)doc;
	(void)c;
	if (data == NULL || !json_is_string(b = json_object_get(data, "body")))
		return NULL;
	fl = finding_list_new();
	p = policy_parse(json_string_value(b), json_string_length(b), NULL, fl);
	finding_list_free(fl);
	return p;
}

/* The policy layer parses what the fetch layer brought back. */
static int
layer_policy_judge(struct check *c, struct layer_job *job)
{
	const struct policy_fetch_result *r = check_fetch(c);
	struct timespec			  t0;

	(void)job;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (r == NULL || r->body == NULL) {
		check_layer_skip(c, CHECK_POLICY,
		    "no policy body was "
		    "fetched (see the fetch layer)");
		return 1;
	}
	check_layer_set_data(c, CHECK_POLICY,
	    policy_parse(r->body, r->body_len, r->url,
		check_layer_fl(c, CHECK_POLICY)));
	check_layer_finish(c, CHECK_POLICY, check_ms_since(&t0));
	return 1;
}

const struct policy *
check_policy(const struct check *c)
{
	return check_layer_data(c, CHECK_POLICY);
}

int
check_applied_mode(const struct check *c)
{
	const struct sts_record *sts = check_sts_record(c);
	const struct policy	*p = check_policy(c);

	if (sts == NULL || !sts->valid || p == NULL || !p->valid)
		return 0;
	return p->mode == POLICY_MODE_ENFORCE ? 2
	    : p->mode == POLICY_MODE_TESTING  ? 1
					      : 0;
}

const struct layer_class layer_policy_class = {
	.name = "policy",
	.needs = LAYER_BIT(CHECK_FETCH),
	.judge = layer_policy_judge,
	.free = layer_policy_free,
	.summary = layer_policy_summary,
	.json = layer_policy_json,
	.load = layer_policy_load,
};
