/*
 * Tests: the policy fetch against real HTTPS servers on loopback.
 *
 * tests/integration/fetch-local.sh starts one python3 process with a
 * port per scenario (and a test PKI); this test talks to it with the
 * port override and the test CA, and stops it by pid at the end.
 * Run from the top of the tree (as tests/run.sh does).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "certinfo.h"
#include "finding.h"
#include "policy_fetch.h"
#include "xmalloc.h"

static char  dir[] = "/tmp/test_policy_fetch.XXXXXX";
static char *cafile;

#define HOST "mta-sts.example.test"

static int
setup(void **state)
{
	char *cmd;
	int   rv;

	(void)state;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	if (mkdtemp(dir) == NULL)
		return -1;
	cmd = xasprintf("sh tests/integration/fetch-local.sh start %s", dir);
	rv = system(cmd);
	free(cmd);
	cafile = xasprintf("%s/ca.pem", dir);
	return rv == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd;
	int   rv;

	(void)state;
	cmd = xasprintf("sh tests/integration/fetch-local.sh stop %s && "
			"rm -rf %s",
	    dir, dir);
	rv = system(cmd);
	free(cmd);
	free(cafile);
	curl_global_cleanup();
	return rv == 0 ? 0 : -1;
}

/* The port of a scenario, from DIR/ports. */
static unsigned
port_of(const char *scenario)
{
	char	 line[128], name[64], *path;
	unsigned port = 0, p;
	FILE	*f;

	path = xasprintf("%s/ports", dir);
	f = fopen(path, "r");
	free(path);
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%63s %u", name, &p) == 2 &&
		    strcmp(name, scenario) == 0)
			port = p;
	fclose(f);
	assert_int_not_equal(port, 0);
	return port;
}

static int
has_v6(void)
{
	char  line[128], *path;
	int   yes = 0;
	FILE *f;

	path = xasprintf("%s/ports", dir);
	f = fopen(path, "r");
	free(path);
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "ok ", 3) == 0 && strstr(line, " v6"))
			yes = 1;
	fclose(f);
	return yes;
}

static struct policy_fetch_result *
fetch(const char *scenario, const char *const *addrs, size_t n, long connect_ms,
    long total_ms)
{
	struct policy_fetch_options o;
	struct policy_fetch_result *r;
	const struct finding	   *f;
	char			   *cause = NULL;
	size_t			    i;

	memset(&o, 0, sizeof(o));
	o.ca_file = cafile;
	o.port = port_of(scenario);
	o.connect_timeout_ms = connect_ms;
	o.total_timeout_ms = total_ms;
	r = policy_fetch(HOST, addrs, n, &o, &cause);
	if (r == NULL)
		fail_msg("policy_fetch: %s", cause);
	for (i = 0; i < r->naddrs; i++)
		print_message("# %s %s: %s (%s) %ld ms tls=%s cipher=%s "
			      "certs=%zu\n",
		    scenario, r->addrs[i].address,
		    policy_fetch_outcome_name(r->addrs[i].outcome),
		    r->addrs[i].detail, r->addrs[i].elapsed_ms,
		    r->addrs[i].tls_version ? r->addrs[i].tls_version : "-",
		    r->addrs[i].tls_cipher ? r->addrs[i].tls_cipher : "-",
		    r->addrs[i].chain ? r->addrs[i].chain->ncerts : 0);
	for (i = 0; i < finding_list_count(r->findings); i++) {
		f = finding_list_get(r->findings, i);
		print_message("#   %s %s [%s] %s\n",
		    finding_severity_name(f->severity),
		    finding_code_name(f->code), f->subject ? f->subject : "-",
		    f->message ? f->message : "");
	}
	return r;
}

static const char *const lo4[] = { "127.0.0.1" };

/* The one finding of r has this code, subject and severity. */
static void
one_finding(const struct policy_fetch_result *r, enum finding_code code,
    enum finding_severity sev)
{
	const struct finding *f;

