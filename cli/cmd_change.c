#include "config.h"
#include "cmd_change.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd_check.h"
#include "cmd_export.h"
#include "cmd_rollout.h"
#include "dns.h"
#include "domain.h"
#include "msg.h"
#include "policy_fetch.h"
#include "xmalloc.h"
#include "wizard/change.h"
#include "wizard/gen.h"
#include "wizard/output.h"
#include "wizard/schedule.h"
#include "wizard/state.h"

static struct check *cmd_change_check(const struct cli_options *, const char *);
static void cmd_change_probe(const struct cli_options *, const struct state *,
    struct change_facts *);
static int  cmd_change_make(const struct cli_options *,
     const struct domain_name *, const char *, const struct state *, long);
static struct change_report *cmd_change_judge(const struct cli_options *,
    struct state *, const char *, long, struct change_facts *);

static struct check *
cmd_change_check(const struct cli_options *opts, const char *domain)
{
	struct check_options co;
	struct check	    *c;
	char		    *cause;

	cmd_check_options(&co, opts);
	if ((c = check_run_sync(domain, &co, NULL, NULL, &cause)) == NULL) {
		msg_error("%s", cause);
		free(cause);
		return NULL;
	}
	if (check_failure(c) != NULL)
		msg_error("could not check %s: %s", domain, check_failure(c));
	return c;
}

/*
 * A policy host move: fetches the policy from the new host, by its
 * address or its CNAME target's addresses, as mta-sts.DOMAIN (SNI and
 * certificate name), before any DNS points there.
 */
static void
cmd_change_probe(const struct cli_options *opts, const struct state *st,
    struct change_facts *f)
{
	const struct change_params *p = st->change;
	struct policy_fetch_options fo;
	struct policy_fetch_result *r;
	struct check_options	    co;
	struct dns_options	    dno;
	struct dns_addrs	    da;
	const char		   *one[1];
	const char *const	   *addrs;
	char			   *host, *cause;
	size_t			    n, i;

	if (st->change->kind != CHANGE_HOST || !f->checked)
		return;
	cmd_check_options(&co, opts);
	memset(&da, 0, sizeof(da));
	if (p->new_addr != NULL) {
		one[0] = p->new_addr;
		addrs = one;
		n = 1;
	} else {
		memset(&dno, 0, sizeof(dno));
		dno.resolver = co.resolver;
		dno.port = co.resolver_port;
		dno.timeout = 5;
		dns_resolve_addrs(&dno, p->new_cname, co.family, &da);
		addrs = (const char *const *)da.addr;
		n = da.n;
	}
	memset(&fo, 0, sizeof(fo));
	fo.ca_file = co.ca_file;
	fo.family = co.family;
	fo.port = co.fetch_port;
	fo.now = co.now; /* as the check: real time, not MTASTS_TODAY */
	host = xasprintf("mta-sts.%s", st->spec.domain);
	if (n > 0 && (r = policy_fetch(host, addrs, n, &fo, &cause)) != NULL) {
		f->new_cert_ok = 0;
		f->new_same_body = 0;
		for (i = 0; i < r->naddrs; i++) {
			switch (r->addrs[i].outcome) {
			case POLICY_FETCH_CONNECT_FAILED:
			case POLICY_FETCH_TIMEOUT:
			case POLICY_FETCH_TLS_HANDSHAKE:
			case POLICY_FETCH_TLS_UNTRUSTED:
			case POLICY_FETCH_TLS_INCOMPLETE:
			case POLICY_FETCH_TLS_EXPIRED:
			case POLICY_FETCH_TLS_NAME:
				if (f->new_detail == NULL &&
				    r->addrs[i].detail != NULL)
					f->new_detail = xasprintf("%s: %s",
					    r->addrs[i].address,
					    r->addrs[i].detail);
				continue;
			default:
				f->new_cert_ok = 1;
				break;
			}
			if (r->addrs[i].outcome == POLICY_FETCH_OK &&
			    f->body != NULL && r->addrs[i].body != NULL &&
			    strcmp(r->addrs[i].body, f->body) == 0)
				f->new_same_body = 1;
		}
		policy_fetch_result_free(r);
	} else if (n > 0)
		f->new_detail = cause;
	else
		f->new_detail = xasprintf("%s has no address%s%s", p->new_cname,
		    da.error != NULL ? ": " : "",
		    da.error != NULL ? da.error : "");
	free(host);
	dns_addrs_free(&da);
}

