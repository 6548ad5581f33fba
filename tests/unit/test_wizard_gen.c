/*
 * Unit tests for the wizard's generator (wizard/gen.c): golden files of
 * every output format, the outputs through our own parsers, YAML read back
 * through libyaml, validation naming the field, TXT splitting, iCalendar.
 *
 * MTASTS_GOLDEN_UPDATE=1 rewrites the golden files instead of comparing.
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

#include "scratch.h"

#include "finding.h"
#include "policy_parse.h"
#include "strbuf.h"
#include "sts_record.h"
#include "tlsrpt_record.h"
#include "xmalloc.h"
#include "wizard/gen.h"
#include "wizard/ics.h"
#include "wizard/schedule.h"
#include "wizard/state.h"
#include "wizard/yamlr.h"

#define GOLDEN "tests/golden/wizard"
#define DAY0   "2026-12-01"

/* Fills spec for golden case name. */
static void
spec_case(struct gen_spec *s, const char *name)
{
	static const char long_rua[] =
	    "https://tlsrpt-collector.reports.example.net/v1/submit/"
	    "0123456789abcdef0123456789abcdef0123456789abcdef";
	char *u;
	int   i;

	if (strcmp(name, "testing") == 0) {
		gen_spec_init(s, "example.com");
		gen_spec_add_mx(s, "mx1.example.com");
		gen_spec_add_mx(s, "*.backup.example.com");
		gen_spec_add_rua(s, "mailto:tlsrpt@example.com");
		gen_spec_add_addr(s, "192.0.2.10");
		gen_spec_add_addr(s, "2001:db8::10");
		gen_spec_set_id(s, "20261201T000000Z");
	} else if (strcmp(name, "enforce") == 0) {
		gen_spec_init(s, "example.org");
		s->mode = POLICY_MODE_ENFORCE;
		s->max_age = GEN_MAX_AGE_ENFORCE;
		gen_spec_add_mx(s, "mail.example.org");
		gen_spec_add_rua(s, "mailto:tls-reports@example.org");
		gen_spec_set_cname(s, "policy.mta-sts-host.example.net.");
		gen_spec_set_id(s, "20261222T093000Z");
	} else { /* "long": a TLS-RPT value over 255 octets */
		gen_spec_init(s, "xn--bcher-kva.example");
		s->mode = POLICY_MODE_ENFORCE;
		s->max_age = GEN_MAX_AGE_FINAL;
		gen_spec_add_mx(s, "mx.xn--bcher-kva.example");
		gen_spec_add_rua(s, "mailto:tlsrpt@xn--bcher-kva.example");
		for (i = 0; i < 4; i++) {
			u = xasprintf("%s%d", long_rua, i);
			gen_spec_add_rua(s, u);
			free(u);
		}
		gen_spec_add_addr(s, "198.51.100.7");
		gen_spec_set_id(s, "20270202T020202Z");
	}
}

static const char *cases[] = { "testing", "enforce", "long" };

static void
test_golden(void **state)
{
	struct gen_spec s;
	struct schedule sched;
	enum gen_field	field;
	char	       *out, *want, *path, *cause;
	size_t		len, wlen, c;
	long		day;
	int		f, update;
	FILE	       *fp;

	(void)state;
	update = getenv("MTASTS_GOLDEN_UPDATE") != NULL;
	assert_int_equal(schedule_date_parse(DAY0, &day), 0);
	schedule_make(&sched, day);
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		spec_case(&s, cases[c]);
		if (gen_validate(&s, &field, &cause, NULL) != 0)
			fail_msg("%s: %s", cases[c], cause);
		for (f = 0; f < GEN_FORMAT__COUNT; f++) {
			out = gen_format(&s, &sched, f, &len, &cause);
			assert_non_null(out);
			path = xasprintf("%s/%s/%s", GOLDEN, cases[c],
			    gen_format_file(f));
			if (update) {
				fp = fopen(path, "wb");
				assert_non_null(fp);
				fwrite(out, 1, len, fp);
				fclose(fp);
			}
			want = scratch_slurp(path, &wlen);
			if (want == NULL)
				fail_msg("cannot read %s", path);
			if (wlen != len || memcmp(want, out, len) != 0)
				fail_msg("%s differs from the generator's "
					 "output:\n%s",
				    path, out);
			free(want);
			free(path);
			free(out);
		}
		gen_spec_free(&s);
	}
}

