/*
 * Unit tests for engine/fleet and engine/jsonl: one small check document
 * per misconfiguration class (and a correct one), the hostile inputs of the
 * JSON Lines reader, and a domain found in two inputs.
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

#include "fleet.h"
#include "jsonl.h"
#include "xmalloc.h"

/* A correct enforce domain with two MX addresses; tests break one part. */
static const char base_doc[] =
    "{\"version\":2,\"domain\":\"a.example\",\"failure\":null,"
    "\"layers\":["
    "{\"id\":\"dns\",\"data\":{\"record\":{\"candidates\":1,\"valid\":true}}},"
    "{\"id\":\"fetch\",\"data\":{\"body_from\":\"192.0.2.1\",\"attempts\":["
    "{\"chain\":{\"certificates\":[{\"days_left\":80},{\"days_left\":5}],"
    "\"verification\":{\"verdict\":\"ok\"}}}]}},"
    "{\"id\":\"policy\",\"data\":{\"valid\":true}},"
    "{\"id\":\"mx\",\"data\":{\"hosts\":[{\"name\":\"mx.a.example\","
    "\"judged\":true,\"covered_by\":\"mx.a.example\",\"why_class\":null}]}},"
    "{\"id\":\"mx_tls\",\"data\":{\"hosts\":[{\"addresses\":["
    "{\"chain\":{\"certificates\":[{\"days_left\":30}],"
    "\"verification\":{\"verdict\":\"ok\"}}},"
    "{\"chain\":{\"certificates\":[{\"days_left\":40}],"
    "\"verification\":{\"verdict\":\"ok\"}}}]}]}},"
    "{\"id\":\"tlsrpt\",\"data\":{\"record\":{\"raw\":\"v=TLSRPTv1; "
    "rua=mailto:r@a.example\",\"valid\":true,\"usable\":true}}}],"
    "\"findings\":[],"
    "\"verdict\":{\"mode\":\"enforce\",\"delivery\":{\"state\":\"all\"},"
    "\"promotion\":{\"blockers\":[]}}}";

enum {
	L_DNS,
	L_FETCH,
	L_POLICY,
	L_MX,
	L_MX_TLS,
	L_TLSRPT
};

static json_t *
base(void)
{
	json_error_t e;
	json_t	    *d = json_loads(base_doc, 0, &e);

	if (d == NULL)
		fail_msg("base document: %s", e.text);
	return d;
}

static json_t *
data(json_t *doc, int layer)
{
	return json_object_get(
	    json_array_get(json_object_get(doc, "layers"), (size_t)layer),
	    "data");
}

static json_t *
mx_addr(json_t *doc, size_t i)
{
	return json_array_get(
	    json_object_get(
		json_array_get(json_object_get(data(doc, L_MX_TLS), "hosts"),
		    0),
		"addresses"),
	    i);
}

static void
add_finding(json_t *doc, const char *code)
{
	json_array_append_new(json_object_get(doc, "findings"),
	    json_pack("{s:s}", "code", code));
}

/* The row's classes joined by commas, "-" for none. */
static char *
classes_of(json_t *doc)
{
	struct fleet_row row;
	const char	*cause;
	char		 buf[512] = "";
	size_t		 i;

	if (fleet_classify(doc, &row, &cause) != 0)
		fail_msg("classify: %s", cause);
	for (i = 0; i < row.nclasses; i++) {
		strcat(buf, i ? "," : "");
		strcat(buf, row.classes[i]);
	}
	fleet_row_clear(&row);
	json_decref(doc);
	return xstrdup(buf[0] ? buf : "-");
}

static void
expect(json_t *doc, const char *want)
{
	char *got = classes_of(doc);

	assert_string_equal(got, want);
	free(got);
}

static void
test_correct(void **state)
{
	struct fleet_row row;
	const char	*cause;
	json_t		*d = base();

	(void)state;
	assert_int_equal(fleet_classify(d, &row, &cause), 0);
	assert_string_equal(row.domain, "a.example");
	assert_string_equal(row.answer, "all");
	assert_string_equal(row.mode, "enforce");
	assert_int_equal(row.nclasses, 0);
	assert_int_equal(row.nblockers, 0);
	/* The soonest first certificate: an MX leaf (30), not the
	 * intermediate of the policy host (5). */
	assert_true(row.has_expiry);
	assert_int_equal(row.expiry_days, 30);
	fleet_row_clear(&row);
	json_decref(d);
}

