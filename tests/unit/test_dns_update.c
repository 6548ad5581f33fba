/* Unit tests: dns_update's key files, prerequisites and nsupdate script. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dns_update.h"

/* Writes text to a temporary key file; returns its path (static). */
static const char *
keyfile(const char *text)
{
	static char path[64];
	FILE	   *f;
	int	    fd;

	snprintf(path, sizeof(path), "/tmp/test_dns_update.XXXXXX");
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(text, f);
	fclose(f);
	return path;
}

static struct dns_tsig_key *
read_key(const char *text, char **cause)
{
	const char	    *path = keyfile(text);
	struct dns_tsig_key *k;

	*cause = NULL;
	k = dns_tsig_key_read(path, cause);
	unlink(path);
	return k;
}

static void
test_key_bind_format(void **state)
{
	struct dns_tsig_key *k;
	char		    *cause;

	(void)state;
	k = read_key(
	    "# made by tsig-keygen\n"
	    "key \"apply-key.\" {\n\talgorithm hmac-sha256;\n"
	    "\tsecret \"kjiK2ovFut18uoZsKIBX2bTjm00v9my8BFx8mLME5KI=\";"
	    "\n};\n",
	    &cause);
	assert_non_null(k);
	assert_string_equal(dns_tsig_key_name(k), "apply-key.");
	dns_tsig_key_free(k);
	k = read_key("key k { algorithm HMAC-SHA512; secret \"AAAA\"; };",
	    &cause);
	assert_non_null(k);
	dns_tsig_key_free(k);
}

static void
test_key_refused(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} bad[] = {
		{ "key k { algorithm hmac-md5; secret \"AAAA\"; };",
		    "hmac-md5 is not offered" },
		{ "key k { algorithm hmac-sha384; secret \"AAAA\"; };",
		    "hmac-sha384 is not offered" },
		{ "key k { algorithm hmac-sha256; secret \"not base64!\"; };",
		    "not base64" },
		{ "key k { algorithm hmac-sha256; };", "no secret" },
		{ "key k { secret \"AAAA\"; };", "no algorithm" },
		{ "zone x { };", "not a BIND key file" },
		{ "key k { algorithm hmac-sha256 secret \"AAAA\"; };",
		    "not a BIND key file" },
		{ "key k { algorithm hmac-sha256; secret \"AAAA\";",
		    "not a BIND key file" },
		{ "", "not a BIND key file" },
	};
	struct dns_tsig_key *k;
	char		    *cause;
	size_t		     i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k = read_key(bad[i].text, &cause);
		assert_null(k);
		assert_non_null(cause);
		if (strstr(cause, bad[i].why) == NULL)
			fail_msg("%s: got '%s', want '%s'", bad[i].text, cause,
			    bad[i].why);
		free(cause);
	}
	assert_null(dns_tsig_key_read("/nonexistent/key", &cause));
	free(cause);
}

static void
test_script_prerequisites(void **state)
{
	struct dns_update *u;
	char		  *old[] = { "\"v=STSv1; id=1\"" }, *s, *cause;

	(void)state;
	u = dns_update_new("example.test.");
	assert_int_equal(dns_update_set(u, "_mta-sts.example.test.", 300, old,
			     1, "\"v=STSv1; id=2\"", &cause),
	    0);
	assert_int_equal(dns_update_set(u, "_smtp._tls.example.test.", 3600,
			     NULL, 0, "\"v=TLSRPTv1; rua=mailto:a@b\"", &cause),
	    0);
	assert_int_equal(dns_update_count(u), 2);
	s = dns_update_script(u, "192.0.2.1", 0);
	assert_string_equal(s,
	    "server 192.0.2.1 53\n"
	    "zone example.test.\n"
	    "prereq yxrrset _mta-sts.example.test. IN TXT \"v=STSv1; id=1\"\n"
	    "prereq nxrrset _smtp._tls.example.test. IN TXT\n"
	    "update delete _mta-sts.example.test. IN TXT\n"
	    "update add _mta-sts.example.test. 300 IN TXT \"v=STSv1; id=2\"\n"
	    "update delete _smtp._tls.example.test. IN TXT\n"
	    "update add _smtp._tls.example.test. 3600 IN TXT \"v=TLSRPTv1; "
	    "rua=mailto:a@b\"\n"
	    "send\nanswer\n");
	free(s);
	s = dns_update_text(u);
	assert_non_null(strstr(s, "opcode: UPDATE"));
	assert_non_null(strstr(s, "ZONE: 1, PREREQ: 2, UPDATE: 4"));
	assert_non_null(strstr(s, ";; PREREQUISITE SECTION:"));
	assert_null(strstr(s, "Query time"));
	free(s);
	/* A record that does not parse is refused, not sent. */
	assert_int_equal(
	    dns_update_set(u, "bad..name.", 1, NULL, 0, "\"x\"", &cause), -1);
	free(cause);
	assert_int_equal(dns_update_count(u), 2);
	dns_update_free(u);
}

static void
test_send_no_server(void **state)
{
	struct dns_update *u;
	char		  *detail;

	(void)state;
	u = dns_update_new("example.test.");
	assert_int_equal(
	    dns_update_send(u, "not-an-address", 0, NULL, 0, &detail),
	    DNS_UPDATE_FAILED);
	assert_non_null(strstr(detail, "not an IP address"));
	free(detail);
	dns_update_free(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_bind_format),
		cmocka_unit_test(test_key_refused),
		cmocka_unit_test(test_script_prerequisites),
		cmocka_unit_test(test_send_no_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
