/*
 * Unit tests for engine/check_diff: a real `check --json` document from
 * the lab (good-enforce.test, transcripts and chains cut to the leaf:
 * tests/unit/data/check-good-enforce.json), edited the way a domain
 * changes between two runs of --watch, and hostile documents.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check_diff.h"
#include "xmalloc.h"

#define FIXTURE "tests/unit/data/check-good-enforce.json"

static json_t *
doc(void)
{
	json_error_t e;
	json_t	    *d = json_load_file(FIXTURE, 0, &e);

	if (d == NULL)
		fail_msg("%s: %s", FIXTURE, e.text);
	return d;
}

static json_t *
layer(json_t *d, const char *id)
{
	json_t *l;
	size_t	i;

	json_array_foreach(json_object_get(d, "layers"), i, l)
	{
		if (strcmp(json_string_value(json_object_get(l, "id")), id) ==
		    0)
			return json_object_get(l, "data");
	}
	fail_msg("no layer %s", id);
	return NULL;
}

/* The only change of kind k, checked against subject, old and new. */
static void
want_one(const struct check_diff *d, enum check_diff_kind k,
    const char *subject, const char *old, const char *new)
{
	const struct check_diff_change *c, *hit = NULL;
	size_t				i, n = 0;

	for (i = 0; i < check_diff_count(d); i++) {
		c = check_diff_at(d, i);
		if (c->kind == k) {
			hit = c;
			n++;
		}
	}
	assert_int_equal(n, 1);
	assert_string_equal(hit->subject, subject);
	if (old == NULL)
		assert_null(hit->old);
	else
		assert_string_equal(hit->old, old);
	if (new == NULL)
		assert_null(hit->new);
	else
		assert_string_equal(hit->new, new);
}

static size_t
count_kind(const struct check_diff *d, enum check_diff_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < check_diff_count(d); i++)
		if (check_diff_at(d, i)->kind == k)
			n++;
	return n;
}

static void
test_same(void **state)
{
	json_t		  *a = doc(), *b = doc();
	struct check_diff *d;

	(void)state;
	d = check_diff_new(a, b);
	assert_int_equal(check_diff_count(d), 0);
	assert_int_equal(check_diff_truncated(d), 0);
	check_diff_free(d);
	json_decref(a);
	json_decref(b);
}

static void
test_id(void **state)
{
	json_t		  *a = doc(), *b = doc();
	struct check_diff *d;
	char		  *line;

	(void)state;
	json_object_set_new(json_object_get(layer(b, "dns"), "record"), "id",
	    json_string("20261203T060000Z"));
	d = check_diff_new(a, b);
	assert_int_equal(check_diff_count(d), 1);
	want_one(d, CHECK_DIFF_ID, "_mta-sts.good-enforce.test",
	    "20261101T000000Z", "20261203T060000Z");
	assert_string_equal(check_diff_at(d, 0)->layer, "dns");
	line = check_diff_line(check_diff_at(d, 0));
	assert_string_equal(line,
	    "id _mta-sts.good-enforce.test: 20261101T000000Z -> "
	    "20261203T060000Z");
	free(line);
	check_diff_free(d);
	/* The record gone altogether. */
	json_object_set_new(layer(b, "dns"), "record", json_null());
	d = check_diff_new(a, b);
	want_one(d, CHECK_DIFF_ID, "_mta-sts.good-enforce.test",
	    "20261101T000000Z", NULL);
	line = check_diff_line(check_diff_at(d, 0));
	assert_string_equal(line,
	    "id _mta-sts.good-enforce.test: - 20261101T000000Z");
	free(line);
	check_diff_free(d);
	json_decref(a);
	json_decref(b);
}

static void
test_policy(void **state)
{
	json_t		  *a = doc(), *b = doc(), *p, *mx;
	struct check_diff *d;
	size_t		   i, seen = 0;

	(void)state;
	p = layer(b, "policy");
	json_object_set_new(p, "mode", json_string("testing"));
	json_object_set_new(p, "max_age", json_integer(86400));
	mx = json_object_get(p, "mx");
	json_array_remove(mx, 1); /* *.backup.good-enforce.test */
	json_array_append_new(mx,
	    json_pack("{s:s,s:i}", "pattern", "mx3.good-enforce.test", "line",
		5));
	d = check_diff_new(a, b);
	assert_int_equal(count_kind(d, CHECK_DIFF_POLICY), 4);
	for (i = 0; i < check_diff_count(d); i++) {
		const struct check_diff_change *c = check_diff_at(d, i);

		if (c->kind != CHECK_DIFF_POLICY)
			continue;
		if (strcmp(c->subject, "mode") == 0) {
			assert_string_equal(c->old, "enforce");
			assert_string_equal(c->new, "testing");
			seen |= 1;
		} else if (strcmp(c->subject, "max_age") == 0) {
			assert_string_equal(c->old, "604800");
			assert_string_equal(c->new, "86400");
			seen |= 2;
		} else if (c->old == NULL) {
			assert_string_equal(c->subject, "mx");
			assert_string_equal(c->new, "mx3.good-enforce.test");
			seen |= 4;
		} else {
			assert_string_equal(c->subject, "mx");
			assert_string_equal(c->old,
			    "*.backup.good-enforce.test");
			assert_null(c->new);
			seen |= 8;
		}
	}
	assert_int_equal(seen, 15);
	check_diff_free(d);
	json_decref(a);
	json_decref(b);
}

