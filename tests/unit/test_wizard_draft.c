/*
 * Unit tests for the wizard's draft (wizard/draft.h): which MX hosts the
 * STARTTLS probe failed on, judged per host and address from the probe
 * results (not by the prefix of a finding subject), the validators of
 * typed values, and the *. wildcard replacing the names it covers.
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
#include "xmalloc.h"
#include "wizard/draft.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mx_failing_per_host),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_list_del),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
