#include "config.h"
#include "cmd_rollout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_apply.h"
#include "cmd_change.h"
#include "cmd_check.h"
#include "cmd_export.h"
#include "domain.h"
#include "file_out.h"
#include "finding.h"
#include "msg.h"
#include "report_summary.h"
#include "verdict.h"
#include "xmalloc.h"
#include "wizard/change.h"
#include "wizard/draft.h"
#include "wizard/gen.h"
#include "wizard/ics.h"
#include "wizard/output.h"
#include "wizard/rollout.h"
#include "wizard/schedule.h"
#include "wizard/state.h"

static int cmd_rollout_start(const struct cli_options *,
    const struct domain_name *, const char *);
static int cmd_rollout_status(const struct cli_options *, struct state *, long);
static int cmd_rollout_next(const struct cli_options *, struct state *,
    const char *, long);

int
cmd_rollout_ics(const struct cli_options *opts, const struct state *st)
{
	char *text, *cause;

	if (opts->ics_file == NULL)
		return 0;
	text = ics_format(st, schedule_now());
	if (strcmp(opts->ics_file, "-") == 0)
		fputs(text, stdout);
	else if (file_out_write(opts->ics_file, text, strlen(text), 1,
		     &cause) != 0) {
		msg_error("--ics: %s", cause);
		free(cause);
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

/*
 * Runs the live check and judges the plan by it, and by the clean days in
 * --reports when given (issue 7).
 */
struct rollout_report *
cmd_rollout_judge(const struct cli_options *opts, const struct state *st,
    long today, struct rollout_facts *f)
{
	struct check_options   co;
	struct report_gate     gate;
	struct rollout_report *r;
	struct check	      *c;
	char		      *cause;

	cmd_check_options(&co, opts);
	if ((c = check_run_sync(st->spec.domain, &co, NULL, NULL, &cause)) ==
	    NULL) {
		msg_error("%s", cause);
		free(cause);
		return NULL;
	}
	if (check_failure(c) != NULL)
		msg_error("could not check %s: %s", st->spec.domain,
		    check_failure(c));
	memset(&gate, 0, sizeof(gate));
	if (opts->reports != NULL)
		report_gate_path(&gate, opts->reports, st->spec.domain,
		    (int64_t)today, NULL);
	r = rollout_judge_run(st, c, opts->reports != NULL ? &gate : NULL,
	    today, f);
	report_gate_clear(&gate);
	check_free(c);
	return r;
}

int
cmd_rollout_may(const struct cli_options *opts, const struct state *st,
    int phase, long today, const struct rollout_facts *f)
{
	char d[16];

	/* Enforce (and more) only on the plan's dates and a ready domain. */
	if (phase < SCHEDULE_ENFORCE || phase >= SCHEDULE__COUNT || opts->force)
		return 0;
	schedule_date_format(st->sched.phase[phase].start, d, sizeof(d));
	if (today < st->sched.phase[phase].start) {
		msg_error("the plan starts '%s' on "
			  "%s, after the reports have been watched; give "
			  "--force to go ahead now",
		    schedule_phase_title(phase), d);
		return -1;
	}
	if (!f->enforce_ready) {
		msg_error("the live check says %s is "
			  "not ready for enforce (see 'mtasts-tui check "
			  "%s'); give --force to go ahead anyway",
		    st->spec.domain, st->spec.domain);
		return -1;
	}
	return 0;
}

int
cmd_rollout_old_plan(const struct cli_options *opts,
    const struct domain_name *dn, const char *path, const char *has,
    const char *force_to, struct state **old)
{
	char *cause;

	*old = NULL;
	if (state_load(path, old, &cause) == -1) {
		msg_error("%s", cause);
		free(cause);
		return -1;
	}
	if (*old != NULL && !opts->force) {
		msg_error("%s has %s (%s); give --force to %s",
		    domain_name_ascii(dn), has, path, force_to);
		state_free(*old);
		*old = NULL;
		return -1;
	}
	return 0;
}

static int
cmd_rollout_start(const struct cli_options *opts, const struct domain_name *dn,
    const char *path)
{
	struct finding_list *notes;
	struct wizard_draft *d = NULL;
	struct state	    *st = NULL, *old = NULL;
	enum gen_field	     field;
	char		    *cause, d1[16], d2[16];
	size_t		     i;
	int		     rc = EXIT_CHECK_UNKNOWN;

	if (cmd_rollout_old_plan(opts, dn, path, "a rollout plan", "start over",
		&old) != 0)
		return EXIT_CHECK_UNKNOWN;
	state_free(old);
	/* The same defaults as export and the wizard. */
	if ((d = cmd_export_draft(opts, dn)) == NULL)
		goto out;
	notes = finding_list_new();
	if (gen_validate(&d->spec, &field, &cause, notes) != 0) {
		msg_error("%s: %s; no plan was made", cmd_export_option(field),
		    cause);
		free(cause);
		finding_list_free(notes);
		goto out;
	}
	finding_list_free(notes);
	st = wizard_draft_plan(d);
	if (state_save(st, path, &cause) != 0) {
		msg_error("%s", cause);
		free(cause);
		goto out;
	}
	printf("Rollout plan for %s saved in %s\n", st->spec.domain, path);
	for (i = 0; i < SCHEDULE__COUNT; i++) {
		schedule_date_format(st->sched.phase[i].start, d1, sizeof(d1));
		schedule_date_format(st->sched.phase[i].end, d2, sizeof(d2));
		printf("%zu. %-36s %s .. %s\n", i + 1, schedule_phase_title(i),
		    d1, d2);
	}
	if (cmd_rollout_ics(opts, st) != 0)
		goto out;
	rc = EXIT_CHECK_OK;
out:
	wizard_draft_free(d);
	state_free(st);
	return rc;
}

static int
cmd_rollout_status(const struct cli_options *opts, struct state *st, long today)
{
	struct rollout_facts   f;
	struct rollout_report *r;
	char		      *text;
	int		       rc;

	if ((r = cmd_rollout_judge(opts, st, today, &f)) == NULL)
		return EXIT_CHECK_UNKNOWN;
	if (opts->format == CLI_FORMAT_JSON)
		text = rollout_report_json(st, r);
	else
		text = rollout_report_text(st, r);
	fputs(text, stdout);
	free(text);
	/* 2 fix now, 1 a deviation from the plan (doc/wizard.md). */
	rc = f.checked ? rollout_report_exit(r) : EXIT_CHECK_UNKNOWN;
	rollout_report_free(r);
	if (cmd_rollout_ics(opts, st) != 0)
		return EXIT_CHECK_UNKNOWN;
	return rc;
}

int
cmd_rollout_next_phase(const struct cli_options *opts, const struct state *st,
    long today, struct rollout_facts *f, const char *verb)
{
	struct rollout_report *r;
	int		       phase;

	if ((r = cmd_rollout_judge(opts, st, today, f)) == NULL)
		return -1;
	if (!f->checked) {
		rollout_report_free(r);
		return -1;
	}
	if ((phase = rollout_next_phase(r)) == -1) {
		printf("Every step of the plan for %s is done; nothing to "
		       "%s.\n",
		    st->spec.domain, verb);
		phase = CMD_ROLLOUT_ALL_DONE;
	}
	rollout_report_free(r);
	return phase;
}

static int
cmd_rollout_next(const struct cli_options *opts, struct state *st,
    const char *path, long today)
{
	struct rollout_facts f;
	struct gen_spec	     spec;
	enum gen_field	     field;
	char		    *cause, *dir, *base, *txt;
	int		     phase, fresh, rc = EXIT_CHECK_UNKNOWN;

	if ((phase = cmd_rollout_next_phase(opts, st, today, &f, "write")) < 0)
		return phase == CMD_ROLLOUT_ALL_DONE ? EXIT_CHECK_OK
						     : EXIT_CHECK_UNKNOWN;
	if (cmd_rollout_may(opts, st, phase, today, &f) != 0)
		return EXIT_CHECK_ERROR;
	fresh = rollout_phase_spec(st, phase, &spec, today, schedule_now(), &f);
	if (gen_validate(&spec, &field, &cause, NULL) != 0) {
		msg_error("the plan's settings (%s): %s; "
			  "nothing was written",
		    cmd_export_option(field), cause);
		free(cause);
		goto out;
	}
	base = opts->out_dir != NULL ? xstrdup(opts->out_dir)
				     : output_default_dir(st->spec.domain);
	dir = xasprintf("%s/%s", base, schedule_phase_key(phase));
	free(base);
	if (output_write_all(dir, &spec, &st->sched, opts->force, NULL, NULL,
		&cause) != 0) {
		msg_error("%s; nothing was written", cause);
		free(cause);
		free(dir);
		goto out;
	}
	/* The id is recorded only once its files exist. */
	if (fresh && state_save(st, path, &cause) != 0) {
		msg_error("%s", cause);
		free(cause);
		free(dir);
		goto out;
	}
	txt = gen_sts_txt(&spec);
	printf("%s: wrote the files into %s/\n", schedule_phase_title(phase),
	    dir);
	printf("  1. serve %s/mta-sts.txt (mode %s, max_age %lld) at "
	       "https://mta-sts.%s/.well-known/mta-sts.txt\n",
	    dir, policy_mode_name(spec.mode), spec.max_age, spec.domain);
	printf("  2. then publish from %s/zone.txt: _mta-sts.%s. TXT \"%s\"\n",
	    dir, spec.domain, txt);
	free(txt);
	free(dir);
	rc = EXIT_CHECK_OK;
out:
	gen_spec_free(&spec);
	return rc;
}

int
cmd_rollout(const struct cli_options *opts, const struct domain_name *dn)
{
	struct state *st = NULL;
	char	     *path, *cause;
	long	      today;
	int	      rc, r;

	if ((today = schedule_today(&cause)) == -1) {
		msg_error("%s", cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	path = state_path(opts->state_dir, domain_name_ascii(dn));
	if (strcmp(opts->rollout_action, "start") == 0) {
		rc = opts->change != NULL
		    ? cmd_change_start(opts, dn, path, today)
		    : cmd_rollout_start(opts, dn, path);
		free(path);
		return rc;
	}
	if ((r = state_load(path, &st, &cause)) != 0) {
		if (r == 1)
			msg_error(
			    "no rollout plan for %s "
			    "(%s); make one with 'mtasts-tui wizard %s' or "
			    "'mtasts-tui rollout start %s'",
			    domain_name_ascii(dn), path, domain_name_ascii(dn),
			    domain_name_ascii(dn));
		else {
			msg_error("%s", cause);
			free(cause);
		}
		free(path);
		return EXIT_CHECK_UNKNOWN;
	}
	if (strcmp(st->spec.domain, domain_name_ascii(dn)) != 0) {
		msg_error("%s holds the plan of %s; it was "
			  "left untouched",
		    path, st->spec.domain);
		rc = EXIT_CHECK_UNKNOWN;
	} else if (strcmp(opts->rollout_action, "apply") == 0 &&
	    change_follows(st)) {
		msg_error("rollout apply follows the steps of a rollout plan; "
			  "%s holds a change plan: use 'rollout next'",
		    path);
		rc = EXIT_CHECK_UNKNOWN;
	} else if (strcmp(opts->rollout_action, "apply") == 0)
		rc = cmd_rollout_apply(opts, st, path, today);
	else if (change_follows(st)) /* a change or fix plan (cmd_change.h) */
		rc = strcmp(opts->rollout_action, "status") == 0
		    ? cmd_change_status(opts, st, path, today)
		    : cmd_change_next(opts, st, path, today);
	else if (strcmp(opts->rollout_action, "status") == 0)
		rc = cmd_rollout_status(opts, st, today);
	else
		rc = cmd_rollout_next(opts, st, path, today);
	state_free(st);
	free(path);
	return rc;
}