static void
test_record_invalid(void **state)
{
	json_t *d = base();

	(void)state;
	json_object_set_new(json_object_get(data(d, L_DNS), "record"), "valid",
	    json_false());
	expect(d, "record_invalid");
	/* No record at all is no class (the domain has no MTA-STS). */
	d = base();
	json_object_set_new(json_object_get(data(d, L_DNS), "record"),
	    "candidates", json_integer(0));
	json_object_set_new(json_object_get(data(d, L_DNS), "record"), "valid",
	    json_false());
	expect(d, "-");
}

static void
test_policy_fetch(void **state)
{
	json_t *d = base();

	(void)state;
	json_object_set_new(data(d, L_FETCH), "body_from", json_null());
	add_finding(d, "fetch.tls_name_mismatch");
	expect(d, "policy_tls_name");
	d = base();
	json_object_set_new(data(d, L_FETCH), "body_from", json_null());
	add_finding(d, "fetch.http_status");
	expect(d, "policy_not_served");
	d = base();
	json_object_set_new(data(d, L_POLICY), "valid", json_false());
	expect(d, "policy_invalid");
}

static void
test_mx_mismatch(void **state)
{
	json_t *d = base(), *h;

	(void)state;
	h = json_array_get(json_object_get(data(d, L_MX), "hosts"), 0);
	json_object_set_new(h, "covered_by", json_null());
	json_object_set_new(h, "why_class", json_string("typo"));
	expect(d, "mx_mismatch_typo");
	/* Not judged (no usable policy): no mismatch. */
	d = base();
	h = json_array_get(json_object_get(data(d, L_MX), "hosts"), 0);
	json_object_set_new(h, "covered_by", json_null());
	json_object_set_new(h, "judged", json_false());
	expect(d, "-");
	/* A document from before why_class, and a cause not known here. */
	d = base();
	h = json_array_get(json_object_get(data(d, L_MX), "hosts"), 0);
	json_object_set_new(h, "covered_by", json_null());
	json_object_del(h, "why_class");
	expect(d, "mx_mismatch_unknown");
	d = base();
	h = json_array_get(json_object_get(data(d, L_MX), "hosts"), 0);
	json_object_set_new(h, "covered_by", json_null());
	json_object_set_new(h, "why_class", json_string("typo\tx"));
	expect(d, "mx_mismatch_unknown");
}

static void
test_mx_cert(void **state)
{
	json_t *d = base();

	(void)state;
	json_object_set_new(
	    json_object_get(json_object_get(mx_addr(d, 0), "chain"),
		"verification"),
	    "verdict", json_string("expired"));
	expect(d, "mx_cert_some");
	d = base();
	json_object_set_new(
	    json_object_get(json_object_get(mx_addr(d, 0), "chain"),
		"verification"),
	    "verdict", json_string("untrusted"));
	json_object_set_new(
	    json_object_get(json_object_get(mx_addr(d, 1), "chain"),
		"verification"),
	    "verdict", json_string("name-mismatch"));
	expect(d, "mx_cert_all");
	/* An address that presented no certificate is not counted. */
	d = base();
	json_object_set_new(mx_addr(d, 0), "chain", json_null());
	json_object_set_new(
	    json_object_get(json_object_get(mx_addr(d, 1), "chain"),
		"verification"),
	    "verdict", json_string("incomplete-chain"));
	expect(d, "mx_cert_all");
}

static void
test_tlsrpt(void **state)
{
	json_t *d = base();

	(void)state;
	json_object_set_new(json_object_get(data(d, L_TLSRPT), "record"),
	    "usable", json_false());
	expect(d, "tlsrpt_invalid");
	/* No record (tlsrpt.missing) is not a class. */
	d = base();
	json_object_set_new(json_object_get(data(d, L_TLSRPT), "record"), "raw",
	    json_null());
	json_object_set_new(json_object_get(data(d, L_TLSRPT), "record"),
	    "usable", json_false());
	add_finding(d, "tlsrpt.missing");
	expect(d, "-");
	/* Two records: raw is null, the finding says it. */
	d = base();
	json_object_set_new(json_object_get(data(d, L_TLSRPT), "record"), "raw",
	    json_null());
	add_finding(d, "tlsrpt.multiple");
	expect(d, "tlsrpt_invalid");
}