/* Runs the check (and the host probe), judges, keeps the days seen. */
static struct change_report *
cmd_change_judge(const struct cli_options *opts, struct state *st,
    const char *path, long today, struct change_facts *f)
{
	struct change_report *r;
	struct check	     *c;
	char		     *cause;
	int		      dirty;

	change_facts_init(f);
	if ((c = cmd_change_check(opts, st->spec.domain)) == NULL)
		return NULL;
	change_facts_from_check(f, c);
	check_free(c);
	cmd_change_probe(opts, st, f);
	r = change_judge(st, f, today, &dirty);
	/* The waits count from these days: keep them. */
	if (dirty && state_save(st, path, &cause) != 0) {
		msg_error("%s", cause);
		free(cause);
	}
	return r;
}

int
cmd_change_start(const struct cli_options *opts, const struct domain_name *dn,
    const char *path, long today)
{
	struct state *old;
	int	      rc;

	if (cmd_rollout_old_plan(opts, dn, path, "a plan",
		"replace it with a change plan", &old) != 0)
		return EXIT_CHECK_UNKNOWN;
	rc = cmd_change_make(opts, dn, path, old, today);
	state_free(old);
	return rc;
}

static int
cmd_change_make(const struct cli_options *opts, const struct domain_name *dn,
    const char *path, const struct state *old, long today)
{
	struct change_params p;
	struct state	    *st = NULL;
	struct check	    *c;
	int		     field;
	char		    *cause, *end, *text;
	long long	     v;
	int		     k, rc = EXIT_CHECK_UNKNOWN;

	if ((k = change_kind_lookup(opts->change)) == -1) {
		msg_error("--change: '%s' is not mx, remove, host or max-age",
		    opts->change);
		return EXIT_CHECK_UNKNOWN;
	}
	change_params_init(&p, k);
	p.new_mx = opts->new_mx != NULL ? xstrdup(opts->new_mx) : NULL;
	p.old_mx = opts->old_mx != NULL ? xstrdup(opts->old_mx) : NULL;
	p.new_cname =
	    opts->new_host_cname != NULL ? xstrdup(opts->new_host_cname) : NULL;
	p.new_addr =
	    opts->new_host_addr != NULL ? xstrdup(opts->new_host_addr) : NULL;
	if (opts->max_age != NULL) {
		errno = 0;
		v = strtoll(opts->max_age, &end, 10);
		if (errno != 0 || *end != '\0' || end == opts->max_age) {
			msg_error("--max-age: '%s' is not a number of seconds",
			    opts->max_age);
			change_params_free(&p);
			return EXIT_CHECK_UNKNOWN;
		}
		p.new_max_age = v;
	}
	if ((c = cmd_change_check(opts, domain_name_ascii(dn))) == NULL) {
		change_params_free(&p);
		return EXIT_CHECK_UNKNOWN;
	}
	if ((st = change_plan_new(c, &p, opts->rua, (size_t)opts->nrua, old,
		 today, &field, &cause)) == NULL) {
		if (field != -1)
			msg_error("what %s serves cannot be written back (%s): "
				  "%s; no plan was made",
			    domain_name_ascii(dn), cmd_export_option(field),
			    cause);
		else
			msg_error("%s; no plan was made", cause);
		free(cause);
		goto out;
	}
	if (state_save(st, path, &cause) != 0) {
		msg_error("%s", cause);
		free(cause);
		goto out;
	}
	text = change_plan_summary(st, path);
	fputs(text, stdout);
	free(text);
	if (cmd_rollout_ics(opts, st) != 0)
		goto out;
	rc = EXIT_CHECK_OK;
out:
	check_free(c);
	change_params_free(&p);
	state_free(st);
	return rc;
}

int
cmd_change_status(const struct cli_options *opts, struct state *st,
    const char *path, long today)
{
	struct change_facts   f;
	struct change_report *r;
	char		     *text;
	int		      rc;

	if ((r = cmd_change_judge(opts, st, path, today, &f)) == NULL)
		return EXIT_CHECK_UNKNOWN;
	text = opts->format == CLI_FORMAT_JSON ? change_report_json(st, r)
					       : change_report_text(st, r);
	fputs(text, stdout);
	free(text);
	rc = f.checked ? change_report_exit(r) : EXIT_CHECK_UNKNOWN;
	change_report_free(r);
	change_facts_free(&f);
	if (cmd_rollout_ics(opts, st) != 0)
		return EXIT_CHECK_UNKNOWN;
	return rc;
}