static void
test_mx_and_addresses(void **state)
{
	json_t		  *a = doc(), *b = doc(), *hosts, *res;
	struct check_diff *d;

	(void)state;
	hosts = json_object_get(layer(b, "mx"), "hosts");
	json_array_append_new(hosts,
	    json_pack("{s:s,s:i,s:[s]}", "name", "mx3.good-enforce.test",
		"preference", 30, "addresses", "127.0.2.99"));
	res = json_object_get(layer(b, "fetch"), "resolution");
	json_object_set_new(res, "addresses", json_pack("[s]", "127.0.1.99"));
	d = check_diff_new(a, b);
	want_one(d, CHECK_DIFF_MX, "good-enforce.test", NULL,
	    "30 mx3.good-enforce.test");
	/* mx3's address is new; the policy host's one replaced. */
	assert_int_equal(count_kind(d, CHECK_DIFF_ADDRESS), 3);
	check_diff_free(d);
	/* The policy host's address only: one gone, one new. */
	json_decref(b);
	b = doc();
	res = json_object_get(layer(b, "fetch"), "resolution");
	json_object_set_new(res, "addresses", json_pack("[s]", "127.0.1.99"));
	d = check_diff_new(a, b);
	assert_int_equal(check_diff_count(d), 2);
	assert_string_equal(check_diff_at(d, 0)->subject,
	    "mta-sts.good-enforce.test");
	assert_string_equal(check_diff_at(d, 0)->layer, "fetch");
	assert_string_equal(check_diff_at(d, 0)->old, "127.0.1.17");
	assert_string_equal(check_diff_at(d, 1)->new, "127.0.1.99");
	check_diff_free(d);
	json_decref(a);
	json_decref(b);
}

static void
test_certificate(void **state)
{
	json_t		  *a = doc(), *b = doc(), *leaf;
	struct check_diff *d;
	char		  *line;

	(void)state;
	leaf = json_array_get(
	    json_object_get(
		json_object_get(
		    json_array_get(
			json_object_get(
			    json_array_get(
				json_object_get(layer(b, "mx_tls"), "hosts"),
				0),
			    "addresses"),
			0),
		    "chain"),
		"certificates"),
	    0);
	json_object_set_new(leaf, "sha256",
	    json_string("00112233445566778899aabbccddeeff00112233445566778899"
			"aabbccddeeff"));
	json_object_set_new(leaf, "not_after",
	    json_string("2027-03-01T00:00:00Z"));
	d = check_diff_new(a, b);
	assert_int_equal(check_diff_count(d), 1);
	assert_int_equal(check_diff_at(d, 0)->kind, CHECK_DIFF_CERTIFICATE);
	assert_string_equal(check_diff_at(d, 0)->subject,
	    "mx1.good-enforce.test 127.0.2.23");
	assert_string_equal(check_diff_at(d, 0)->layer, "mx_tls");
	assert_string_equal(check_diff_at(d, 0)->new,
	    "0011223344556677 until 2027-03-01T00:00:00Z (ok)");
	line = check_diff_line(check_diff_at(d, 0));
	assert_non_null(strstr(line,
	    "certificate mx1.good-enforce.test "
	    "127.0.2.23: "));
	assert_non_null(strstr(line, " -> 0011223344556677 until"));
	free(line);
	check_diff_free(d);
	json_decref(a);
	json_decref(b);
}

