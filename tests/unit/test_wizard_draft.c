/*
 * Unit tests for the wizard's draft (wizard/draft.h): which MX hosts the
 * STARTTLS probe failed on, judged per host and address from the probe
 * results (not by the prefix of a finding subject), the validators of
 * typed values, the *. wildcard replacing the names it covers, and the
 * one set of defaults: what is live or planned is kept (enforce, max_age,
 * wildcards, the id of an unchanged body) and a weakening is named.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "certinfo.h"
#include "mx_tls.h"
#include "smtp_probe.h"
#include "scratch.h"
#include "xmalloc.h"
#include "wizard/draft.h"
#include "wizard/state.h"

/* One host with one address: a clean session, or one refused STARTTLS. */
static void
host_set(struct mx_tls_host *h, const char *name, int ok,
    struct smtp_probe_result *p, struct certinfo_verify *v)
{
	memset(h, 0, sizeof(*h));
	memset(p, 0, sizeof(*p));
	memset(v, 0, sizeof(*v));
	h->name = (char *)name;
	h->addrs = xcalloc(1, sizeof(*h->addrs));
	h->naddrs = 1;
	h->addrs[0].address = (char *)"192.0.2.1";
	h->addrs[0].probe = p;
	if (ok) {
		p->tls = 1;
		h->addrs[0].verify = v;
	} else {
		p->fail = SMTP_PROBE_FAIL_RESP;
		p->fail_state = SMTP_PROBE_STARTTLS;
		p->reason = (char *)"454 TLS not available";
	}
}

static void
test_mx_failing_per_host(void **state)
{
	struct mx_tls_host	 hosts[2];
	struct smtp_probe_result p[2];
	struct certinfo_verify	 v[2];
	struct mx_tls_result	 res;

	(void)state;
	memset(&res, 0, sizeof(res));
	/* Only mx10 fails; the old prefix match marked mx1 too. */
	host_set(&hosts[0], "mx1", 1, &p[0], &v[0]);
	host_set(&hosts[1], "mx10", 0, &p[1], &v[1]);
	res.hosts = hosts;
	res.nhosts = 2;
	assert_int_equal(wizard_mx_failing(&res, "mx1"), 0);
	assert_int_equal(wizard_mx_failing(&res, "mx10"), 1);
	assert_int_equal(wizard_mx_failing(&res, "MX10"), 1);
	assert_int_equal(wizard_mx_failing(&res, "mx"), 0);
	assert_int_equal(wizard_mx_failing(NULL, "mx10"), 0);
	/* A skipped host is not judged. */
	hosts[1].skipped = 1;
	assert_int_equal(wizard_mx_failing(&res, "mx10"), 0);
	free(hosts[0].addrs);
	free(hosts[1].addrs);
}

static void
test_valid(void **state)
{
	char *cause = NULL;

	(void)state;
	assert_int_equal(wizard_valid_addr("192.0.2.7", &cause), 0);
	assert_int_equal(wizard_valid_addr("2001:db8::1", &cause), 0);
	assert_int_equal(wizard_valid_addr("mta-sts", &cause), -1);
	assert_non_null(strstr(cause, "not an IPv4 or IPv6 address"));
	free(cause);
	assert_int_equal(wizard_valid_max_age("86400", &cause), 0);
	assert_int_equal(wizard_valid_max_age("86399", &cause), -1);
	free(cause);
	assert_int_equal(wizard_valid_max_age("1d", &cause), -1);
	free(cause);
	assert_int_equal(wizard_valid_dir("", &cause), -1);
	free(cause);
	assert_int_equal(wizard_valid_cname("cdn.example.net", &cause), 0);
}

static void
test_list_del(void **state)
{
	char  *v[3];
	size_t n = 3;

	(void)state;
	v[0] = xstrdup("a");
	v[1] = xstrdup("b");
	v[2] = xstrdup("c");
	wizard_list_del(v, &n, 1);
	assert_int_equal(n, 2);
	assert_string_equal(v[1], "c");
	wizard_list_del(v, &n, 5);
	assert_int_equal(n, 2);
	free(v[0]);
	free(v[1]);
}

static char **
strv(const char *a, const char *b)
{
	char **v = xcalloc(3, sizeof(*v));

	v[0] = xstrdup(a);
	v[1] = xstrdup(b);
	return v;
}