	assert_int_equal(finding_list_count(r->findings), 1);
	f = finding_list_get(r->findings, 0);
	if (f->code != code)
		fail_msg("finding %s, want %s", finding_code_name(f->code),
		    finding_code_name(code));
	assert_int_equal(f->severity, sev);
}

static void
test_ok(void **state)
{
	struct policy_fetch_result     *r;
	const struct policy_fetch_addr *a;
	char			       *log, *path, line[512];
	FILE			       *f;

	(void)state;
	r = fetch("ok", lo4, 1, 0, 0);
	assert_int_equal(r->naddrs, 1);
	a = &r->addrs[0];
	assert_int_equal(a->outcome, POLICY_FETCH_OK);
	assert_int_equal(a->http_status, 200);
	assert_int_equal(a->family, 4);
	assert_string_equal(a->content_type, "text/plain; charset=utf-8");
	assert_null(a->location);
	assert_null(a->cache_control);
	assert_int_equal(finding_list_count(r->findings), 0);
	assert_int_equal(r->body_addr, 0);
	assert_non_null(r->body);
	assert_true(strncmp(r->body, "version: STSv1\r\n", 16) == 0);
	assert_int_equal(r->body_len, a->body_len);
	assert_non_null(a->tls_version);
	assert_true(strcmp(a->tls_version, "TLS1.2") == 0 ||
	    strcmp(a->tls_version, "TLS1.3") == 0);
	assert_non_null(a->tls_cipher);
	assert_non_null(a->chain);
	assert_int_equal(a->chain->ncerts, 2);
	assert_string_equal(a->chain->certs[1].subject,
	    "CN=Fetch Test Intermediate");
	assert_non_null(a->verify);
	assert_int_equal(a->verify->verdict, CERTINFO_OK);
	assert_int_equal(a->verify->matched_dns, 0);
	assert_string_equal(r->url, "https://" HOST POLICY_FETCH_PATH);
	policy_fetch_result_free(r);

	/* What the server saw: SNI, Host, our UA, no caching headers. */
	path = xasprintf("%s/requests", dir);
	f = fopen(path, "r");
	free(path);
	assert_non_null(f);
	log = NULL;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "ok ", 3) == 0) {
			free(log);
			log = xstrdup(line);
		}
	fclose(f);
	assert_non_null(log);
	assert_non_null(strstr(log, " sni=" HOST " "));
	assert_non_null(strstr(log, " host=" HOST " "));
	assert_non_null(strstr(log, " path=" POLICY_FETCH_PATH " "));
	assert_non_null(strstr(log, " ua=mtasts-tui/"));
	assert_null(strstr(log, "if-none-match"));
	assert_null(strstr(log, "if-modified-since"));
	assert_null(strstr(log, "cache-control"));
	free(log);
}

static void
test_ipv6(void **state)
{
	static const char *const    both[] = { "::1", "127.0.0.1" };
	struct policy_fetch_options o;
	struct policy_fetch_result *r;
	char			   *cause = NULL;

	(void)state;
	if (!has_v6())
		skip();
	r = fetch("ok", both, 2, 0, 0);
	assert_int_equal(r->naddrs, 2);
	assert_int_equal(r->addrs[0].family, 6);
	assert_int_equal(r->addrs[0].outcome, POLICY_FETCH_OK);
	assert_int_equal(r->addrs[1].outcome, POLICY_FETCH_OK);
	assert_int_equal(r->body_addr, 0);
	assert_int_equal(finding_list_count(r->findings), 0);
	policy_fetch_result_free(r);

	/* Family filter: only the IPv4 address is tried. */
	memset(&o, 0, sizeof(o));
	o.ca_file = cafile;
	o.port = port_of("ok");
	o.family = 4;
	r = policy_fetch(HOST, both, 2, &o, &cause);
	assert_non_null(r);
	assert_int_equal(r->naddrs, 1);
	assert_string_equal(r->addrs[0].address, "127.0.0.1");
	policy_fetch_result_free(r);
}

