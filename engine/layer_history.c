/*
 * layer_history: the policy compared with the one seen on earlier runs.
 */
#include "config.h"
#include "layer.h"

#include "history.h"
#include "jsonw.h"
#include "report_json.h"

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

const struct layer_class layer_history_class = {
	.name = "history",
	.needs = LAYER_BIT(CHECK_DNS) | LAYER_BIT(CHECK_FETCH) |
	    LAYER_BIT(CHECK_POLICY) | LAYER_BIT(CHECK_MX),
	.json = layer_history_json,
};