static void
test_findings_and_verdict(void **state)
{
	json_t		  *a = doc(), *b = doc(), *fl, *v;
	struct check_diff *d;

	(void)state;
	fl = json_object_get(b, "findings");
	/* A new message for the same code and subject is no change. */
	json_object_set_new(json_array_get(fl, 1), "message",
	    json_string("reworded"));
	json_array_remove(fl, 0); /* policy.mx_wildcard */
	json_array_append_new(fl,
	    json_pack("{s:s,s:s,s:s,s:s}", "code", "mx_tls.cert_expired",
		"severity", "error", "subject", "mx1.good-enforce.test",
		"message", "the certificate expired"));
	v = json_object_get(b, "verdict");
	json_object_set_new(json_object_get(v, "delivery"), "state",
	    json_string("some"));
	json_object_set_new(b, "exit_status", json_integer(2));
	d = check_diff_new(a, b);
	want_one(d, CHECK_DIFF_FINDING_GONE,
	    "policy.mx_wildcard https://mta-sts.good-enforce.test/.well-known/"
	    "mta-sts.txt",
	    json_string_value(json_object_get(
		json_array_get(json_object_get(a, "findings"), 0), "message")),
	    NULL);
	want_one(d, CHECK_DIFF_FINDING_ADDED,
	    "mx_tls.cert_expired mx1.good-enforce.test", NULL,
	    "the certificate expired");
	assert_int_equal(count_kind(d, CHECK_DIFF_VERDICT), 2);
	assert_int_equal(check_diff_count(d), 4);
	check_diff_free(d);
	json_decref(a);
	json_decref(b);
}

static void
test_layer_status(void **state)
{
	json_t		  *a = doc(), *b = doc(), *l;
	struct check_diff *d;
	json_t		  *arr;
	size_t		   i;

	(void)state;
	json_array_foreach(json_object_get(b, "layers"), i, l)
	{
		if (strcmp(json_string_value(json_object_get(l, "id")),
			"tlsrpt") == 0)
			json_object_set_new(l, "status", json_string("fail"));
	}
	d = check_diff_new(a, b);
	want_one(d, CHECK_DIFF_LAYER, "tlsrpt", "pass", "fail");
	arr = check_diff_json(d);
	assert_int_equal(json_array_size(arr), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(arr, 0), "kind")),
	    "layer");
	json_decref(arr);
	check_diff_free(d);
	json_decref(a);
	json_decref(b);
}

/* Hostile and odd documents: no crash, bounded, printable. */
static void
test_hostile(void **state)
{
	json_t		  *a = doc(), *b, *fl;
	struct check_diff *d;
	char		   big[5000], *line;
	size_t		   i;

	(void)state;
	/* Nothing before: everything is new; nothing after: all gone. */
	d = check_diff_new(NULL, a);
	assert_true(check_diff_count(d) > 10);
	assert_int_equal(count_kind(d, CHECK_DIFF_FINDING_GONE), 0);
	check_diff_free(d);
	b = json_string("not an object");
	d = check_diff_new(a, b);
	assert_int_equal(count_kind(d, CHECK_DIFF_FINDING_ADDED), 0);
	assert_true(count_kind(d, CHECK_DIFF_FINDING_GONE) > 0);
	check_diff_free(d);
	json_decref(b);
	/* Every member of the wrong type. */
	b = json_pack("{s:i,s:s,s:[i,s,{s:i,s:[]}],s:{s:i},s:s}", "domain", 7,
	    "layers", "x", "findings", 1, "y", "code", 3, "data", "verdict",
	    "delivery", 5, "exit_status", "x");
	assert_non_null(b);
	d = check_diff_new(b, b);
	assert_int_equal(check_diff_count(d), 0);
	check_diff_free(d);
	json_decref(b);
	/* 5000 findings with control characters and a long subject. */
	b = doc();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fl = json_object_get(b, "findings");
	for (i = 0; i < 5000; i++) {
		char code[64];

		snprintf(code, sizeof(code), "x.\x1b[31m%zu", i);
		json_array_append_new(fl,
		    json_pack("{s:s,s:s,s:s}", "code", code, "subject", big,
			"message", "\x1b]52;c;AAAA\x07"));
	}
	d = check_diff_new(a, b);
	assert_int_equal(check_diff_count(d), CHECK_DIFF_MAX_CHANGES);
	assert_int_equal(check_diff_truncated(d), 1);
	for (i = 0; i < check_diff_count(d); i++) {
		line = check_diff_line(check_diff_at(d, i));
		assert_null(strchr(line, '\x1b'));
		assert_null(strchr(line, '\x07'));
		assert_true(strlen(line) < 3 * CHECK_DIFF_MAX_STR);
		free(line);
	}
	check_diff_free(d);
	json_decref(a);
	json_decref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_mx_and_addresses),
		cmocka_unit_test(test_certificate),
		cmocka_unit_test(test_findings_and_verdict),
		cmocka_unit_test(test_layer_status),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
