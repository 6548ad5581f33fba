#include "config.h"
#include "cmd_export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_apply.h"
#include "cmd_check.h"
#include "domain.h"
#include "finding.h"
#include "msg.h"
#include "xmalloc.h"
#include "wizard/draft.h"
#include "wizard/gen.h"
#include "wizard/output.h"
#include "wizard/schedule.h"
#include "wizard/state.h"

static struct check *cmd_export_live(const struct cli_options *, const char *);
static int cmd_export_options(struct wizard_draft *, const struct cli_options *,
    int mode, long long max_age);

const char *
cmd_export_option(int field)
{
	switch (field) {
	case GEN_FIELD_DOMAIN:
		return "DOMAIN";
	case GEN_FIELD_MODE:
		return "--mode";
	case GEN_FIELD_MAX_AGE:
		return "--max-age";
	case GEN_FIELD_MX:
		return "--mx";
	case GEN_FIELD_RUA:
		return "--rua";
	case GEN_FIELD_ID:
		return "--id";
	case GEN_FIELD_ADDRESS:
		return "--policy-host-address";
	case GEN_FIELD_CNAME:
		return "--policy-host-cname";
	}
	return "?";
}

/* The live check the defaults start from, or NULL (said). */
static struct check *
cmd_export_live(const struct cli_options *opts, const char *domain)
{
	struct check_options co;
	struct check	    *c;
	char		    *cause;

	cmd_check_options(&co, opts);
	co.no_history = 1;
	if ((c = check_run_sync(domain, &co, NULL, NULL, &cause)) == NULL) {
		msg_error("%s", cause);
		free(cause);
	}
	return c;
}

/* The options given replace the defaults: 0, or -1 (said). */
static int
cmd_export_options(struct wizard_draft *d, const struct cli_options *opts,
    int mode, long long max_age)
{
	struct gen_spec *spec = &d->spec;
	size_t		 i, j;

	if (mode != -1)
		wizard_draft_set_mode(d, mode);
	if (max_age != -1) {
		spec->max_age = max_age;
		d->max_age_set = 1;
	}
	if (opts->nmx > 0)
		while (spec->nmx > 0)
			gen_spec_remove_mx(spec, 0);
	for (i = 0; i < (size_t)opts->nmx; i++)
		if (gen_spec_add_mx(spec, opts->mx[i]) != 0) {
			fprintf(stderr, "mtasts-tui: --mx: too many\n");
			return -1;
		}
	if (opts->nrua > 0)
		while (spec->nrua > 0)
			wizard_list_del(spec->rua, &spec->nrua, 0);
	for (i = 0; i < (size_t)opts->nrua; i++)
		if (gen_spec_add_rua(spec, opts->rua[i]) != 0) {
			fprintf(stderr, "mtasts-tui: --rua: at most %d\n",
			    GEN_MAX_RUA);
			return -1;
		}
	if (opts->nhost_addr > 0 || opts->host_cname != NULL)
		wizard_draft_host_none(d);
	for (i = 0; i < (size_t)opts->nhost_addr; i++)
		if (wizard_draft_host_addr(d, opts->host_addr[i]) != 0) {
			fprintf(stderr,
			    "mtasts-tui: --policy-host-address: "
			    "at most %d\n",
			    GEN_MAX_ADDR);
			return -1;
		}
	if (opts->host_cname != NULL)
		gen_spec_set_cname(spec, opts->host_cname);
	if (opts->id == NULL) {
		wizard_draft_choose_id(d);
		return 0;
	}
	for (j = 0; d->prev != NULL && j < d->prev->nids; j++)
		if (strcmp(d->prev->ids[j].id, opts->id) == 0) {
			msg_error("--id: '%s' was "
				  "handed out before (see the rollout "
				  "state); ids are never reused",
			    opts->id);
			return -1;
		}
	gen_spec_set_id(spec, opts->id);
	d->id_kept = 0;
	return 0;
}

