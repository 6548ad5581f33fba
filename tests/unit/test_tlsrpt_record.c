/*
 * Unit tests for engine/tlsrpt_record: RRset selection (RPT-2), grammar
 * (RPT-3), rua URIs (RPT-4 to RPT-6) and section 11 item 20.
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

#include "findings_check.h"

#include "finding.h"
#include "tlsrpt_record.h"
#include "utf8.h"
#include "xmalloc.h"

struct rr_spec {
	const char *s;
	size_t	    len;
};
#define RR(lit)                      \
	{                            \
		lit, sizeof(lit) - 1 \
	}
#define SEP "\x1f" /* splits an RR into character-strings */
#define VR  "v=TLSRPTv1; "
#define A   "mailto:tlsrpt@example.com"

struct rpt_case {
	const char		 *desc;
	struct rr_spec		  rr[3];
	size_t			  nrr;
	enum tlsrpt_record_status status;
	int			  valid;
	int			  usable;
	size_t			  nuris;
	const char		 *codes;
	const char		 *msg;	   /* substring, or NULL */
	const char		 *target0; /* first URI's target, or NULL */
};

static const struct rpt_case cases[] = {
	/* RPT-2: selection. */
	{ "empty RRset", { { NULL, 0 } }, 0, TLSRPT_RECORD_NONE, 0, 0, 0,
	    "tlsrpt.missing", NULL, NULL },
	{ "one mailto", { RR(VR "rua=" A) }, 1, TLSRPT_RECORD_ONE, 1, 1, 1, "",
	    NULL, "tlsrpt@example.com" },
	{ "no spaces", { RR("v=TLSRPTv1;rua=" A) }, 1, TLSRPT_RECORD_ONE, 1, 1,
	    1, "", NULL, NULL },
	{ "split strings join without space",
	    { RR("v=TLSRPTv1;" SEP "rua=mailto:tls" SEP "rpt@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, "tlsrpt@example.com" },
	{ "two v=TLSRPTv1 records",
	    { RR(VR "rua=" A), RR(VR "rua=mailto:other@example.com") }, 2,
	    TLSRPT_RECORD_MULTIPLE, 0, 0, 0, "tlsrpt.multiple", NULL, NULL },
	{ "record plus an unrelated one", { RR("foo"), RR(VR "rua=" A) }, 2,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "tlsrpt.other_records", NULL, NULL },
	{ "only unrelated records", { RR("foo"), RR("v=spf1 -all") }, 2,
	    TLSRPT_RECORD_NONE, 0, 0, 0,
	    "tlsrpt.missing tlsrpt.other_records tlsrpt.other_records", NULL,
	    NULL },
	{ "lone unrelated record", { RR("v=DMARC1; p=none") }, 1,
	    TLSRPT_RECORD_ONE, 0, 0, 0, "tlsrpt.syntax", NULL, NULL },
	{ "lone upper-case version", { RR("V=TLSRPTv1; rua=" A) }, 1,
	    TLSRPT_RECORD_ONE, 0, 0, 0, "tlsrpt.syntax", "case-sensitive",
	    NULL },
	{ "lone TLSRPTv2", { RR("v=TLSRPTv2; rua=" A) }, 1, TLSRPT_RECORD_ONE,
	    0, 0, 0, "tlsrpt.syntax", "'v=TLSRPTv2'", NULL },
	{ "near miss next to a valid one",
	    { RR("v=tlsrptv1; rua=" A), RR(VR "rua=" A) }, 2, TLSRPT_RECORD_ONE,
	    1, 1, 1, "tlsrpt.other_records", NULL, NULL },
	{ "space before semicolon", { RR("v=TLSRPTv1 ; rua=" A) }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "tlsrpt.space_before_semicolon", NULL,
	    NULL },
	{ "version only", { RR("v=TLSRPTv1") }, 1, TLSRPT_RECORD_ONE, 0, 0, 0,
	    "tlsrpt.syntax", NULL, NULL },

	/* RPT-3 grammar. */
	{ "trailing semicolon", { RR(VR "rua=" A ";") }, 1, TLSRPT_RECORD_ONE,
	    1, 1, 1, "", NULL, NULL },
	{ "trailing semicolon and space", { RR(VR "rua=" A " ; ") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, NULL },
	{ "trailing space without semicolon", { RR(VR "rua=" A " ") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, NULL },
	{ "missing rua", { RR("v=TLSRPTv1;") }, 1, TLSRPT_RECORD_ONE, 0, 0, 0,
	    "tlsrpt.rua_missing", NULL, NULL },
	{ "ruf instead of rua", { RR(VR "ruf=" A) }, 1, TLSRPT_RECORD_ONE, 0, 0,
	    0, "tlsrpt.unknown_field tlsrpt.rua_missing", "DMARC", NULL },
	{ "RUA in capitals", { RR(VR "RUA=" A) }, 1, TLSRPT_RECORD_ONE, 0, 0, 0,
	    "tlsrpt.unknown_field tlsrpt.rua_missing", "case-sensitive", NULL },
	{ "unknown field", { RR(VR "rua=" A "; foo=bar") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "tlsrpt.unknown_field", NULL, NULL },
	{ "space after rua=", { RR(VR "rua= " A) }, 1, TLSRPT_RECORD_ONE, 0, 0,
	    0, "tlsrpt.syntax", NULL, NULL },
	{ "space before =", { RR(VR "rua =" A) }, 1, TLSRPT_RECORD_ONE, 0, 0, 0,
	    "tlsrpt.syntax", NULL, NULL },
	{ "empty field", { RR(VR ";rua=" A) }, 1, TLSRPT_RECORD_ONE, 0, 0, 0,
	    "tlsrpt.syntax", "';;'", NULL },
	{ "two URIs, spaces around the comma",
	    { RR(VR "rua=" A " , https://reports.example.com:8443/tlsrpt") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 2, "", NULL, "tlsrpt@example.com" },
	{ "repeated rua", { RR(VR "rua=" A "; rua=https://r.example.com/") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 2, "tlsrpt.rua_repeated", NULL, NULL },

	/* Section 11 item 20, RPT-3/RPT-6: broken URI lists. */
	{ "trailing comma", { RR(VR "rua=" A ",") }, 1, TLSRPT_RECORD_ONE, 0, 0,
	    1, "tlsrpt.rua_invalid", "trailing comma", NULL },
	{ "doubled comma", { RR(VR "rua=" A ",,https://r.example.com") }, 1,
	    TLSRPT_RECORD_ONE, 0, 0, 2, "tlsrpt.rua_invalid", NULL, NULL },
	{ "space inside the URI list",
	    { RR(VR "rua=" A " mailto:b@example.com") }, 1, TLSRPT_RECORD_ONE,
	    0, 0, 0, "tlsrpt.rua_invalid", "whitespace inside", NULL },
	{ "semicolon between URIs", { RR(VR "rua=" A ";mailto:b@example.com") },
	    1, TLSRPT_RECORD_ONE, 0, 0, 1, "tlsrpt.rua_invalid",
	    "separate URIs with ','", NULL },
	{ "DMARC size limit !10m", { RR(VR "rua=" A "!10m") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "DMARC-style", NULL },
	{ "literal ! in a URI", { RR(VR "rua=mailto:a!b@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "%21", NULL },
	{ "raw comma splits an address", { RR(VR "rua=" A ",b@example.com") },
	    1, TLSRPT_RECORD_ONE, 1, 1, 2, "tlsrpt.rua_invalid", "no scheme",
	    NULL },
	{ "http scheme only", { RR(VR "rua=http://r.example.com/tlsrpt") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_scheme tlsrpt.no_destination", "use https:", NULL },
	{ "http next to mailto", { RR(VR "rua=http://r.example.com/," A) }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 2, "tlsrpt.rua_scheme", NULL, NULL },
	{ "ftp scheme", { RR(VR "rua=ftp://r.example.com/") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_scheme tlsrpt.no_destination", NULL, NULL },
	{ "address without mailto:", { RR(VR "rua=tlsrpt@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "no scheme", NULL },

	/* mailto: addresses. */
	{ "mailto without @", { RR(VR "rua=mailto:tlsrpt") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "no '@'", NULL },
	{ "mailto empty", { RR(VR "rua=mailto:") }, 1, TLSRPT_RECORD_ONE, 1, 0,
	    1, "tlsrpt.rua_invalid tlsrpt.no_destination", NULL, NULL },
	{ "mailto empty local part", { RR(VR "rua=mailto:@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", NULL, NULL },
	{ "mailto underscore domain", { RR(VR "rua=mailto:a@ex_ample.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "not a host name",
	    NULL },
	{ "mailto single-label domain", { RR(VR "rua=mailto:a@localhost") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "no dot", NULL },
	{ "mailto address literal", { RR(VR "rua=mailto:a@[192.0.2.1]") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", NULL, NULL },
	{ "mailto double dot", { RR(VR "rua=mailto:a..b@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", NULL, NULL },
	{ "mailto percent-encoded +",
	    { RR(VR "rua=mailto:tls%2Brpt@example.com") }, 1, TLSRPT_RECORD_ONE,
	    1, 1, 1, "", NULL, "tls+rpt@example.com" },
	{ "mailto plus sign", { RR(VR "rua=mailto:tls+rpt@Example.COM") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, "tls+rpt@example.com" },
	{ "MAILTO in capitals", { RR(VR "rua=MAILTO:a@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, "a@example.com" },
	{ "mailto with headers",
	    { RR(VR "rua=mailto:a@example.com?subject=TLS%20report") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, "a@example.com" },
	{ "mailto with broken headers",
	    { RR(VR "rua=mailto:a@example.com?subject") }, 1, TLSRPT_RECORD_ONE,
	    1, 0, 1, "tlsrpt.rua_invalid tlsrpt.no_destination", "header",
	    NULL },
	{ "mailto with two encoded addresses",
	    { RR(VR "rua=mailto:a@example.com%2Cb@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "several", NULL },
	{ "mailto bad percent", { RR(VR "rua=mailto:a%zz@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "hex", NULL },
	{ "mailto encoded NUL", { RR(VR "rua=mailto:a%00@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "NUL", NULL },
	{ "mailto encoded UTF-8", { RR(VR "rua=mailto:caf%C3%A9@example.com") },
	    1, TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "SMTPUTF8", NULL },

	/* https: destinations. */
	{ "https", { RR(VR "rua=https://Reports.Example.com/v1/tlsrpt") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, "reports.example.com" },
	{ "https with query", { RR(VR "rua=https://r.example.com/x?a=1&b") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, NULL },
	{ "https IPv4", { RR(VR "rua=https://192.0.2.1/tlsrpt") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, "192.0.2.1" },
	{ "https IPv6", { RR(VR "rua=https://[2001:db8::1]:443/x") }, 1,
	    TLSRPT_RECORD_ONE, 1, 1, 1, "", NULL, "2001:db8::1" },
	{ "https no host", { RR(VR "rua=https:///tlsrpt") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "no host", NULL },
	{ "https without //", { RR(VR "rua=https:r.example.com") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", NULL, NULL },
	{ "https userinfo", { RR(VR "rua=https://u:p@r.example.com/") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "user", NULL },
	{ "https port 0", { RR(VR "rua=https://r.example.com:0/") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "port", NULL },
	{ "https port 70000", { RR(VR "rua=https://r.example.com:70000/") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "port", NULL },
	{ "https bad host", { RR(VR "rua=https://ex_ample.com/") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", NULL, NULL },
	{ "https bad IPv6", { RR(VR "rua=https://[zz]/") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", NULL, NULL },
	{ "https bad IPv4", { RR(VR "rua=https://300.1.1.1/") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", NULL, NULL },
	{ "URI with <", { RR(VR "rua=https://r.example.com/<x>") }, 1,
	    TLSRPT_RECORD_ONE, 1, 0, 1,
	    "tlsrpt.rua_invalid tlsrpt.no_destination", "'<'", NULL },

	/* Hostile bytes. */
	{ "NUL in a URI", { RR(VR "rua=mailto:a\0b@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 0, 0, 0, "tlsrpt.rua_invalid", "0x00", NULL },
	{ "0xff in a URI", { RR(VR "rua=mailto:a\xff@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 0, 0, 0, "tlsrpt.rua_invalid", "0xff", NULL },
	{ "0xff next to a good URI",
	    { RR(VR "rua=" A ",mailto:\xff@example.com") }, 1,
	    TLSRPT_RECORD_ONE, 0, 0, 1, "tlsrpt.rua_invalid", "does not parse",
	    NULL },
	{ "escape in a field", { RR(VR "rua=" A "; x=\x1b[2J") }, 1,
	    TLSRPT_RECORD_ONE, 0, 0, 1, "tlsrpt.syntax", NULL, NULL },
};

static struct tlsrpt_record *
run_select(const struct rr_spec *spec, size_t nrr, struct finding_list *fl)
{
	struct txt_rr	  rrs[3];
	struct txt_string strs[3][16];
	size_t		  i, j, start;

	for (i = 0; i < nrr; i++) {
		rrs[i].strings = strs[i];
		rrs[i].nstrings = 0;
		start = 0;
		for (j = 0; j <= spec[i].len; j++) {
			if (j < spec[i].len && spec[i].s[j] != '\x1f')
				continue;
			assert_true(rrs[i].nstrings < 16);
			strs[i][rrs[i].nstrings].data =
			    (const unsigned char *)spec[i].s + start;
			strs[i][rrs[i].nstrings].len = j - start;
			rrs[i].nstrings++;
			start = j + 1;
		}
	}
	return tlsrpt_record_select(rrs, nrr, "_smtp._tls.example.com", fl);
}

static void
test_case(void **state)
{
	const struct rpt_case *c = *state;
	struct finding_list   *fl;
	struct tlsrpt_record  *r;
	const unsigned char   *m;
	char		      *got, *want;
	size_t		       i;

	fl = finding_list_new();
	r = run_select(c->rr, c->nrr, fl);
	assert_non_null(r);
	got = codes_of(fl);
	want = codes_sorted(c->codes);
	if (strcmp(got, want) != 0 || r->valid != c->valid ||
	    r->usable != c->usable || r->nuris != c->nuris ||
	    r->status != c->status) {
		print_message("case '%s': got [%s] status=%d valid=%d "
			      "usable=%d nuris=%zu\n",
		    c->desc, got, r->status, r->valid, r->usable, r->nuris);
		dump(fl);
	}
	assert_string_equal(got, want);
	assert_int_equal(r->status, c->status);
	assert_int_equal(r->valid, c->valid);
	assert_int_equal(r->usable, c->usable);
	assert_int_equal(r->nuris, c->nuris);
	if (c->target0 != NULL) {
		assert_true(r->nuris > 0);
		assert_non_null(r->uris[0].target);
		assert_string_equal(r->uris[0].target, c->target0);
	}
	if (c->msg != NULL) {
		if (!has_message(fl, c->msg)) {
			print_message("case '%s': no message has '%s'\n",
			    c->desc, c->msg);
			dump(fl);
		}
		assert_true(has_message(fl, c->msg));
	}
	for (i = 0; i < finding_list_count(fl); i++)
		for (m = (const unsigned char *)finding_list_get(fl, i)
			     ->message;
		     *m != '\0'; m++)
			assert_true(*m >= 0x20 && *m < 0x7f);
	for (i = 0; i < r->nuris; i++)
		if (r->uris[i].usable)
			assert_true(r->uris[i].scheme == TLSRPT_SCHEME_MAILTO ||
			    r->uris[i].scheme == TLSRPT_SCHEME_HTTPS);
	free(got);
	free(want);
	tlsrpt_record_free(r);
	finding_list_free(fl);
}

static void
test_uri_fields(void **state)
{
	static const char rec[] =
	    "v=TLSRPTv1; rua=mailto:a@example.com,"
	    "https://r.example.com:8443/p,ftp://x.example";
	struct finding_list  *fl;
	struct tlsrpt_record *r;

	(void)state;
	fl = finding_list_new();
	r = tlsrpt_record_parse(rec, sizeof(rec) - 1, "x", fl);
	assert_int_equal(r->nuris, 3);
	assert_int_equal(r->nrua, 1);
	assert_int_equal(r->uris[0].scheme, TLSRPT_SCHEME_MAILTO);
	assert_string_equal(r->uris[0].uri, "mailto:a@example.com");
	assert_int_equal(r->uris[1].scheme, TLSRPT_SCHEME_HTTPS);
	assert_int_equal(r->uris[1].port, 8443);
	assert_string_equal(r->uris[1].target, "r.example.com");
	assert_int_equal(r->uris[2].scheme, TLSRPT_SCHEME_OTHER);
	assert_false(r->uris[2].usable);
	assert_null(r->uris[2].target);
	assert_string_equal(tlsrpt_scheme_name(r->uris[2].scheme), "other");
	assert_string_equal(r->raw, rec);
	tlsrpt_record_free(r);
	finding_list_free(fl);
}

/* Many URIs: kept up to the cap, the record stays usable. */
static void
test_many(void **state)
{
	struct finding_list  *fl;
	struct tlsrpt_record *r;
	char		     *rec;
	size_t		      len, cap = 100000, i;

	(void)state;
	rec = xmalloc(cap);
	len = (size_t)snprintf(rec, cap, "v=TLSRPTv1; rua=ftp://x.example");
	for (i = 0; i < 2000; i++)
		len += (size_t)snprintf(rec + len, cap - len,
		    ",ftp://a%zu.example", i);
	len += (size_t)snprintf(rec + len, cap - len, "," A);
	fl = finding_list_new();
	r = tlsrpt_record_parse(rec, len, "x", fl);
	assert_true(r->valid);
	assert_true(r->usable);
	assert_int_equal(r->nuris, TLSRPT_MAX_URIS);
	tlsrpt_record_free(r);
	finding_list_free(fl);
	free(rec);
}

/* tlsrpt.missing names the record and a mailbox at the domain. */
static void
test_missing_fix(void **state)
{
	static const struct rr_spec other[] = {
		RR("google-site-verification=x"), RR("other=y")
	};
	struct finding_list  *fl;
	struct tlsrpt_record *r;
	const char	     *want = "Publish _smtp._tls.example.com. IN "
				     "TXT \"v=TLSRPTv1; "
				     "rua=mailto:tlsrpt@example.com\"";
	long		      i;
	int		      n;

	(void)state;
	/* No record at all, and two records none of which is TLS-RPT. */
	for (n = 0; n <= 2; n += 2) {
		fl = finding_list_new();
		r = run_select(other, (size_t)n, fl);
		i = finding_list_find(fl, FINDING_TLSRPT_MISSING, 0);
		assert_true(i >= 0);
		assert_non_null(finding_list_get(fl, (size_t)i)->fix);
		assert_memory_equal(finding_list_get(fl, (size_t)i)->fix, want,
		    strlen(want));
		tlsrpt_record_free(r);
		finding_list_free(fl);
	}
}

int
main(void)
{
	struct CMUnitTest *t;
	size_t		   n = sizeof(cases) / sizeof(cases[0]), i;
	int		   rc;

	t = xcalloc(n + 3, sizeof(*t));
	for (i = 0; i < n; i++) {
		t[i].name = cases[i].desc;
		t[i].test_func = test_case;
		t[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	t[n].name = "URI fields";
	t[n].test_func = test_uri_fields;
	t[n + 1].name = "many URIs";
	t[n + 1].test_func = test_many;
	t[n + 2].name = "missing: the record to publish";
	t[n + 2].test_func = test_missing_fix;
	rc = _cmocka_run_group_tests("tlsrpt_record", t, n + 3, NULL, NULL);
	free(t);
	return rc;
}