/* Without an _mta-sts record only tlsrpt_invalid is judged. */
static void
test_no_record(void **state)
{
	json_t *d = base(), *rec, *h;

	(void)state;
	rec = json_object_get(data(d, L_DNS), "record");
	json_object_set_new(rec, "candidates", json_integer(0));
	json_object_set_new(rec, "valid", json_false());
	json_object_set_new(data(d, L_FETCH), "body_from", json_null());
	add_finding(d, "fetch.tls_name_mismatch");
	h = json_array_get(json_object_get(data(d, L_MX), "hosts"), 0);
	json_object_set_new(h, "covered_by", json_null());
	json_object_set_new(h, "why_class", json_string("typo"));
	json_object_set_new(
	    json_object_get(json_object_get(mx_addr(d, 0), "chain"),
		"verification"),
	    "verdict", json_string("untrusted"));
	json_object_set_new(json_object_get(data(d, L_TLSRPT), "record"),
	    "usable", json_false());
	expect(d, "tlsrpt_invalid");
}

static void
test_several_and_failed(void **state)
{
	struct fleet_row row;
	const char	*cause;
	json_t		*d = base(), *v;

	(void)state;
	json_object_set_new(json_object_get(data(d, L_DNS), "record"), "valid",
	    json_false());
	json_object_set_new(json_object_get(data(d, L_TLSRPT), "record"),
	    "usable", json_false());
	json_object_set_new(
	    json_object_get(json_object_get(mx_addr(d, 0), "chain"),
		"verification"),
	    "verdict", json_string("expired"));
	expect(d, "mx_cert_some,record_invalid,tlsrpt_invalid");

	d = base();
	json_object_set_new(d, "failure", json_string("resolver timed out"));
	json_object_set_new(data(d, L_POLICY), "valid", json_false());
	v = json_object_get(d, "verdict");
	json_object_set_new(v, "mode", json_null());
	json_array_append_new(
	    json_object_get(json_object_get(v, "promotion"), "blockers"),
	    json_pack("{s:s}", "code", "mx.uncovered"));
	json_array_append_new(
	    json_object_get(json_object_get(v, "promotion"), "blockers"),
	    json_pack("{s:s}", "code", "bad\ncode"));
	assert_int_equal(fleet_classify(d, &row, &cause), 0);
	assert_string_equal(row.answer, "failed");
	assert_string_equal(row.mode, "no_policy");
	assert_int_equal(row.nclasses, 0);
	assert_int_equal(row.nblockers, 1);
	assert_string_equal(row.blockers[0], "mx.uncovered");
	fleet_row_clear(&row);
	json_decref(d);

	/* Hostile: no domain, a domain with a tab, a state not known. */
	d = base();
	json_object_set_new(d, "domain", json_string("a\texample"));
	assert_int_equal(fleet_classify(d, &row, &cause), -1);
	json_object_del(d, "domain");
	assert_int_equal(fleet_classify(d, &row, &cause), -1);
	json_object_set_new(d, "domain", json_string("B.Example"));
	json_object_set_new(
	    json_object_get(json_object_get(d, "verdict"), "delivery"), "state",
	    json_string("all\tnone"));
	assert_int_equal(fleet_classify(d, &row, &cause), 0);
	assert_string_equal(row.domain, "b.example");
	assert_string_equal(row.answer, "unknown");
	fleet_row_clear(&row);
	json_decref(d);
}

/* Notes gathered by the tests. */
struct notes {
	char   buf[4096];
	size_t n;
};

static void
note(void *arg, const char *text)
{
	struct notes *ns = arg;

	strncat(ns->buf, text, sizeof(ns->buf) - strlen(ns->buf) - 2);
	strcat(ns->buf, "\n");
	ns->n++;
}

/* Reads text through a reader with cap max into fl; returns docs read. */
static int
read_into(struct fleet *fl, const char *name, const char *text, size_t max,
    struct notes *ns, unsigned long *skipped)
{
	struct jsonl *r;
	FILE	     *f;
	json_t	     *doc;
	unsigned long line;
	char	      where[64];
	int	      n = 0;

	f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	r = jsonl_new(f, name, max, note, ns);
	while (jsonl_next(r, &doc, &line) == 1) {
		snprintf(where, sizeof(where), "%s:%lu", name, line);
		fleet_add(fl, doc, where);
		json_decref(doc);
		n++;
	}
	*skipped = jsonl_skipped(r);
	jsonl_free(r);
	fclose(f);
	return n;
}

