#include "config.h"
#include "cmd_export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_check.h"
#include "domain.h"
#include "finding.h"
#include "msg.h"
#include "mx_lookup.h"
#include "xmalloc.h"
#include "wizard/gen.h"
#include "wizard/id.h"
#include "wizard/output.h"
#include "wizard/schedule.h"
#include "wizard/state.h"

static int cmd_export_live_mx(struct gen_spec *, const struct cli_options *,
    const char *);

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

/* The MX host names as published: exact patterns, one per host. */
static int
cmd_export_live_mx(struct gen_spec *spec, const struct cli_options *opts,
    const char *domain)
{
	struct check_options co;
	const struct mx_set *mx;
	struct check	    *c;
	char		    *cause;
	size_t		     i;

	cmd_check_options(&co, opts);
	co.no_history = 1;
	if ((c = check_run_sync(domain, &co, NULL, NULL, &cause)) == NULL) {
		msg_error("%s", cause);
		free(cause);
		return -1;
	}
	mx = check_mx(c);
	if (mx == NULL || mx->null_mx || mx->nhost == 0) {
		msg_error("--mx: no MX hosts found for %s; "
			  "give the patterns with --mx",
		    domain);
		check_free(c);
		return -1;
	}
	for (i = 0; i < mx->nhost; i++)
		if (!mx->host[i].ip_literal)
			gen_spec_add_mx(spec, mx->host[i].name);
	check_free(c);
	return 0;
}

int
cmd_export_spec(struct gen_spec *spec, const struct cli_options *opts,
    const struct domain_name *dn, const char *const *used, size_t nused)
{
	const char *domain = domain_name_ascii(dn);
	char	   *end, *rua, *id;
	long long   v;
	size_t	    i;
	int	    m;

	gen_spec_init(spec, domain);
	if (opts->mode != NULL) {
		if ((m = gen_mode_lookup(opts->mode)) == -1) {
			msg_error("--mode: '%s' is not "
				  "testing, enforce or none",
			    opts->mode);
			return -1;
		}
		spec->mode = m;
		spec->max_age = m == POLICY_MODE_ENFORCE ? GEN_MAX_AGE_ENFORCE
							 : GEN_MAX_AGE_TESTING;
	}
	if (opts->max_age != NULL) {
		errno = 0;
		v = strtoll(opts->max_age, &end, 10);
		if (errno != 0 || *end != '\0' || end == opts->max_age ||
		    v < 0 || v > GEN_MAX_AGE_FINAL) {
			msg_error("--max-age: '%s' is not a "
				  "number of seconds from 0 to %d",
			    opts->max_age, GEN_MAX_AGE_FINAL);
			return -1;
		}
		spec->max_age = v;
	}
	for (i = 0; i < (size_t)opts->nmx; i++)
		if (gen_spec_add_mx(spec, opts->mx[i]) != 0) {
			fprintf(stderr, "mtasts-tui: --mx: too many\n");
			return -1;
		}
	for (i = 0; i < (size_t)opts->nrua; i++)
		if (gen_spec_add_rua(spec, opts->rua[i]) != 0) {
			fprintf(stderr, "mtasts-tui: --rua: at most %d\n",
			    GEN_MAX_RUA);
			return -1;
		}
	if (spec->nrua == 0) {
		rua = xasprintf("mailto:tlsrpt@%s", domain);
		gen_spec_add_rua(spec, rua);
		free(rua);
	}
	for (i = 0; i < (size_t)opts->nhost_addr; i++)
		if (gen_spec_add_addr(spec, opts->host_addr[i]) != 0) {
			fprintf(stderr,
			    "mtasts-tui: --policy-host-address: "
			    "at most %d\n",
			    GEN_MAX_ADDR);
			return -1;
		}
	if (opts->host_cname != NULL)
		gen_spec_set_cname(spec, opts->host_cname);
	if (opts->id != NULL) {
		for (i = 0; i < nused; i++)
			if (strcmp(used[i], opts->id) == 0) {
				msg_error("--id: '%s' was "
					  "handed out before (see the rollout "
					  "state); ids are never reused",
				    opts->id);
				return -1;
			}
		gen_spec_set_id(spec, opts->id);
	} else {
		id = id_new(schedule_now(), used, nused);
		gen_spec_set_id(spec, id);
		free(id);
	}
	if (spec->nmx == 0 && spec->mode != POLICY_MODE_NONE &&
	    cmd_export_live_mx(spec, opts, domain) != 0)
		return -1;
	return 0;
}

int
cmd_export(const struct cli_options *opts, const struct domain_name *dn)
{
	struct finding_list  *notes;
	struct gen_spec	      spec;
	struct schedule	      sched;
	struct state	     *st = NULL;
	const struct finding *f;
	const char	    **used = NULL;
	enum gen_field	      field;
	char		     *cause, *path, *dir, *text;
	size_t		      nused = 0, len, i;
	long		      today;
	int		      fmt = -1, rc = EXIT_CHECK_UNKNOWN;

	if ((today = schedule_today(&cause)) == -1) {
		msg_error("%s", cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	if (opts->out_format != NULL &&
	    (fmt = gen_format_lookup(opts->out_format)) == -1) {
		msg_error("--format: '%s' is not one of "
			  "policy, zone, octodns, yaml, nginx, apache",
		    opts->out_format);
		return EXIT_CHECK_UNKNOWN;
	}
	if (fmt != -1 && opts->out_dir != NULL) {
		fprintf(stderr,
		    "mtasts-tui: --format writes to standard "
		    "output, --out to a directory: give one\n");
		return EXIT_CHECK_UNKNOWN;
	}
	/* A plan's id history is honoured; export itself keeps no state. */
	path = state_path(opts->state_dir, domain_name_ascii(dn));
	if (state_load(path, &st, &cause) == -1) {
		msg_error("%s", cause);
		free(cause);
		free(path);
		return EXIT_CHECK_UNKNOWN;
	}
	free(path);
	if (st != NULL)
		used = state_ids(st, &nused);
	if (cmd_export_spec(&spec, opts, dn, used, nused) != 0)
		goto out;
	notes = finding_list_new();
	if (gen_validate(&spec, &field, &cause, notes) != 0) {
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
			spec.mode != POLICY_MODE_TESTING))
			msg_error("note: %s", f->message);
	}
	finding_list_free(notes);
	schedule_make(&sched, today);
	if (fmt != -1) {
		if ((text = gen_format(&spec, &sched, fmt, &len, &cause)) ==
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
	dir = opts->out_dir != NULL ? xstrdup(opts->out_dir)
				    : output_default_dir(domain_name_ascii(dn));
	if (output_write_all(dir, &spec, &sched, opts->force, NULL, NULL,
		&cause) != 0) {
		msg_error("%s; nothing was written", cause);
		free(cause);
		free(dir);
		goto out;
	}
	for (i = 0; i < GEN_FORMAT__COUNT; i++)
		printf("%s/%s\n", dir, gen_format_file(i));
	free(dir);
	rc = EXIT_CHECK_OK;
out:
	free(used);
	state_free(st);
	gen_spec_free(&spec);
	return rc;
}
