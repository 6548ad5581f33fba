/*
 * Unit tests for engine/check_json: checks rebuilt from real `check --json`
 * documents of the lab (tests/golden/check, saved with update.sh there)
 * give the same text report as the live check did and the same JSON for
 * the layers they rebuild; hostile documents (truncated, wrong types,
 * huge arrays, unknown codes, another version) give a clear error or a
 * bounded check, never a crash.  Runs from the top of the tree.
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
#include <jansson.h>

#include "certinfo.h"
#include "check.h"
#include "check_json.h"
#include "cli/report_text.h"
#include "jsonw.h"
#include "layer.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "policy_fetch.h"
#include "smtp_probe.h"
#include "report_json.h"
#include "summary.h"
#include "verdict.h"
#include "xmalloc.h"

#define FIXTURES "tests/golden/check"

static const char *const fixtures[] = { "good-enforce", "mx-uncovered",
	"mx-self-signed", "mx-no-starttls", "policy-bom", "null-mx",
	"deleg-dangling" };
#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

static char *
slurp(const char *path, size_t *len)
{
	FILE  *f = fopen(path, "rb");
	char  *buf;
	size_t n = 0, cap = 65536, r;

	if (f == NULL)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	buf = xmalloc(cap + 1);
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = xreallocarray(buf, (cap *= 2) + 1, 1);
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static char *
fixture(const char *name, const char *ext, size_t *len)
{
	char *path = xasprintf("%s/%s%s", FIXTURES, name, ext), *s;

	s = slurp(path, len);
	free(path);
	return s;
}

static char *
text_of(const struct check *c)
{
	struct report_text_style st = { 0, 0 };
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f = open_memstream(&buf, &len);

	assert_non_null(f);
	report_text_check(f, c, NULL, &st);
	fclose(f);
	return buf;
}

static struct check *
load(const char *doc, size_t len)
{
	struct check *c;
	char	     *why = NULL;

	c = check_from_json(doc, len, &why);
	if (c == NULL)
		fail_msg("check_from_json: %s", why);
	assert_null(why);
	return c;
}

static struct check *
load_fails(const char *doc, size_t len, const char *want)
{
	struct check *c;
	char	     *why = NULL;

	c = check_from_json(doc, len, &why);
	assert_null(c);
	assert_non_null(why);
	if (want != NULL && strstr(why, want) == NULL)
		fail_msg("why \"%s\" does not say \"%s\"", why, want);
	free(why);
	return NULL;
}

static struct check *
load_json(json_t *root)
{
	char	     *s = json_dumps(root, JSON_COMPACT);
	struct check *c;
	char	     *why = NULL;

	c = check_from_json(s, strlen(s), &why);
	free(s);
	free(why);
	return c;
}

/* The snapshot's text report is the live check's, byte for byte. */
static void
test_text_matches_live(void **state)
{
	struct check *c;
	char	     *doc, *want, *got;
	size_t	      len, wlen, i;

	(void)state;
	for (i = 0; i < NFIXTURES; i++) {
		doc = fixture(fixtures[i], ".json", &len);
		want = fixture(fixtures[i], ".txt", &wlen);
		c = load(doc, len);
		assert_true(check_is_snapshot(c));
		assert_true(check_done(c));
		got = text_of(c);
		if (strcmp(got, want) != 0)
			fail_msg("%s: the snapshot's text differs:\n%s\n--- "
				 "live:\n%s",
			    fixtures[i], got, want);
		free(got);
		free(want);
		free(doc);
		check_free(c);
	}
}

/*
 * The layer's data as its class's json op writes it from what load
 * rebuilt (the verdict's is the top-level "verdict", always written from
 * the loaded verdict).  A reference kept until the next call.
 */
static json_t *
rebuilt(const struct check *c, enum check_layer l)
{
	static json_t *last;
	struct jsonw  *j = jsonw_new(0);
	char	      *s;

	json_decref(last);
	jsonw_object_begin(j, NULL);
	if (layer_class(l)->json != NULL)
		layer_class(l)->json(j, c);
	jsonw_object_end(j);
	s = jsonw_finish(j, NULL);
	jsonw_free(j);
	last = json_loads(s, JSON_ALLOW_NUL, NULL);
	free(s);
	return last;
}