struct fail_case {
	const char		 *scenario;
	enum policy_fetch_outcome outcome;
	enum finding_code	  code;
	enum finding_severity	  severity;
	long			  status;
};

static const struct fail_case fails[] = {
	{ "notfound", POLICY_FETCH_HTTP_STATUS, FINDING_FETCH_HTTP_STATUS,
	    FINDING_ERROR, 404 },
	{ "redirect", POLICY_FETCH_REDIRECT, FINDING_FETCH_REDIRECT,
	    FINDING_ERROR, 301 },
	{ "html", POLICY_FETCH_CONTENT_TYPE, FINDING_FETCH_CONTENT_TYPE,
	    FINDING_ERROR, 200 },
	{ "big", POLICY_FETCH_TOO_LARGE, FINDING_FETCH_TOO_LARGE,
	    FINDING_WARNING, 200 },
	{ "untrusted", POLICY_FETCH_TLS_UNTRUSTED, FINDING_FETCH_TLS_UNTRUSTED,
	    FINDING_ERROR, 0 },
	{ "expired", POLICY_FETCH_TLS_EXPIRED, FINDING_FETCH_TLS_EXPIRED,
	    FINDING_ERROR, 0 },
	{ "wrongname", POLICY_FETCH_TLS_NAME, FINDING_FETCH_TLS_NAME_MISMATCH,
	    FINDING_ERROR, 0 },
	/* libcurl+GnuTLS accepts the CN; we must not (FETCH-3). */
	{ "cnonly", POLICY_FETCH_TLS_NAME, FINDING_FETCH_TLS_NAME_MISMATCH,
	    FINDING_ERROR, -1 },
	{ "incomplete", POLICY_FETCH_TLS_INCOMPLETE,
	    FINDING_FETCH_TLS_INCOMPLETE_CHAIN, FINDING_ERROR, 0 },
	{ "tls11", POLICY_FETCH_TLS_HANDSHAKE, FINDING_FETCH_TLS_VERSION,
	    FINDING_ERROR, 0 },
};

static void
test_failures(void **state)
{
	struct policy_fetch_result     *r;
	const struct policy_fetch_addr *a;
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(fails) / sizeof(fails[0]); i++) {
		r = fetch(fails[i].scenario, lo4, 1, 0, 0);
		a = &r->addrs[0];
		if (a->outcome != fails[i].outcome)
			fail_msg("%s: outcome %s, want %s", fails[i].scenario,
			    policy_fetch_outcome_name(a->outcome),
			    policy_fetch_outcome_name(fails[i].outcome));
		one_finding(r, fails[i].code, fails[i].severity);
		assert_string_equal(finding_list_get(r->findings, 0)->subject,
		    "127.0.0.1");
		if (fails[i].status >= 0)
			assert_int_equal(a->http_status, fails[i].status);
		assert_null(r->body);
		assert_int_equal(r->body_addr, -1);
		if (fails[i].code >= FINDING_FETCH_TLS_UNTRUSTED &&
		    fails[i].code <= FINDING_FETCH_TLS_INCOMPLETE_CHAIN) {
			/* The chain is evidence even when TLS failed. */
			assert_non_null(a->chain);
			assert_non_null(a->verify);
		}
		policy_fetch_result_free(r);
	}

	r = fetch("redirect", lo4, 1, 0, 0);
	assert_string_equal(r->addrs[0].location,
	    "https://www.example.test/mta-sts.txt");
	assert_non_null(strstr(finding_list_get(r->findings, 0)->message,
	    "https://www.example.test/mta-sts.txt"));
	policy_fetch_result_free(r);

	r = fetch("big", lo4, 1, 0, 0);
	assert_int_equal(r->addrs[0].truncated, 1);
	assert_int_equal(r->addrs[0].body_len, POLICY_FETCH_MAX_BODY);
	policy_fetch_result_free(r);
}