struct wizard_draft *
cmd_export_draft(const struct cli_options *opts, const struct domain_name *dn)
{
	const char	    *domain = domain_name_ascii(dn);
	struct wizard_draft *d;
	struct check	    *c = NULL;
	char		    *end, *cause, *weak, *line, *nl;
	long long	     v = -1;
	int		     m = -1;

	if (opts->mode != NULL && (m = gen_mode_lookup(opts->mode)) == -1) {
		msg_error("--mode: '%s' is not testing, enforce or none",
		    opts->mode);
		return NULL;
	}
	if (opts->max_age != NULL) {
		errno = 0;
		v = strtoll(opts->max_age, &end, 10);
		if (errno != 0 || *end != '\0' || end == opts->max_age ||
		    v < 0 || v > GEN_MAX_AGE_FINAL) {
			msg_error("--max-age: '%s' is not a "
				  "number of seconds from 0 to %d",
			    opts->max_age, GEN_MAX_AGE_FINAL);
			return NULL;
		}
	}
	if ((d = wizard_draft_new(domain, opts->state_dir, opts->out_dir,
		 opts->force, &cause)) == NULL) {
		msg_error("%s", cause);
		free(cause);
		return NULL;
	}
	/* Live is read when neither --mx nor a plan gives the patterns. */
	if (opts->nmx == 0 && d->prev == NULL && m != POLICY_MODE_NONE &&
	    (c = cmd_export_live(opts, domain)) == NULL)
		goto fail;
	wizard_draft_prefill(d, c);
	check_free(c);
	if (cmd_export_options(d, opts, m, v) != 0)
		goto fail;
	if (d->spec.nmx == 0 && d->spec.mode != POLICY_MODE_NONE) {
		msg_error("--mx: no MX hosts found for %s; "
			  "give the patterns with --mx",
		    domain);
		goto fail;
	}
	/* A weaker policy only when asked for, and never silently. */
	if ((weak = wizard_draft_weakened(d)) != NULL) {
		for (line = weak; (nl = strchr(line, '\n')) != NULL;
		     line = nl + 1) {
			msg_error("note: %.*s, as asked", (int)(nl - line),
			    line);
		}
		free(weak);
	}
	return d;
fail:
	wizard_draft_free(d);
	return NULL;
}

int
cmd_export(const struct cli_options *opts, const struct domain_name *dn)
{
	struct finding_list  *notes;
	struct wizard_draft  *d = NULL;
	struct schedule	      sched;
	const struct finding *f;
	enum gen_field	      field;
	char		     *cause, *text;
	size_t		      len, i;
	long		      today;
	int		      fmt = -1, rc = EXIT_CHECK_UNKNOWN, nsupdate;

	if ((today = schedule_today(&cause)) == -1) {
		msg_error("%s", cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	/* nsupdate reads the zone's server: the rollout apply machinery. */
	nsupdate = opts->out_format != NULL &&
	    strcmp(opts->out_format, "nsupdate") == 0;
	if (opts->out_format != NULL && !nsupdate &&
	    (fmt = gen_format_lookup(opts->out_format)) == -1) {
		msg_error("--format: '%s' is not one of "
			  "policy, zone, octodns, yaml, nginx, apache, "
			  "nsupdate",
		    opts->out_format);
		return EXIT_CHECK_UNKNOWN;
	}
	if ((fmt != -1 || nsupdate) && opts->out_dir != NULL) {
		fprintf(stderr,
		    "mtasts-tui: --format writes to standard "
		    "output, --out to a directory: give one\n");
		return EXIT_CHECK_UNKNOWN;
	}
	/* A plan's settings and ids are honoured; export keeps no state. */
	if ((d = cmd_export_draft(opts, dn)) == NULL)
		goto out;
	notes = finding_list_new();
	if (gen_validate(&d->spec, &field, &cause, notes) != 0) {
		msg_error("%s: %s; nothing was written",
		    cmd_export_option(field), cause);
		free(cause);
		finding_list_free(notes);
		goto out;
	}
	for (i = 0; i < finding_list_count(notes); i++) {
		f = finding_list_get(notes, i);
		/* Testing, and its short max_age, are the plan. */
		if (f->code != FINDING_POLICY_MODE_TESTING &&
		    (f->code != FINDING_POLICY_MAX_AGE_UNDER_WEEK ||
			d->spec.mode != POLICY_MODE_TESTING))
			msg_error("note: %s", f->message);
	}
	finding_list_free(notes);
	schedule_make(&sched, today);
	if (nsupdate) {
		rc = cmd_apply_nsupdate(opts, &d->spec);
		goto out;
	}
	if (fmt != -1) {
		if ((text = gen_format(&d->spec, &sched, fmt, &len, &cause)) ==
		    NULL) {
			msg_error("%s", cause);
			free(cause);
			goto out;
		}
		fwrite(text, 1, len, stdout);
		free(text);
		rc = EXIT_CHECK_OK;
		goto out;
	}
	if (output_write_all(d->dir, &d->spec, &sched, opts->force, NULL, NULL,
		&cause) != 0) {
		msg_error("%s; nothing was written", cause);
		free(cause);
		goto out;
	}
	for (i = 0; i < GEN_FORMAT__COUNT; i++)
		printf("%s/%s\n", d->dir, gen_format_file(i));
	rc = EXIT_CHECK_OK;
out:
	wizard_draft_free(d);
	return rc;
}