/* The policy passes policy_parse; only the expected notes appear. */
static void
test_policy_parses(void **state)
{
	struct finding_list  *fl;
	struct gen_spec	      s;
	struct policy	     *p;
	const struct finding *f;
	char		     *body;
	size_t		      len, c, i;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		spec_case(&s, cases[c]);
		body = gen_policy(&s, &len);
		assert_non_null(strstr(body, "\r\n"));
		fl = finding_list_new();
		p = policy_parse(body, len, "t", fl);
		assert_true(p->valid);
		assert_int_equal(p->mode, s.mode);
		assert_int_equal(p->max_age, s.max_age);
		assert_int_equal(p->nmx, s.nmx);
		for (i = 0; i < s.nmx; i++)
			assert_string_equal(p->mx[i].pattern, s.mx[i]);
		if (s.mode == POLICY_MODE_ENFORCE)
			assert_int_equal(finding_list_count(fl), 0);
		for (i = 0; i < finding_list_count(fl); i++) {
			f = finding_list_get(fl, i);
			/* Testing, its day-long max_age and a wildcard. */
			assert_int_equal(f->severity, FINDING_INFO);
			assert_true(f->code == FINDING_POLICY_MODE_TESTING ||
			    f->code == FINDING_POLICY_MAX_AGE_UNDER_WEEK ||
			    f->code == FINDING_POLICY_MX_WILDCARD);
		}
		policy_free(p);
		finding_list_free(fl);
		free(body);
		gen_spec_free(&s);
	}
}

static void
test_records_parse(void **state)
{
	struct finding_list  *fl;
	struct gen_spec	      s;
	struct sts_record    *sr;
	struct tlsrpt_record *tr;
	char		     *v;
	size_t		      c;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		spec_case(&s, cases[c]);
		v = gen_sts_txt(&s);
		fl = finding_list_new();
		sr = sts_record_parse(v, strlen(v), "t", fl);
		assert_true(sr->valid);
		assert_string_equal(sr->id, s.id);
		assert_int_equal(finding_list_count(fl), 0);
		sts_record_free(sr);
		finding_list_free(fl);
		free(v);
		v = gen_tlsrpt_txt(&s);
		fl = finding_list_new();
		tr = tlsrpt_record_parse(v, strlen(v), "t", fl);
		assert_true(tr->usable);
		assert_int_equal(tr->nuris, s.nrua);
		assert_int_equal(finding_list_count(fl), 0);
		tlsrpt_record_free(tr);
		finding_list_free(fl);
		free(v);
		gen_spec_free(&s);
	}
}

/* The zone's TXT strings join back to the value, each <= 255 octets. */
static void
test_txt_split(void **state)
{
	struct gen_spec s;
	struct strbuf	joined;
	char	       *zone, *line, *p, *q, *v, *cause;
	size_t		n;

	(void)state;
	spec_case(&s, "long");
	v = gen_tlsrpt_txt(&s);
	assert_true(strlen(v) > 255);
	zone = gen_format(&s, NULL, GEN_FORMAT_ZONE, NULL, &cause);
	line = strstr(zone, "_smtp._tls.xn--bcher-kva.example.\t");
	assert_non_null(line);
	strbuf_init(&joined, 4096);
	n = 0;
	for (p = strchr(line, '"'); p != NULL && p < strchr(line, '\n');
	     p = strchr(q + 1, '"')) {
		q = strchr(p + 1, '"');
		assert_non_null(q);
		assert_true(q - p - 1 <= 255);
		strbuf_add(&joined, p + 1, (size_t)(q - p - 1));
		n++;
	}
	assert_true(n >= 2);
	assert_string_equal(joined.data, v);
	strbuf_free(&joined);
	free(zone);
	free(v);
	gen_spec_free(&s);
}