/*
 * Saved again, a snapshot gives the document back byte for byte; and
 * statuses, timings, findings, summary lines, the verdict and the data of
 * the layers whose load op rebuilds it whole compare equal as JSON.
 */
static void
test_json_round_trip(void **state)
{
	static const char *const whole[] = { "dns", "fetch", "policy", "mx",
		"mx_tls", "tlsrpt" };
	struct check		*c;
	json_t			*a, *b, *la, *lb;
	json_error_t		 err;
	const char		*id, *key;
	json_t			*v;
	char			*doc, *again;
	size_t			 len, i, k, w;

	(void)state;
	for (i = 0; i < NFIXTURES; i++) {
		doc = fixture(fixtures[i], ".json", &len);
		c = load(doc, len);
		again = report_json(c, NULL, "mtasts-tui test", NULL);
		/* Saved again, byte for byte (the driver's tool string). */
		if (strcmp(again, doc) != 0)
			fail_msg("%s: saved again, the document differs",
			    fixtures[i]);
		a = json_loadb(doc, len, 0, &err);
		b = json_loads(again, 0, &err);
		assert_non_null(a);
		assert_non_null(b);
		assert_true(json_equal(json_object_get(a, "verdict"),
		    json_object_get(b, "verdict")));
		assert_true(json_equal(json_object_get(a, "findings"),
		    json_object_get(b, "findings")));
		assert_int_equal(json_array_size(json_object_get(a, "layers")),
		    json_array_size(json_object_get(b, "layers")));
		for (k = 0; k < json_array_size(json_object_get(a, "layers"));
		     k++) {
			la = json_array_get(json_object_get(a, "layers"), k);
			lb = json_array_get(json_object_get(b, "layers"), k);
			id = json_string_value(json_object_get(la, "id"));
			json_object_foreach(la, key, v)
			{
				if (strcmp(key, "data") == 0)
					continue;
				if (!json_equal(v, json_object_get(lb, key)))
					fail_msg("%s: layer %s: %s differs",
					    fixtures[i], id, key);
			}
			for (w = 0; w < sizeof(whole) / sizeof(whole[0]); w++)
				if (strcmp(id, whole[w]) == 0 &&
				    !json_equal(json_object_get(la, "data"),
					rebuilt(c, (enum check_layer)k)))
					fail_msg("%s: layer %s: the loaded "
						 "data writes other JSON",
					    fixtures[i], id);
		}
		json_decref(a);
		json_decref(b);
		free(again);
		free(doc);
		check_free(c);
	}
}

/* The drill-downs' data: MX hosts with coverage, chains with links. */
static void
test_drill_down_data(void **state)
{
	const struct mx_set	   *m;
	const struct mx_tls_result *t;
	const struct policy	   *p;
	struct check		   *c;
	char			   *doc;
	size_t			    len;

	(void)state;
	doc = fixture("mx-uncovered", ".json", &len);
	c = load(doc, len);
	free(doc);
	assert_non_null(p = check_policy(c));
	assert_int_equal(p->nmx, 1);
	assert_non_null(m = check_mx(c));
	assert_int_equal(m->nhost, 2);
	assert_string_equal(m->host[0].name, "mx1.mx-uncovered.test");
	assert_int_equal(m->host[0].pattern, 0);
	assert_int_equal(m->host[1].pattern, -1);
	assert_int_equal(m->host[1].addrs.n, 1);
	assert_non_null(t = check_mx_tls(c));
	assert_int_equal(t->nhosts, 2);
	assert_non_null(t->hosts[0].addrs[0].probe);
	assert_non_null(t->hosts[0].addrs[0].probe->chain);
	assert_true(t->hosts[0].addrs[0].probe->chain->ncerts >= 1);
	assert_non_null(t->hosts[0].addrs[0].verify);
	assert_non_null(check_fetch(c));
	assert_non_null(check_fetch(c)->addrs[0].chain);
	assert_non_null(check_verdict(c));
	assert_string_equal(check_domain(c), "mx-uncovered.test");
	assert_true(check_json_kept(c, CHECK_MX));
	assert_true(check_json_kept(c, CHECK_MX_TLS));
	assert_false(check_json_kept(c, CHECK_DANE));
	assert_non_null(check_json_layer_text(c, CHECK_DNS));
	assert_non_null(
	    strstr(check_json_layer_text(c, CHECK_DNS), "\"id\": \"dns\""));
	assert_int_equal(check_exit_status(c), 2);
	check_free(c);
}

