/*
 * draft_change: the wizard's entry for change plans (issue 13).  The
 * draft keeps a copy of what the check saw as served settings, so the
 * plan is made by change_plan_make(), the same rules and refusals as
 * 'rollout start --change', after the check itself is gone.
 */
#include "config.h"
#include "draft.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mx_lookup.h"
#include "state.h"
#include "xmalloc.h"

void
wizard_draft_change_served(struct wizard_draft *d, const struct check *c)
{
	const struct mx_set *mx = check_mx(c);

	gen_spec_free(&d->served);
	free(d->served_cause);
	d->served_cause = NULL;
	free(d->only_mx);
	d->only_mx = NULL;
	d->served_held = change_history_held(c);
	if (change_spec_from_facts(&d->served, d->domain, c,
		&d->served_cause) != 0)
		return;
	d->only_mx =
	    mx != NULL && mx->nhost == 1 ? xstrdup(mx->host[0].name) : NULL;
}

int
wizard_draft_change_offered(const struct wizard_draft *d, char **cause)
{
	if (d->served_cause == NULL)
		return 0;
	*cause = xstrdup(d->served_cause);
	return -1;
}

void
wizard_draft_change_kind(struct wizard_draft *d, enum change_kind k)
{
	change_params_free(&d->change);
	change_params_init(&d->change, k);
}

/* Replaces *slot by a copy of v (NULL or "" clears it). */
static int
draft_change_set(char **slot, const char *v)
{
	free(*slot);
	*slot = v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	return 0;
}

int
wizard_draft_change_new_mx(struct wizard_draft *d, const char *v)
{
	return draft_change_set(&d->change.new_mx, v);
}

int
wizard_draft_change_old_mx(struct wizard_draft *d, const char *v)
{
	return draft_change_set(&d->change.old_mx, v);
}

/* The new policy host is a CNAME or an address, never both. */
int
wizard_draft_change_cname(struct wizard_draft *d, const char *v)
{
	draft_change_set(&d->change.new_addr, NULL);
	return draft_change_set(&d->change.new_cname, v);
}

int
wizard_draft_change_addr(struct wizard_draft *d, const char *v)
{
	draft_change_set(&d->change.new_cname, NULL);
	return draft_change_set(&d->change.new_addr, v);
}

int
wizard_draft_change_max_age(struct wizard_draft *d, const char *v)
{
	d->change.new_max_age = strtoll(v, NULL, 10);
	return 0;
}

struct state *
wizard_draft_change_plan(const struct wizard_draft *d, char **cause)
{
	struct gen_spec served;
	struct state   *st;
	char	       *why;
	size_t		i;
	int		field;

	if (wizard_draft_change_offered(d, cause) != 0)
		return NULL;
	gen_spec_copy(&served, &d->served);
	for (i = 0; served.nrua == 0 && i < d->spec.nrua; i++)
		gen_spec_add_rua(&served, d->spec.rua[i]);
	st = change_plan_make(&served, d->only_mx, d->served_held, &d->change,
	    d->prev, d->today, &field, &why);
	gen_spec_free(&served);
	if (st != NULL)
		return st;
	/* The words of 'rollout start --change', without its options. */
	if (field != -1)
		*cause = xasprintf("what %s serves cannot be written back: %s; "
				   "no plan was made",
		    d->domain, why);
	else
		*cause = xasprintf("%s; no plan was made", why);
	free(why);
	return NULL;
}

int
wizard_draft_change_save(const struct wizard_draft *d, const struct state *st,
    char **cause)
{
	return state_save(st, d->state_path, cause);
}