/* A draft whose live check saw a healthy enforce policy (no plan). */
static struct wizard_draft *
draft_enforce(const char *dir)
{
	struct wizard_draft *d;
	char		    *cause = NULL;

	d = wizard_draft_new("example.com", dir, dir, 0, &cause);
	assert_non_null(d);
	d->live.sts = WIZARD_SEEN_VALID;
	d->live.sts_id = xstrdup("20261101T000000Z");
	d->live.policy = WIZARD_SEEN_VALID;
	d->live.mode = POLICY_MODE_ENFORCE;
	d->live.max_age = 604800;
	d->live.patterns = strv("mx1.example.com", "*.backup.example.com");
	d->live.npatterns = 2;
	d->live.mx = strv("mx1.example.com", "mx2.backup.example.com");
	d->live.mx_bad = xcalloc(2, sizeof(int));
	d->live.nmx = 2;
	d->live.enforce_ready = 1;
	d->live.deployed = 1;
	wizard_draft_prefill(d, NULL);
	return d;
}

static void
test_defaults_keep_live(void **state)
{
	struct wizard_draft *d;
	char		     dir[] = "/tmp/mtasts-draft.XXXXXX";
	char		    *weak;

	(void)state;
	setenv("MTASTS_TODAY", "2026-12-01", 1);
	assert_int_equal(scratch_make(dir, NULL), 0);
	d = draft_enforce(dir);
	assert_int_equal(d->spec.mode, POLICY_MODE_ENFORCE);
	assert_int_equal(d->spec.max_age, 604800);
	assert_int_equal(d->spec.nmx, 2);
	assert_string_equal(d->spec.mx[1], "*.backup.example.com");
	wizard_draft_choose_id(d);
	assert_true(d->id_kept);
	assert_string_equal(d->spec.id, "20261101T000000Z");
	assert_null(wizard_draft_weakened(d));
	/* Asked for: testing, its max_age, the wildcard gone; all named. */
	wizard_draft_set_mode(d, POLICY_MODE_TESTING);
	gen_spec_remove_mx(&d->spec, 1);
	wizard_draft_choose_id(d);
	assert_false(d->id_kept);
	assert_string_not_equal(d->spec.id, "20261101T000000Z");
	weak = wizard_draft_weakened(d);
	assert_non_null(weak);
	assert_non_null(strstr(weak,
	    "mode testing is weaker than the live "
	    "policy's enforce"));
	assert_non_null(strstr(weak, "max_age 86400 is shorter"));
	assert_non_null(strstr(weak, "wildcard *.backup.example.com"));
	free(weak);
	/* Back to enforce: the live max_age again, nothing weaker. */
	wizard_draft_set_mode(d, POLICY_MODE_ENFORCE);
	assert_int_equal(d->spec.max_age, 604800);
	wizard_draft_free(d);
	scratch_remove(dir);
}

static void
test_defaults_from_plan(void **state)
{
	struct wizard_draft *d;
	struct gen_spec	     s;
	struct state	    *st;
	char		     dir[] = "/tmp/mtasts-draft.XXXXXX";
	char		    *cause = NULL, *path;

	(void)state;
	setenv("MTASTS_TODAY", "2026-12-01", 1);
	assert_int_equal(scratch_make(dir, NULL), 0);
	gen_spec_init(&s, "example.com");
	gen_spec_add_mx(&s, "*.mail.example.com");
	gen_spec_add_rua(&s, "mailto:r@example.net");
	gen_spec_add_addr(&s, "192.0.2.10");
	s.max_age = 172800;
	st = state_new(&s, 20000);
	state_add_id(st, "20261120T000000Z", s.mode, s.max_age, 20000);
	path = state_path(dir, "example.com");
	assert_int_equal(state_save(st, path, &cause), 0);
	state_free(st);
	gen_spec_free(&s);
	/* The live check saw another policy: the plan wins. */
	d = draft_enforce(dir);
	assert_non_null(d->prev);
	assert_int_equal(d->spec.mode, POLICY_MODE_TESTING);
	assert_int_equal(d->spec.max_age, 172800);
	assert_int_equal(d->spec.nmx, 1);
	assert_string_equal(d->spec.mx[0], "*.mail.example.com");
	assert_string_equal(d->spec.rua[0], "mailto:r@example.net");
	assert_int_equal(d->hosting, WIZARD_HOSTING_ADDR);
	wizard_draft_choose_id(d);
	assert_true(d->id_kept);
	assert_string_equal(d->spec.id, "20261120T000000Z");
	assert_null(wizard_draft_weakened(d));
	wizard_draft_free(d);
	free(path);
	scratch_remove(dir);
}