/* Every prefix of a real document: an error, never a crash. */
static void
test_truncated(void **state)
{
	char  *doc, *why;
	size_t len, n;

	(void)state;
	doc = fixture("mx-uncovered", ".json", &len);
	for (n = 0; n < len - 2; n += n < 512 ? 1 : 61) {
		why = NULL;
		assert_null(check_from_json(doc, n, &why));
		assert_non_null(why);
		free(why);
	}
	free(doc);
}

static void
test_version_and_shape(void **state)
{
	char	doc[256];
	json_t *root;
	char   *s;
	size_t	len;

	(void)state;
	load_fails("", 0, "not JSON");
	load_fails("[]", 2, "not a JSON object");
	load_fails("{\"version\":3}", 13, "version 3");
	load_fails("{\"version\":\"2\"}", 15, "version");
	snprintf(doc, sizeof(doc),
	    "{\"version\":2,\"domain\":\"a..b\",\"checked_at\":"
	    "\"2026-01-01T00:00:00Z\",\"layers\":[]}");
	load_fails(doc, strlen(doc), "domain");
	snprintf(doc, sizeof(doc),
	    "{\"version\":2,\"domain\":\"a.example\",\"checked_at\":"
	    "\"yesterday\",\"layers\":[]}");
	load_fails(doc, strlen(doc), "checked_at");
	/* No verdict and no failure: every reader would trip on it. */
	snprintf(doc, sizeof(doc),
	    "{\"version\":2,\"domain\":\"a.example\",\"checked_at\":"
	    "\"2026-01-01T00:00:00Z\",\"layers\":[]}");
	load_fails(doc, strlen(doc), "verdict");
	/* Duplicate members are refused by the parser. */
	load_fails("{\"version\":2,\"version\":2}", 25, "duplicate");
	/* Over the cap: refused before parsing. */
	load_fails("{}", CHECK_JSON_MAX + 1, "MiB");

	/* A layer still running: not a finished check. */
	s = fixture("null-mx", ".json", &len);
	root = json_loadb(s, len, 0, NULL);
	free(s);
	json_object_set_new(json_array_get(json_object_get(root, "layers"), 0),
	    "status", json_string("running"));
	assert_null(load_json(root));
	json_decref(root);

	/* A layer twice. */
	s = fixture("null-mx", ".json", &len);
	root = json_loadb(s, len, 0, NULL);
	free(s);
	json_array_append(json_object_get(root, "layers"),
	    json_array_get(json_object_get(root, "layers"), 0));
	assert_null(load_json(root));
	json_decref(root);
}