/* records.yaml and octodns.yaml read back to the same values. */
static void
test_yaml_roundtrip(void **state)
{
	struct gen_spec s;
	struct schedule sched;
	struct yamlr   *r;
	char	       *out, *cause, *v, *body, d[16];
	const char     *got;
	size_t		len, c, i;
	long long	n;
	int		root, pol, seq, item;

	(void)state;
	schedule_make(&sched, 20000);
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		spec_case(&s, cases[c]);
		out = gen_format(&s, &sched, GEN_FORMAT_YAML, &len, &cause);
		r = yamlr_load(out, len, &cause);
		if (r == NULL)
			fail_msg("%s", cause);
		root = yamlr_root(r);
		assert_string_equal(yamlr_get_str(r, root, "domain"), s.domain);
		pol = yamlr_get(r, root, "policy");
		assert_string_equal(yamlr_get_str(r, pol, "id"), s.id);
		assert_string_equal(yamlr_get_str(r, pol, "mode"),
		    policy_mode_name(s.mode));
		assert_int_equal(yamlr_int(r, yamlr_get(r, pol, "max_age"), &n),
		    0);
		assert_int_equal(n, s.max_age);
		seq = yamlr_get(r, pol, "mx");
		assert_int_equal(yamlr_len(r, seq), s.nmx);
		for (i = 0; i < s.nmx; i++)
			assert_string_equal(yamlr_str(r, yamlr_item(r, seq, i)),
			    s.mx[i]);
		body = gen_policy(&s, NULL);
		assert_string_equal(yamlr_get_str(r, pol, "body"), body);
		free(body);
		seq = yamlr_get(r, root, "records");
		item = yamlr_item(r, seq, 0);
		v = gen_sts_txt(&s);
		assert_string_equal(yamlr_get_str(r, item, "value"), v);
		free(v);
		item = yamlr_item(r, seq, 1);
		v = gen_tlsrpt_txt(&s);
		assert_string_equal(yamlr_get_str(r, item, "value"), v);
		free(v);
		assert_int_equal(yamlr_len(r, seq),
		    2 + s.naddr + (s.cname != NULL));
		seq = yamlr_get(r, root, "schedule");
		assert_int_equal(yamlr_len(r, seq), SCHEDULE__COUNT);
		for (i = 0; i < SCHEDULE__COUNT; i++) {
			item = yamlr_item(r, seq, i);
			schedule_date_format(sched.phase[i].start, d,
			    sizeof(d));
			assert_string_equal(yamlr_get_str(r, item, "start"), d);
		}
		yamlr_free(r);
		free(out);

		out = gen_format(&s, &sched, GEN_FORMAT_OCTODNS, &len, &cause);
		r = yamlr_load(out, len, &cause);
		assert_non_null(r);
		root = yamlr_root(r);
		item = yamlr_get(r, root, "_mta-sts");
		assert_string_equal(yamlr_get_str(r, item, "type"), "TXT");
		got = yamlr_get_str(r, item, "value");
		v = xasprintf("v=STSv1\\; id=%s", s.id);
		assert_string_equal(got, v);
		free(v);
		assert_int_equal(yamlr_int(r, yamlr_get(r, item, "ttl"), &n),
		    0);
		assert_int_equal(n, GEN_TTL);
		item = yamlr_get(r, root, "mta-sts");
		assert_true(item != 0 || (s.naddr == 0 && s.cname == NULL));
		yamlr_free(r);
		free(out);
		gen_spec_free(&s);
	}
}

struct bad_case {
	const char    *what;
	enum gen_field field;
};