/*
 * Writes the files of the next step (the first not done), when it has
 * any; with "fix now" those are the repair (an MX change in the wrong
 * order) or there are none (put the old MX back: exit 2).  A step whose
 * wait is not over, or a max_age raise on an unhealthy domain, needs
 * --force.
 */
int
cmd_change_next(const struct cli_options *opts, struct state *st,
    const char *path, long today)
{
	struct change_facts   f;
	struct change_report *r;
	struct gen_spec	      spec;
	enum gen_field	      field;
	char		     *cause, *dir, *base, *txt, d[16];
	size_t		      step;
	int		      fresh, rc = EXIT_CHECK_UNKNOWN;

	if ((r = cmd_change_judge(opts, st, path, today, &f)) == NULL)
		return EXIT_CHECK_UNKNOWN;
	if (!f.checked)
		goto done;
	if (r->fixnow != NULL)
		msg_error("fix now: %s", r->fixnow);
	if (r->next == -1) {
		printf("Every step of the plan for %s is done; nothing to "
		       "write.\n",
		    st->spec.domain);
		rc = EXIT_CHECK_OK;
		goto done;
	}
	step = (size_t)r->next;
	if (!change_step_publishes(st->change->kind, step)) {
		printf("Step %zu (%s) has no files: see 'mtasts-tui rollout "
		       "status %s'.\n",
		    step + 1, change_step_title(st->change->kind, step),
		    st->spec.domain);
		rc = r->fixnow != NULL ? EXIT_CHECK_ERROR : EXIT_CHECK_OK;
		goto done;
	}
	if (!opts->force && r->status[step] == CHANGE_WAITING) {
		schedule_date_format(r->ready, d, sizeof(d));
		msg_error("'%s' may start on %s, once senders may have "
			  "dropped the old policy; give --force to write "
			  "its files now",
		    change_step_title(st->change->kind, step), d);
		rc = EXIT_CHECK_ERROR;
		goto done;
	}
	if (!opts->force && st->change->kind == CHANGE_MAX_AGE &&
	    !f.enforce_healthy) {
		msg_error("the live check says enforce is not healthy on %s "
			  "(see 'mtasts-tui check %s'); give --force to raise "
			  "max_age anyway",
		    st->spec.domain, st->spec.domain);
		rc = EXIT_CHECK_ERROR;
		goto done;
	}
	fresh = change_step_spec(st, step, &spec, today, schedule_now());
	if (change_validate(&spec, &field, &cause) != 0) {
		msg_error("the plan's settings (%s): %s; nothing was written",
		    cmd_export_option(field), cause);
		free(cause);
		gen_spec_free(&spec);
		goto done;
	}
	base = opts->out_dir != NULL ? xstrdup(opts->out_dir)
				     : output_default_dir(st->spec.domain);
	dir = xasprintf("%s/%s-%s", base, change_kind_name(st->change->kind),
	    change_step_key(st->change->kind, step));
	free(base);
	if (output_write_all(dir, &spec, NULL, opts->force, NULL, NULL,
		&cause) != 0) {
		msg_error("%s; nothing was written", cause);
		free(cause);
	} else if (fresh && state_save(st, path, &cause) != 0) {
		/* The id is recorded only once its files exist. */
		msg_error("%s", cause);
		free(cause);
	} else {
		txt = gen_sts_txt(&spec);
		printf("%s: wrote the files into %s/\n",
		    change_step_title(st->change->kind, step), dir);
		printf("  1. serve %s/mta-sts.txt (mode %s, max_age %lld) at "
		       "https://mta-sts.%s/.well-known/mta-sts.txt\n",
		    dir, policy_mode_name(spec.mode), spec.max_age,
		    spec.domain);
		printf("  2. then publish the records of %s/zone.txt "
		       "(_mta-sts.%s. TXT \"%s\"%s)\n",
		    dir, spec.domain, txt,
		    st->change->step_id[step] != NULL ? ", the new id"
						      : ", the id kept");
		free(txt);
		rc = EXIT_CHECK_OK;
	}
	free(dir);
	gen_spec_free(&spec);
done:
	change_report_free(r);
	change_facts_free(&f);
	return rc;
}