static void
test_reader_hostile(void **state)
{
	struct notes  ns;
	struct fleet *fl;
	unsigned long skipped;
	char	      text[1024], longline[300];

	(void)state;
	memset(&ns, 0, sizeof(ns));
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	longline[0] = '{';
	snprintf(text, sizeof(text),
	    "{\"mtasts_scan\":{\"version\":1}}\n"
	    "%s\n"
	    "{\"domain\":\"one.example\"}\n"
	    "garbage {\n"
	    "[1,2]\n"
	    "\n"
	    "{\"domain\":\"two.example\",\"domain\":\"x\"}\n"
	    "{\"nodomain\":1}\n"
	    "{\"mtasts_scan_end\":{}}\n"
	    "{\"domain\":\"cut.example\"",
	    longline);
	fl = fleet_new(note, &ns);
	/* Cap 200: the 299-byte line is over it, the rest under. */
	assert_int_equal(read_into(fl, "in.jsonl", text, 200, &ns, &skipped),
	    2);
	/* long line, garbage, array, duplicate key, truncated last line */
	assert_int_equal(skipped, 5);
	assert_non_null(strstr(ns.buf, "in.jsonl:2: line longer than the cap"));
	assert_non_null(strstr(ns.buf, "in.jsonl:4: not JSON"));
	assert_non_null(strstr(ns.buf, "in.jsonl:5: not a JSON object"));
	assert_non_null(strstr(ns.buf, "in.jsonl:7: not JSON"));
	assert_non_null(strstr(ns.buf, "in.jsonl:8: skipped: no \"domain\""));
	assert_non_null(
	    strstr(ns.buf, "in.jsonl:10: last line has no newline"));
	assert_int_equal(fleet_count(fl), 1);
	assert_string_equal(fleet_row_at(fl, 0)->domain, "one.example");
	assert_string_equal(fleet_row_at(fl, 0)->answer, "unknown");
	fleet_free(fl);
}

static void
test_duplicates(void **state)
{
	const struct fleet_tally *t;
	struct notes		  ns;
	struct fleet		 *fl;
	unsigned long		  skipped;
	char			 *a, *b;
	json_t			 *d;
	size_t			  i;

	(void)state;
	memset(&ns, 0, sizeof(ns));
	fl = fleet_new(note, &ns);
	/* shard 1: a.example correct, c.example typo; shard 2: a.example
	 * again, now with an invalid policy. */
	d = base();
	a = json_dumps(d, JSON_COMPACT);
	json_object_set_new(d, "domain", json_string("c.example"));
	json_object_set_new(
	    json_array_get(json_object_get(data(d, L_MX), "hosts"), 0),
	    "covered_by", json_null());
	json_object_set_new(
	    json_array_get(json_object_get(data(d, L_MX), "hosts"), 0),
	    "why_class", json_string("typo"));
	b = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	{
		char *t1 = xasprintf("%s\n%s\n", a, b);

		read_into(fl, "s1", t1, JSONL_MAX_LINE, &ns, &skipped);
		free(t1);
	}
	d = base();
	json_object_set_new(data(d, L_POLICY), "valid", json_false());
	free(a);
	a = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	{
		char *t2 = xasprintf("%s\n", a);

		read_into(fl, "s2", t2, JSONL_MAX_LINE, &ns, &skipped);
		free(t2);
	}
	assert_int_equal(fleet_count(fl), 2);
	assert_non_null(strstr(ns.buf, "a.example: s1:1 is replaced by s2:1"));
	assert_string_equal(fleet_row_at(fl, 0)->domain, "a.example");
	assert_int_equal(fleet_row_at(fl, 0)->nclasses, 1);
	assert_string_equal(fleet_row_at(fl, 0)->classes[0], "policy_invalid");
	for (i = 0; i < fleet_tally_count(fl, FLEET_CLASS); i++) {
		t = fleet_tally_at(fl, FLEET_CLASS, i);
		if (strcmp(t->key, "mx_mismatch_typo") == 0) {
			assert_int_equal(t->n, 1);
			assert_string_equal(t->domains[0], "c.example");
		} else if (strcmp(t->key, "policy_invalid") == 0)
			assert_int_equal(t->n, 1);
		else
			assert_int_equal(t->n, 0);
	}
	t = fleet_tally_at(fl, FLEET_ANSWER, 0);
	assert_string_equal(t->key, "all");
	assert_int_equal(t->n, 2);
	free(a);
	free(b);
	fleet_free(fl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_correct),
		cmocka_unit_test(test_record_invalid),
		cmocka_unit_test(test_policy_fetch),
		cmocka_unit_test(test_mx_mismatch),
		cmocka_unit_test(test_mx_cert),
		cmocka_unit_test(test_tlsrpt),
		cmocka_unit_test(test_no_record),
		cmocka_unit_test(test_several_and_failed),
		cmocka_unit_test(test_reader_hostile),
		cmocka_unit_test(test_duplicates),
	};

	return cmocka_run_group_tests_name("fleet", tests, NULL, NULL);
}
