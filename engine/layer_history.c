/*
 * layer_history: the policy compared with the one seen on earlier runs.
 */
#include "config.h"
#include "layer.h"

#include <stdlib.h>
#include <time.h>
#include "history.h"
#include "jsonw.h"
#include "mx_lookup.h"
#include "policy_fetch.h"
#include "policy_parse.h"
#include "report_json.h"
#include "sts_record.h"

static void
layer_history_data(struct jsonw *j, const struct history_result *h)
{
	jsonw_string(j, "path", h->path);
	jsonw_bool(j, "had_previous", h->had_previous);
	jsonw_string(j, "previous_id", h->prev_id);
	jsonw_string(j, "previous_sha256", h->prev_sha256);
	report_json_time(j, "previous_seen", h->prev_seen);
	jsonw_string(j, "id", h->id);
	jsonw_string(j, "sha256", h->sha256);
	jsonw_bool(j, "written", h->written);
	jsonw_string(j, "error", h->error);
}

static void
layer_history_json(struct jsonw *j, const struct check *c)
{
	if (check_history(c) != NULL)
		layer_history_data(j, check_history(c));
}

static void
layer_history_free(void *p)
{
	history_result_free(p);
}

/* The policy and MX hosts go on record once every other layer is done. */
static int
layer_history_judge(struct check *c, struct layer_job *job)
{
	const struct layer_env	*env = check_env(c);
	const struct sts_record *sts = check_sts_record(c);
	const struct policy	*p = check_policy(c);
	const struct mx_set	*mx = check_mx(c);
	struct history_result	*h;
	const char		*body = NULL, *id = NULL, **names;
	size_t			 len = 0;
	struct timespec		 t0;

	(void)job;
	if (env->no_history) {
		check_layer_skip(c, CHECK_HISTORY, "--no-history");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sts != NULL && sts->valid)
		id = sts->id;
	if (p != NULL && p->valid) {
		body = check_fetch(c)->body;
		len = check_fetch(c)->body_len;
	}
	if (id == NULL || body == NULL || mx == NULL) {
		check_layer_skip(c, CHECK_HISTORY,
		    "no valid id and policy "
		    "to compare with earlier runs");
		return 1;
	}
	/* The MX hosts go on record; unused patterns meet the former ones. */
	names = mx_set_names(mx);
	h = history_update(env->history_dir, env->domain, id, body, len, names,
	    mx->nhost, p->max_age, env->now, check_layer_fl(c, CHECK_HISTORY));
	check_layer_set_data(c, CHECK_HISTORY, h);
	free(names);
	mx_lookup_stale(mx, h, env->domain, check_layer_fl(c, CHECK_MX));
	check_layer_finish(c, CHECK_HISTORY, check_ms_since(&t0));
	return 1;
}

const struct history_result *
check_history(const struct check *c)
{
	return check_layer_data(c, CHECK_HISTORY);
}

const struct layer_class layer_history_class = {
	.name = "history",
	.after = LAYER_ALL, /* history after coverage, after everything */
	.judge = layer_history_judge,
	.free = layer_history_free,
	.json = layer_history_json,
};