/* Every member of every layer replaced by values of the wrong type. */
static void
test_wrong_types(void **state)
{
	json_t	     *vals[6], *root, *layers, *lo, *copy;
	const char   *key;
	json_t	     *v;
	struct check *c;
	char	     *s, *t;
	size_t	      len, i, k, n, nkeys;
	const char   *keys[64];

	(void)state;
	vals[0] = json_integer(-7);
	vals[1] = json_string("x");
	vals[2] = json_null();
	vals[3] = json_array();
	vals[4] = json_object();
	vals[5] = json_true();
	s = fixture("mx-uncovered", ".json", &len);
	root = json_loadb(s, len, 0, NULL);
	free(s);
	layers = json_object_get(root, "layers");
	for (k = 0; k < json_array_size(layers); k++) {
		lo = json_array_get(layers, k);
		nkeys = 0;
		json_object_foreach(lo, key, v)
		{
			if (nkeys < 64)
				keys[nkeys++] = key;
		}
		for (n = 0; n < nkeys; n++) {
			for (i = 0; i < 6; i++) {
				copy = json_deep_copy(root);
				json_object_set(
				    json_array_get(
					json_object_get(copy, "layers"), k),
				    keys[n], vals[i]);
				c = load_json(copy);
				if (c != NULL) {
					t = text_of(c);
					free(t);
					check_free(c);
				}
				json_decref(copy);
			}
		}
	}
	/* The top level's members, and the verdict's. */
	nkeys = 0;
	json_object_foreach(root, key, v)
	{
		if (nkeys < 64)
			keys[nkeys++] = key;
	}
	for (n = 0; n < nkeys; n++) {
		for (i = 0; i < 6; i++) {
			copy = json_deep_copy(root);
			json_object_set(copy, keys[n], vals[i]);
			c = load_json(copy);
			if (c != NULL) {
				free(text_of(c));
				check_free(c);
			}
			json_decref(copy);
		}
	}
	json_decref(root);
	for (i = 0; i < 6; i++)
		json_decref(vals[i]);
}

/* The data of the drill-down layers, each member of the wrong type. */
static void
test_wrong_types_in_data(void **state)
{
	static const char *const paths[][3] = { { "mx", "hosts", NULL },
		{ "mx_tls", "hosts", "addresses" },
		{ "fetch", "attempts", NULL } };
	json_t			*root, *copy, *lo, *arr, *el, *v;
	const char		*key, *keys[64];
	struct check		*c;
	char			*s;
	size_t			 len, p, k, n, nkeys;

	(void)state;
	s = fixture("mx-uncovered", ".json", &len);
	root = json_loadb(s, len, 0, NULL);
	free(s);
	for (p = 0; p < 3; p++) {
		for (k = 0;
		     k < json_array_size(json_object_get(root, "layers"));
		     k++) {
			lo = json_array_get(json_object_get(root, "layers"), k);
			if (strcmp(json_string_value(json_object_get(lo, "id")),
				paths[p][0]) != 0)
				continue;
			arr = json_object_get(json_object_get(lo, "data"),
			    paths[p][1]);
			el = json_array_get(arr, 0);
			if (paths[p][2] != NULL)
				el = json_array_get(
				    json_object_get(el, paths[p][2]), 0);
			nkeys = 0;
			json_object_foreach(el, key, v)
			{
				if (nkeys < 64)
					keys[nkeys++] = key;
			}
			for (n = 0; n < nkeys; n++) {
				json_object_set_new(el, "__swap", json_null());
				copy = json_deep_copy(root);
				json_object_del(el, "__swap");
				/* Find the same element in the copy. */
				lo = json_array_get(
				    json_object_get(copy, "layers"), k);
				arr = json_object_get(
				    json_object_get(lo, "data"), paths[p][1]);
				v = json_array_get(arr, 0);
				if (paths[p][2] != NULL)
					v = json_array_get(
					    json_object_get(v, paths[p][2]), 0);
				json_object_set_new(v, keys[n],
				    json_integer(12345));
				c = load_json(copy);
				assert_non_null(c);
				free(text_of(c));
				check_free(c);
				json_decref(copy);
			}
		}
	}
	json_decref(root);
}