/* Enforce is re-judged against the patterns as edited (issue 13, case 4). */
static void
test_enforce_offered(void **state)
{
	struct wizard_draft *d;
	char		     dir[] = "/tmp/mtasts-draft.XXXXXX";

	(void)state;
	setenv("MTASTS_TODAY", "2026-12-01", 1);
	assert_int_equal(scratch_make(dir, NULL), 0);
	d = draft_enforce(dir);
	assert_true(wizard_draft_enforce_offered(d));
	assert_false(wizard_draft_is_fix(d));
	/* Dropping the wildcard leaves mx2 uncovered: not offered. */
	gen_spec_remove_mx(&d->spec, 1);
	assert_false(wizard_draft_enforce_offered(d));
	/* Broken live: only the missing MX blocked it. */
	d->live.enforce_ready = 0;
	d->live.fixable = 1;
	assert_false(wizard_draft_enforce_offered(d));
	gen_spec_add_mx(&d->spec, "mx2.backup.example.com");
	assert_true(wizard_draft_enforce_offered(d));
	assert_true(wizard_draft_is_fix(d));
	/* A failing probe is not fixed by patterns. */
	d->live.mx_bad[1] = 1;
	assert_false(wizard_draft_enforce_offered(d));
	d->live.mx_bad[1] = 0;
	d->live.fixable = 0;
	assert_false(wizard_draft_enforce_offered(d));
	wizard_draft_free(d);
	scratch_remove(dir);
}

/* The change entry: refused with no served policy, else the plan. */
static void
test_change_entry(void **state)
{
	struct wizard_draft *d;
	struct state	    *st;
	char		     dir[] = "/tmp/mtasts-draft.XXXXXX";
	char		    *cause = NULL, *path;

	(void)state;
	setenv("MTASTS_TODAY", "2026-12-01", 1);
	assert_int_equal(scratch_make(dir, NULL), 0);
	d = draft_enforce(dir);
	/* Nothing was checked: no change plan. */
	assert_int_equal(wizard_draft_change_offered(d, &cause), -1);
	free(cause);
	assert_null(wizard_draft_change_plan(d, &cause));
	free(cause);
	/* What a check of a served enforce policy leaves in the draft. */
	free(d->served_cause);
	d->served_cause = NULL;
	d->served.mode = POLICY_MODE_ENFORCE;
	d->served.max_age = 604800;
	gen_spec_add_mx(&d->served, "mx1.example.com");
	gen_spec_set_id(&d->served, "20261101T000000Z");
	d->only_mx = xstrdup("mx1.example.com");
	assert_int_equal(wizard_draft_change_offered(d, &cause), 0);
	wizard_draft_change_kind(d, CHANGE_MAX_AGE);
	assert_int_equal(wizard_draft_change_max_age(d, "86400"), 0);
	assert_null(wizard_draft_change_plan(d, &cause));
	assert_non_null(strstr(cause, "above the served 604800"));
	assert_non_null(strstr(cause, "; no plan was made"));
	free(cause);
	/* A host move takes a CNAME or an address, the last one typed. */
	wizard_draft_change_kind(d, CHANGE_HOST);
	wizard_draft_change_addr(d, "192.0.2.1");
	wizard_draft_change_cname(d, "sts.provider.example");
	assert_null(d->change.new_addr);
	wizard_draft_change_kind(d, CHANGE_MX);
	wizard_draft_change_new_mx(d, "mx2.example.com");
	st = wizard_draft_change_plan(d, &cause);
	assert_non_null(st);
	assert_string_equal(st->change->old_mx, "mx1.example.com");
	/* No rua published: the draft's. */
	assert_int_equal(st->spec.nrua, 1);
	assert_int_equal(wizard_draft_change_save(d, st, &cause), 0);
	state_free(st);
	st = NULL;
	path = xasprintf("%s", d->state_path);
	assert_int_equal(state_load(path, &st, &cause), 0);
	assert_non_null(st->change);
	assert_string_equal(st->change->new_mx, "mx2.example.com");
	free(path);
	state_free(st);
	wizard_draft_free(d);
	scratch_remove(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mx_failing_per_host),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_list_del),
		cmocka_unit_test(test_defaults_keep_live),
		cmocka_unit_test(test_defaults_from_plan),
		cmocka_unit_test(test_enforce_offered),
		cmocka_unit_test(test_change_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