static void
test_validate(void **state)
{
	static const struct bad_case bad[] = {
		{ "domain", GEN_FIELD_DOMAIN },
		{ "mx-trailing-dot", GEN_FIELD_MX },
		{ "mx-none", GEN_FIELD_MX },
		{ "mx-twice", GEN_FIELD_MX },
		{ "max-age-short", GEN_FIELD_MAX_AGE },
		{ "max-age-big", GEN_FIELD_MAX_AGE },
		{ "rua-http", GEN_FIELD_RUA },
		{ "rua-comma", GEN_FIELD_RUA },
		{ "rua-none", GEN_FIELD_RUA },
		{ "id-dash", GEN_FIELD_ID },
		{ "id-long", GEN_FIELD_ID },
		{ "addr", GEN_FIELD_ADDRESS },
		{ "cname-and-addr", GEN_FIELD_CNAME },
		{ "mode-none", GEN_FIELD_MODE },
	};
	struct gen_spec s;
	enum gen_field	field;
	char	       *cause;
	size_t		i;
	const char     *w;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		w = bad[i].what;
		spec_case(&s, "testing");
		if (strcmp(w, "domain") == 0) {
			free(s.domain);
			s.domain = xstrdup("bad_name.example");
		} else if (strcmp(w, "mx-trailing-dot") == 0)
			gen_spec_add_mx(&s, "mx2.example.com.");
		else if (strcmp(w, "mx-none") == 0) {
			gen_spec_remove_mx(&s, 1);
			gen_spec_remove_mx(&s, 0);
		} else if (strcmp(w, "mx-twice") == 0)
			gen_spec_add_mx(&s, "MX1.example.com");
		else if (strcmp(w, "max-age-short") == 0)
			s.max_age = 3600;
		else if (strcmp(w, "max-age-big") == 0)
			s.max_age = 31557601;
		else if (strcmp(w, "rua-http") == 0)
			gen_spec_add_rua(&s, "http://r.example.com/");
		else if (strcmp(w, "rua-comma") == 0)
			gen_spec_add_rua(&s, "mailto:a@example.com,");
		else if (strcmp(w, "rua-none") == 0) {
			free(s.rua[0]);
			s.nrua = 0;
		} else if (strcmp(w, "id-dash") == 0)
			gen_spec_set_id(&s, "2026-12-01");
		else if (strcmp(w, "id-long") == 0)
			gen_spec_set_id(&s,
			    "012345678901234567890123456789012");
		else if (strcmp(w, "addr") == 0)
			gen_spec_add_addr(&s, "192.0.2");
		else if (strcmp(w, "cname-and-addr") == 0)
			gen_spec_set_cname(&s, "host.example.net");
		else if (strcmp(w, "mode-none") == 0)
			s.mode = POLICY_MODE_NONE;
		if (gen_validate(&s, &field, &cause, NULL) == 0)
			fail_msg("%s: accepted", w);
		if (field != bad[i].field)
			fail_msg("%s: field %d, want %d (%s)", w, field,
			    bad[i].field, cause);
		assert_non_null(cause);
		free(cause);
		gen_spec_free(&s);
	}
}

/* CRLF everywhere, no line over 75 octets, folded lines rejoin. */
static void
test_ics(void **state)
{
	struct gen_spec s;
	struct state   *st;
	char	       *ics, *p, *eol;
	size_t		events = 0;

	(void)state;
	spec_case(&s, "testing");
	st = state_new(&s, 20788);
	ics = ics_format(st, (time_t)20788 * 86400);
	assert_int_equal(strncmp(ics, "BEGIN:VCALENDAR\r\n", 17), 0);
	for (p = ics; *p != '\0'; p = eol + 2) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		assert_true(eol - p <= 75);
		assert_null(memchr(p, '\n', (size_t)(eol - p)));
		if (strncmp(p, "BEGIN:VEVENT", 12) == 0)
			events++;
	}
	assert_int_equal(events, SCHEDULE__COUNT);
	assert_non_null(strstr(ics, "DTSTART;VALUE=DATE:20261201\r\n"));
	assert_non_null(strstr(ics, "DTEND;VALUE=DATE:20261208\r\n"));
	assert_non_null(strstr(ics, "UID:mx-tls-20261201-example.com@"));
	assert_non_null(strstr(ics, "DTSTAMP:20261201T000000Z\r\n"));
	assert_non_null(strstr(ics, "\r\n ")); /* something was folded */
	free(ics);
	state_free(st);
	gen_spec_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_policy_parses),
		cmocka_unit_test(test_records_parse),
		cmocka_unit_test(test_txt_split),
		cmocka_unit_test(test_yaml_roundtrip),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_ics),
	};

	return cmocka_run_group_tests_name("wizard_gen", tests, NULL, NULL);
}