/* Huge arrays are read up to their bounds, not held whole. */
static void
test_huge_arrays(void **state)
{
	json_t	      *root, *lo, *big, *f, *host;
	struct check  *c;
	char	      *s;
	size_t	       len, i, k;
	struct summary sum;

	(void)state;
	s = fixture("mx-uncovered", ".json", &len);
	root = json_loadb(s, len, 0, NULL);
	free(s);
	for (k = 0; k < json_array_size(json_object_get(root, "layers")); k++) {
		lo = json_array_get(json_object_get(root, "layers"), k);
		big = json_array();
		for (i = 0; i < 20000; i++)
			json_array_append_new(big, json_string("line"));
		json_object_set_new(lo, "summary", big);
		f = json_array_get(json_object_get(lo, "findings"), 0);
		big = json_array();
		for (i = 0; f != NULL && i < 2000; i++)
			json_array_append(big, f);
		if (f != NULL)
			json_object_set_new(lo, "findings", big);
		else
			json_decref(big);
		if (strcmp(json_string_value(json_object_get(lo, "id")),
			"mx") == 0) {
			host = json_array_get(
			    json_object_get(json_object_get(lo, "data"),
				"hosts"),
			    0);
			big = json_array();
			for (i = 0; i < 20000; i++)
				json_array_append(big, host);
			json_object_set_new(json_object_get(lo, "data"),
			    "hosts", big);
		}
	}
	c = load_json(root);
	assert_non_null(c);
	summary_layer(&sum, c, CHECK_DNS, 0);
	assert_int_equal(sum.n, SUMMARY_MAX_LINES);
	assert_true(
	    finding_list_count(check_layer_findings(c, CHECK_MX)) <= 1024);
	summary_clear(&sum);
	assert_true(check_mx(c)->nhost <= 64);
	free(text_of(c));
	check_free(c);
	json_decref(root);
}

/* A code this build does not know is kept, as a line where people look. */
static void
test_unknown_code(void **state)
{
	json_t	      *root, *lo, *f;
	struct check  *c;
	struct summary sum;
	char	      *s, *t;
	size_t	       len, i, found = 0;

	(void)state;
	s = fixture("mx-uncovered", ".json", &len);
	root = json_loadb(s, len, 0, NULL);
	free(s);
	lo = json_array_get(json_object_get(root, "layers"), CHECK_MX);
	f = json_object();
	json_object_set_new(f, "code", json_string("mx.from_the_future"));
	json_object_set_new(f, "severity", json_string("error"));
	json_object_set_new(f, "message", json_string("a newer finding"));
	json_array_append_new(json_object_get(lo, "findings"), f);
	/* An unknown layer and an unknown member are ignored. */
	f = json_object();
	json_object_set_new(f, "id", json_string("auth"));
	json_object_set_new(f, "status", json_string("pass"));
	json_array_append_new(json_object_get(root, "layers"), f);
	json_object_set_new(root, "from_a_later_build", json_true());
	c = load_json(root);
	assert_non_null(c);
	summary_layer(&sum, c, CHECK_MX, 0);
	for (i = 0; i < sum.n; i++)
		if (strstr(sum.line[i],
			"unknown finding mx.from_the_future "
			"(error): a newer finding") != NULL)
			found = 1;
	summary_clear(&sum);
	assert_true(found);
	t = text_of(c);
	assert_non_null(strstr(t, "mx.from_the_future"));
	free(t);
	check_free(c);
	json_decref(root);
}

/* Stored lines are hostile text: neutralised like network text. */
static void
test_hostile_lines(void **state)
{
	json_t	      *root, *lo;
	struct check  *c;
	struct summary sum;
	char	      *s;
	size_t	       len;

	(void)state;
	s = fixture("null-mx", ".json", &len);
	root = json_loadb(s, len, 0, NULL);
	free(s);
	lo = json_array_get(json_object_get(root, "layers"), CHECK_DNS);
	json_object_set_new(lo, "summary",
	    json_pack("[s]", "\x1b]52;c;AAAA\x07 evil \x1b[2J"));
	c = load_json(root);
	assert_non_null(c);
	summary_layer(&sum, c, CHECK_DNS, 0);
	assert_int_equal(sum.n, 1);
	assert_null(strchr(sum.line[0], '\x1b'));
	assert_null(strchr(sum.line[0], '\x07'));
	summary_clear(&sum);
	check_free(c);
	json_decref(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_matches_live),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_drill_down_data),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_version_and_shape),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_wrong_types_in_data),
		cmocka_unit_test(test_huge_arrays),
		cmocka_unit_test(test_unknown_code),
		cmocka_unit_test(test_hostile_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