/* Exactly 65536 bytes is within the cap. */
static void
test_exact_cap(void **state)
{
	struct policy_fetch_result *r;

	(void)state;
	r = fetch("exact", lo4, 1, 0, 0);
	assert_int_equal(r->addrs[0].outcome, POLICY_FETCH_OK);
	assert_int_equal(r->addrs[0].truncated, 0);
	assert_int_equal(r->body_len, POLICY_FETCH_MAX_BODY);
	policy_fetch_result_free(r);
}

static void
test_headers(void **state)
{
	struct policy_fetch_result *r;
	const struct finding	   *f;
	long			    i;

	(void)state;
	r = fetch("noct", lo4, 1, 0, 0);
	assert_int_equal(r->addrs[0].outcome, POLICY_FETCH_OK);
	assert_non_null(r->body);
	one_finding(r, FINDING_FETCH_CONTENT_TYPE, FINDING_WARNING);
	policy_fetch_result_free(r);

	r = fetch("charset", lo4, 1, 0, 0);
	assert_int_equal(r->addrs[0].outcome, POLICY_FETCH_OK);
	assert_string_equal(r->addrs[0].cache_control, "max-age=60, public");
	assert_int_equal(finding_list_count(r->findings), 2);
	i = finding_list_find(r->findings, FINDING_FETCH_CHARSET, 0);
	assert_true(i >= 0);
	f = finding_list_get(r->findings, (size_t)i);
	assert_int_equal(f->severity, FINDING_INFO);
	assert_non_null(strstr(f->message, "ISO-8859-1"));
	assert_true(finding_list_find(r->findings, FINDING_FETCH_CACHE_CONTROL,
			0) >= 0);
	policy_fetch_result_free(r);
}

/* One address works, one refuses: address_failed only, no error. */
static void
test_address_failed(void **state)
{
	static const char *const    two[] = { "127.0.0.2", "127.0.0.1" };
	struct policy_fetch_result *r;
	const struct finding	   *f;

	(void)state;
	r = fetch("ok", two, 2, 0, 0);
	assert_int_equal(r->naddrs, 2);
	assert_int_equal(r->addrs[0].outcome, POLICY_FETCH_CONNECT_FAILED);
	assert_int_equal(r->addrs[1].outcome, POLICY_FETCH_OK);
	assert_int_equal(r->body_addr, 1);
	one_finding(r, FINDING_FETCH_ADDRESS_FAILED, FINDING_WARNING);
	f = finding_list_get(r->findings, 0);
	assert_string_equal(f->subject, "127.0.0.2");
	assert_non_null(strstr(f->message, "fetch.connect_failed"));
	policy_fetch_result_free(r);

	/* Both fail: each address gets its own specific finding. */
	r = fetch("notfound", two, 2, 0, 0);
	assert_int_equal(finding_list_count(r->findings), 2);
	assert_int_equal(finding_list_get(r->findings, 0)->code,
	    FINDING_FETCH_CONNECT_FAILED);
	assert_int_equal(finding_list_get(r->findings, 1)->code,
	    FINDING_FETCH_HTTP_STATUS);
	assert_null(r->body);
	policy_fetch_result_free(r);
}

static void
test_unresolvable(void **state)
{
	static const char *const    junk[] = { "not-an-address" };
	struct policy_fetch_result *r;

	(void)state;
	r = fetch("ok", NULL, 0, 0, 0);
	assert_int_equal(r->naddrs, 0);
	one_finding(r, FINDING_FETCH_HOST_UNRESOLVABLE, FINDING_ERROR);
	assert_string_equal(finding_list_get(r->findings, 0)->subject, HOST);
	policy_fetch_result_free(r);

	r = fetch("ok", junk, 1, 0, 0);
	assert_int_equal(r->addrs[0].outcome, POLICY_FETCH_CONNECT_FAILED);
	policy_fetch_result_free(r);
}

/* Slow runs (valgrind) stretch every time: MTASTS_TEST_TIME_SCALE=N. */
static long
tscale(void)
{
	const char *s = getenv("MTASTS_TEST_TIME_SCALE");
	long	    n;

	n = s != NULL ? strtol(s, NULL, 10) : 1;
	return n > 0 ? n : 1;
}

/* A server that accepts and never answers costs the timeout, no more. */
static void
test_timeout(void **state)
{
	static const char *const    three[] = { "127.0.0.1", "127.0.0.1",
		   "127.0.0.1" };
	struct policy_fetch_result *r;
	struct timespec		    t0, t1;
	long			    ms;
	size_t			    i;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fetch("stall", three, 3, 1000 * tscale(), 1500 * tscale());
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	print_message("# 3 stalled handshakes took %ld ms\n", ms);
	/* Concurrent: three stalls cost one connect timeout, not three. */
	assert_true(ms >= 950 * tscale() && ms < 1800 * tscale());
	for (i = 0; i < 3; i++) {
		assert_int_equal(r->addrs[i].outcome, POLICY_FETCH_TIMEOUT);
		assert_int_equal(finding_list_get(r->findings, i)->code,
		    FINDING_FETCH_TIMEOUT);
	}
	policy_fetch_result_free(r);

	/* Handshake done, request never answered: the total timeout. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fetch("slow", three, 2, 1000 * tscale(), 1500 * tscale());
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	print_message("# 2 silent servers took %ld ms\n", ms);
	assert_true(ms >= 1450 * tscale() && ms < 2300 * tscale());
	for (i = 0; i < 2; i++) {
		assert_int_equal(r->addrs[i].outcome, POLICY_FETCH_TIMEOUT);
		assert_non_null(r->addrs[i].chain);
		assert_non_null(r->addrs[i].tls_version);
	}
	policy_fetch_result_free(r);
}

static void
test_bad_ca(void **state)
{
	struct policy_fetch_options o;
	char			   *cause = NULL;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.ca_file = "/nonexistent/ca.pem";
	assert_null(policy_fetch(HOST, lo4, 1, &o, &cause));
	assert_non_null(cause);
	free(cause);
}

struct ct_case {
	const char *value;
	int	    plain;
	const char *charset;
};

static const struct ct_case cts[] = {
	{ "text/plain", 1, NULL },
	{ "TEXT/PLAIN", 1, NULL },
	{ " text/plain ; charset=utf-8", 1, "utf-8" },
	{ "text/plain;charset=\"US-ASCII\"", 1, "US-ASCII" },
	{ "text/plain; format=flowed; charset=latin1; charset=utf-8", 1,
	    "latin1" },
	{ "text/plain; charset=\"a\\\"b\"", 1, "a\"b" },
	{ "text/plainx", 0, NULL },
	{ "text/plain html", 0, NULL },
	{ "text/html; charset=utf-8", 0, "utf-8" },
	{ "text", 0, NULL },
	{ "", 0, NULL },
	{ "/plain", 0, NULL },
	{ "application/octet-stream", 0, NULL },
	{ "text/plain; charset", 1, NULL },
};

static void
test_content_type(void **state)
{
	char  *cs;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cts) / sizeof(cts[0]); i++) {
		if (policy_fetch_content_type(cts[i].value, &cs) !=
		    cts[i].plain)
			fail_msg("\"%s\": want plain=%d", cts[i].value,
			    cts[i].plain);
		if (cts[i].charset == NULL)
			assert_null(cs);
		else {
			assert_non_null(cs);
			assert_string_equal(cs, cts[i].charset);
		}
		free(cs);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_bad_ca),
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_exact_cap),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_address_failed),
		cmocka_unit_test(test_unresolvable),
		cmocka_unit_test(test_timeout),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
