/*
 * Unit tests for engine/sts_record: RRset selection (TXT-4, TXT-5, TXT-6)
 * and the record grammar (TXT-3, TXT-7, TXT-9).  Table-driven: each case
 * is an RRset and the exact multiset of finding codes it must produce.
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
#include "sts_record.h"
#include "xmalloc.h"

/* An RR is written as its bytes; 0x1f separates its character-strings. */
struct rr_spec {
	const char *s;
	size_t	    len;
};
#define RR(lit)                      \
	{                            \
		lit, sizeof(lit) - 1 \
	}
#define SEP "\x1f"

struct sts_case {
	const char	      *desc;
	struct rr_spec	       rr[4];
	size_t		       nrr;
	enum sts_record_status status;
	int		       valid;
	const char	      *id;    /* expected id, or NULL */
	const char	      *codes; /* space-separated, any order */
	const char	      *msg;   /* substring of some message, or NULL */
};

static const struct sts_case cases[] = {
	/* TXT-1/TXT-11: nothing at the name. */
	{ "empty RRset", { { NULL, 0 } }, 0, STS_RECORD_NONE, 0, NULL,
	    "sts.txt.missing", NULL },
	{ "one valid record", { RR("v=STSv1; id=20240101") }, 1, STS_RECORD_ONE,
	    1, "20240101", "", NULL },
	{ "minimal, no spaces", { RR("v=STSv1;id=abc") }, 1, STS_RECORD_ONE, 1,
	    "abc", "", NULL },
	/* TXT-4 / section 11 item 1: strings join with nothing between. */
	{ "split after delimiter", { RR("v=STSv1; " SEP "id=20240101") }, 1,
	    STS_RECORD_ONE, 1, "20240101", "", NULL },
	{ "split inside the version", { RR("v=STS" SEP "v1;id=abc") }, 1,
	    STS_RECORD_ONE, 1, "abc", "", NULL },
	{ "split inside id= (a space join would break it)",
	    { RR("v=STSv1;id=" SEP "abc") }, 1, STS_RECORD_ONE, 1, "abc", "",
	    NULL },
	{ "empty strings around", { RR(SEP "v=STSv1;id=1" SEP) }, 1,
	    STS_RECORD_ONE, 1, "1", "", NULL },
	{ "split id across three strings",
	    { RR("v=STSv1; id=2024" SEP "06" SEP "01T1200") }, 1,
	    STS_RECORD_ONE, 1,
	    "202406"
	    "01T1200",
	    "", NULL },
	/* TXT-5 / section 11 item 2. */
	{ "two v=STSv1 records", { RR("v=STSv1; id=1"), RR("v=STSv1; id=2") },
	    2, STS_RECORD_MULTIPLE, 0, NULL, "sts.txt.multiple",
	    "2 records start with 'v=STSv1;'" },
	{ "three v=STSv1 records, one split",
	    { RR("v=STSv1; id=1"), RR("v=STS" SEP "v1; id=2"),
		RR("v=STSv1;id=3") },
	    3, STS_RECORD_MULTIPLE, 0, NULL, "sts.txt.multiple", NULL },
	{ "valid plus a verification token",
	    { RR("google-site-verification=abc"), RR("v=STSv1; id=9") }, 2,
	    STS_RECORD_ONE, 1, "9", "sts.txt.other_records", NULL },
	{ "only unrelated records", { RR("foo=bar"), RR("some token") }, 2,
	    STS_RECORD_NONE, 0, NULL,
	    "sts.txt.missing sts.txt.other_records sts.txt.other_records",
	    NULL },
	/* TXT-6: a lone record is judged even without v=STSv1;. */
	{ "lone unrelated record", { RR("hello") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", "does not start with v=STSv1" },
	{ "lone empty RR", { RR("") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", "empty" },
	{ "lone upper-case V", { RR("V=STSv1; id=1") }, 1, STS_RECORD_ONE, 0,
	    NULL, "sts.txt.syntax", "case-sensitive" },
	{ "lone lower-case version", { RR("v=stsv1; id=1") }, 1, STS_RECORD_ONE,
	    0, NULL, "sts.txt.syntax", "case-sensitive" },
	{ "lone, leading space", { RR(" v=STSv1; id=1") }, 1, STS_RECORD_ONE, 0,
	    NULL, "sts.txt.syntax", "whitespace" },
	{ "near miss next to a token", { RR("V=STSv1; id=1"), RR("token=1") },
	    2, STS_RECORD_NONE, 0, NULL,
	    "sts.txt.missing sts.txt.syntax sts.txt.other_records", NULL },
	{ "near miss next to a valid record",
	    { RR("V=STSv1; id=1"), RR("v=STSv1; id=2") }, 2, STS_RECORD_ONE, 1,
	    "2", "sts.txt.other_records", "case-sensitive" },
	/* Erratum 6285: grammatical, counted, but warned about. */
	{ "space before semicolon, alone", { RR("v=STSv1 ; id=1") }, 1,
	    STS_RECORD_ONE, 1, "1", "sts.txt.space_before_semicolon", NULL },
	{ "tab before semicolon", { RR("v=STSv1\t;id=1") }, 1, STS_RECORD_ONE,
	    1, "1", "sts.txt.space_before_semicolon", NULL },
	{ "space before semicolon next to a strict record",
	    { RR("v=STSv1 ; id=1"), RR("v=STSv1; id=2") }, 2,
	    STS_RECORD_MULTIPLE, 0, NULL, "sts.txt.multiple",
	    "senders disagree" },

	/* TXT-7 grammar, section 11 items 3 and 4. */
	{ "trailing semicolon", { RR("v=STSv1; id=abc;") }, 1, STS_RECORD_ONE,
	    1, "abc", "", NULL },
	{ "trailing semicolon and space", { RR("v=STSv1; id=abc; ") }, 1,
	    STS_RECORD_ONE, 1, "abc", "", NULL },
	{ "tabs around semicolons", { RR("v=STSv1;\tid=abc\t;\t") }, 1,
	    STS_RECORD_ONE, 1, "abc", "", NULL },
	{ "trailing space without semicolon", { RR("v=STSv1; id=abc ") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "trailing whitespace" },
	{ "only the version and ;", { RR("v=STSv1;") }, 1, STS_RECORD_ONE, 0,
	    NULL, "sts.txt.syntax", "no field" },
	{ "only the version and ; and space", { RR("v=STSv1; ") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "no field" },
	{ "empty field at the end", { RR("v=STSv1; id=1;;") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "';;'" },
	{ "empty field in the middle", { RR("v=STSv1;; id=1") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "';;'" },
	{ "spaces around =", { RR("v=STSv1; id = 1") }, 1, STS_RECORD_ONE, 0,
	    NULL, "sts.txt.syntax", "around '='" },
	{ "space after =", { RR("v=STSv1; id= 1") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", "around '='" },
	{ "space before =", { RR("v=STSv1; id =1") }, 1, STS_RECORD_ONE, 0,
	    NULL, "sts.txt.syntax", "around '='" },
	{ "no semicolon between fields", { RR("v=STSv1; id=1 foo=bar") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "separated by ';'" },
	{ "= inside a value", { RR("v=STSv1; id=1; foo=a=b") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.unknown_field sts.txt.syntax",
	    "'='" },
	{ "no semicolon after version", { RR("v=STSv1 id=1") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "expected ';'" },
	{ "bare version", { RR("v=STSv1") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", "mandatory" },
	{ "version and space", { RR("v=STSv1 ") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", NULL },
	{ "field without =", { RR("v=STSv1; id") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", "no '=value'" },
	{ "empty value", { RR("v=STSv1; id=") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", "empty value" },
	{ "field name starting with _", { RR("v=STSv1; _x=1; id=1") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "'_x'" },
	{ "field name of 33 characters",
	    { RR("v=STSv1; id=1; abcdefghijabcdefghijabcdefghijabc=1") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "1 to 32" },
	{ "field name of 32 characters",
	    { RR("v=STSv1; id=1; abcdefghijabcdefghijabcdefghijab=1") }, 1,
	    STS_RECORD_ONE, 1, "1", "sts.txt.unknown_field", NULL },
	{ "ext name with . - _", { RR("v=STSv1; id=1; x.y-z_w=1") }, 1,
	    STS_RECORD_ONE, 1, "1", "sts.txt.unknown_field", NULL },
	{ "ext value with punctuation", { RR("v=STSv1; id=1; a=<>:!\"~") }, 1,
	    STS_RECORD_ONE, 1, "1", "sts.txt.unknown_field", NULL },
	{ "version later in the record", { RR("id=20180907T090909; v=STSv1;") },
	    1, STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "first field" },
	{ "version STSv12", { RR("v=STSv12;id=20180907T090909;") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "'v=STSv12'" },
	{ "version STSv2", { RR("v=STSv2; id=1") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", "'v=STSv2', not v=STSv1" },
	{ "garbage", { RR("azazaza;asdasdasdasd") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", NULL },

	/* The id (TXT-7). */
	{ "id with dashes", { RR("v=STSv1; id=2024-06-01") }, 1, STS_RECORD_ONE,
	    0, NULL, "sts.txt.id_invalid",
	    "id '2024-06-01' has '-': ids are 1 to 32 letters and digits; "
	    "the record is ignored" },
	{ "id with a dot", { RR("v=STSv1; id=v1.2") }, 1, STS_RECORD_ONE, 0,
	    NULL, "sts.txt.id_invalid", "'.'" },
	{ "id with an underscore", { RR("v=STSv1; id=abc_def") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.id_invalid", "'_'" },
	{ "id of 32 characters",
	    { RR("v=STSv1; id=abcdefghijABCDEFGHIJ0123456789ab") }, 1,
	    STS_RECORD_ONE, 1, "abcdefghijABCDEFGHIJ0123456789ab", "", NULL },
	{ "id of 33 characters",
	    { RR("v=STSv1; id=abcdefghijABCDEFGHIJ0123456789abc") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.id_invalid", "33 characters" },
	{ "upper-case ID is not the id", { RR("v=STSv1; ID=123") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.unknown_field sts.txt.id_invalid",
	    "case-sensitive" },
	{ "no id at all", { RR("v=STSv1; foo=bar") }, 1, STS_RECORD_ONE, 0,
	    NULL, "sts.txt.unknown_field sts.txt.id_invalid", "no id field" },
	{ "non-ASCII id", { RR("v=STSv1; id=\xc3\xa9t\xc3\xa9") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "not US-ASCII" },

	/* TXT-9: duplicates and unknown fields. */
	{ "second id ignored", { RR("v=STSv1; id=1; id=2") }, 1, STS_RECORD_ONE,
	    1, "1", "sts.txt.duplicate_field", "only the first, '1', counts" },
	{ "invalid first id, valid second", { RR("v=STSv1; id=a-b; id=2") }, 1,
	    STS_RECORD_ONE, 0, NULL,
	    "sts.txt.id_invalid sts.txt.duplicate_field", NULL },
	{ "version repeated", { RR("v=STSv1; id=1; v=STSv1") }, 1,
	    STS_RECORD_ONE, 1, "1", "sts.txt.duplicate_field", "'v'" },
	{ "unknown field", { RR("v=STSv1; id=1; foo=bar") }, 1, STS_RECORD_ONE,
	    1, "1", "sts.txt.unknown_field", "'foo'" },
	{ "unknown field repeated", { RR("v=STSv1; id=1; foo=a; foo=b") }, 1,
	    STS_RECORD_ONE, 1, "1",
	    "sts.txt.unknown_field sts.txt.duplicate_field",
	    "only the first, 'a', counts" },
	{ "fields in any order after v", { RR("v=STSv1; foo=1; id=2") }, 1,
	    STS_RECORD_ONE, 1, "2", "sts.txt.unknown_field", NULL },

	/* TXT-3 and hostile bytes. */
	{ "byte 0xff", { RR("v=STSv1; id=1\xff") }, 1, STS_RECORD_ONE, 0, NULL,
	    "sts.txt.syntax", "0xff" },
	{ "NUL after the id", { RR("v=STSv1; id=1\0") }, 1, STS_RECORD_ONE, 0,
	    NULL, "sts.txt.syntax", "0x00" },
	{ "NUL inside the version", { RR("v=ST\0Sv1; id=1") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", NULL },
	{ "escape sequence in a value", { RR("v=STSv1; id=1; x=\x1b[31m") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.syntax", "0x1b" },
	{ "CR LF in a record", { RR("v=STSv1; id=1;\r\n") }, 1, STS_RECORD_ONE,
	    0, NULL, "sts.txt.syntax", "0x0d" },
	{ "Latin-1 in an ext value", { RR("v=STSv1; id=1; x=caf\xe9") }, 1,
	    STS_RECORD_ONE, 0, NULL, "sts.txt.unknown_field sts.txt.syntax",
	    "not US-ASCII" },
};

/* Builds the txt_rr array of a case, splitting at SEP. */
static struct sts_record *
run_select(const struct rr_spec *spec, size_t nrr, struct finding_list *fl)
{
	struct txt_rr	   rrs[4];
	struct txt_string  strs[4][16];
	struct sts_record *r;
	size_t		   i, j, start;

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
	r = sts_record_select(rrs, nrr, "_mta-sts.example.com", fl);
	assert_non_null(r);
	return r;
}

static void
test_case(void **state)
{
	const struct sts_case *c = *state;
	struct finding_list   *fl;
	struct sts_record     *r;
	char		      *got, *want;

	fl = finding_list_new();
	r = run_select(c->rr, c->nrr, fl);
	got = codes_of(fl);
	want = codes_sorted(c->codes);
	if (strcmp(got, want) != 0 || r->valid != c->valid ||
	    r->status != c->status) {
		print_message("case '%s': got [%s] valid=%d status=%d, want "
			      "[%s] valid=%d status=%d\n",
		    c->desc, got, r->valid, r->status, want, c->valid,
		    c->status);
		dump(fl);
	}
	assert_string_equal(got, want);
	assert_int_equal(r->valid, c->valid);
	assert_int_equal(r->status, c->status);
	if (c->id != NULL) {
		assert_non_null(r->id);
		assert_string_equal(r->id, c->id);
	} else
		assert_null(r->id);
	if (c->msg != NULL) {
		if (!has_message(fl, c->msg)) {
			print_message("case '%s': no message has '%s'\n",
			    c->desc, c->msg);
			dump(fl);
		}
		assert_true(has_message(fl, c->msg));
	}
	assert_printable(fl);
	free(got);
	free(want);
	sts_record_free(r);
	finding_list_free(fl);
}

/* TXT-4: the raw record is the exact join, NULs included. */
static void
test_join(void **state)
{
	static const unsigned char a[] = "v=STSv1;", b[] = { 0, 'x' };
	struct txt_string	   s[3];
	struct txt_rr		   rr;
	char			  *j;
	size_t			   len;

	(void)state;
	s[0].data = a;
	s[0].len = 8;
	s[1].data = b;
	s[1].len = 2;
	s[2].data = NULL;
	s[2].len = 0;
	rr.strings = s;
	rr.nstrings = 3;
	j = txt_record_join(&rr, &len);
	assert_int_equal(len, 10);
	assert_memory_equal(j, "v=STSv1;\0x", 10);
	assert_int_equal(j[10], '\0');
	free(j);
}

/* The parsed view: fields, offsets and duplicate flags. */
static void
test_fields(void **state)
{
	static const char    rec[] = "v=STSv1; id=1; foo=bar; id=2";
	struct finding_list *fl;
	struct sts_record   *r;

	(void)state;
	fl = finding_list_new();
	r = sts_record_parse(rec, sizeof(rec) - 1, "x", fl);
	assert_true(r->valid);
	assert_int_equal(r->nfields, 3);
	assert_string_equal(r->fields[0].name, "id");
	assert_true(r->fields[0].known);
	assert_false(r->fields[0].duplicate);
	assert_int_equal(r->fields[0].offset, 9);
	assert_string_equal(r->fields[1].name, "foo");
	assert_false(r->fields[1].known);
	assert_string_equal(r->fields[2].value, "2");
	assert_true(r->fields[2].duplicate);
	assert_string_equal(r->raw, rec);
	assert_int_equal(r->rawlen, sizeof(rec) - 1);
	sts_record_free(r);
	finding_list_free(fl);
}

/* Very long records: many fields are counted, not all kept. */
static void
test_long(void **state)
{
	struct finding_list *fl;
	struct sts_record   *r;
	char		    *rec;
	size_t		     len = 0, cap = 200000, i;

	(void)state;
	rec = xmalloc(cap);
	len = (size_t)snprintf(rec, cap, "v=STSv1; id=1");
	for (i = 0; len + 32 < cap; i++)
		len += (size_t)snprintf(rec + len, cap - len, "; f%zu=v", i);
	fl = finding_list_new();
	r = sts_record_parse(rec, len, "x", fl);
	assert_true(r->valid);
	assert_int_equal(r->nfields, STS_RECORD_MAX_FIELDS);
	assert_true(r->nfields_total > 10000);
	/* Bounded findings: one per kept field and one summary. */
	assert_true(finding_list_count(fl) <= STS_RECORD_MAX_FIELDS + 1);
	sts_record_free(r);
	finding_list_free(fl);

	/* A 64 KiB id is reported, not copied into the message whole. */
	memset(rec, 'a', cap);
	memcpy(rec, "v=STSv1; id=", 12);
	fl = finding_list_new();
	r = sts_record_parse(rec, 65536, "x", fl);
	assert_false(r->valid);
	assert_int_equal(finding_list_count(fl), 1);
	assert_true(strlen(finding_list_get(fl, 0)->message) < 300);
	sts_record_free(r);
	finding_list_free(fl);
	free(rec);
}

/*
 * The corpus: snawoot-resolver's dnsmasq fixtures give the TXT records
 * and refdata.tsv the resolver's verdict per domain.  A domain answered
 * "OK" must have a valid record; the bad-record* domains (NOTFOUND because
 * of their TXT) must not.  Other NOTFOUND domains fail for reasons outside
 * the TXT record (policy, certificate, mode), so their record must still
 * be valid here.
 */
static const char *
corpus_dir(void)
{
	const char *d = getenv("MTASTS_CORPUS");

	return d != NULL && *d != '\0' ? d : "../shared/corpus";
}

struct fixture {
	char domain[128];
	char txt[256];
};

static size_t
load_fixtures(FILE *f, struct fixture *fx, size_t max)
{
	char   line[512], *p, *q;
	size_t n = 0;

	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "txt-record=_mta-sts.", 20) != 0)
			continue;
		p = line + 20;
		if ((q = strchr(p, ',')) == NULL)
			continue;
		snprintf(fx[n].domain, sizeof(fx[n].domain), "%.*s",
		    (int)(q - p), p);
		p = q + 1;
		if (*p == '"')
			p++;
		q = strrchr(p, '"');
		if (q == NULL)
			continue;
		snprintf(fx[n].txt, sizeof(fx[n].txt), "%.*s", (int)(q - p), p);
		n++;
	}
	return n;
}

static void
test_corpus_snawoot(void **state)
{
	static const char   *tsv[] = { "refdata.tsv", "refdata_nosni.tsv",
		  "refdata_strict.tsv" };
	struct fixture	     fx[64];
	struct finding_list *fl;
	struct sts_record   *r;
	struct rr_spec	     spec;
	char		     path[1024], line[512], dom[256], *p, *q;
	size_t		     nfx, i, k, checked = 0;
	FILE		    *f;
	int		     ok;

	(void)state;
	snprintf(path, sizeof(path),
	    "%s/policies/"
	    "snawoot-resolver__dnsmasq.conf.appendix",
	    corpus_dir());
	if ((f = fopen(path, "r")) == NULL) {
		print_message("corpus not found at %s (set MTASTS_CORPUS); "
			      "skipping\n",
		    path);
		skip();
	}
	nfx = load_fixtures(f, fx, 64);
	fclose(f);
	assert_true(nfx >= 10);

	for (k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "%s/policies/snawoot-resolver__%s",
		    corpus_dir(), tsv[k]);
		f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f) != NULL) {
			/* "<zone> <query>\t<reply>" */
			if ((p = strchr(line, ' ')) == NULL ||
			    (q = strchr(p, '\t')) == NULL)
				continue;
			snprintf(dom, sizeof(dom), "%.*s", (int)(q - p - 1),
			    p + 1);
			ok = strncmp(q + 1, "OK", 2) == 0;
			/*
			 * Postfix next-hop forms: [name] and :port are not
			 * part of the domain; a leading dot means "parent
			 * domain match", which the resolver does not
			 * support, and address literals have no policy
			 * (TXT-1).
			 */
			if (dom[0] == '.' || strchr(dom, ']') != NULL ||
			    strchr(dom, ':') != NULL) {
				p = dom[0] == '[' ? dom + 1 : dom;
				q = strchr(p, ']');
				if (q == NULL)
					q = strchr(p, ':');
				if (dom[0] == '.' || q == NULL)
					continue;
				memmove(dom, p, (size_t)(q - p));
				dom[q - p] = '\0';
			}
			if (dom[strlen(dom) - 1] == '.')
				dom[strlen(dom) - 1] = '\0';
			for (i = 0; i < nfx; i++)
				if (strcmp(fx[i].domain, dom) == 0)
					break;
			fl = finding_list_new();
			if (i == nfx) {
				/* No TXT: only NOTFOUND is consistent. */
				r = sts_record_select(NULL, 0, dom, fl);
				assert_false(ok);
			} else {
				spec.s = fx[i].txt;
				spec.len = strlen(fx[i].txt);
				r = run_select(&spec, 1, fl);
				if (ok || strncmp(dom, "bad-record", 10) != 0)
					assert_true(r->valid);
				else
					assert_false(r->valid);
			}
			checked++;
			sts_record_free(r);
			finding_list_free(fl);
		}
		fclose(f);
	}
	assert_true(checked >= 40);
}

/* The fix of the first finding with code, or "" (borrowed). */
static const char *
fix_of(const struct finding_list *fl, enum finding_code code)
{
	long i = finding_list_find(fl, code, 0);

	return i < 0 ? "" : finding_fix(finding_list_get(fl, (size_t)i));
}

/* Each record finding's fix is the whole record with a fresh id. */
static void
test_fixes(void **state)
{
	static const struct {
		const char	 *desc;
		struct rr_spec	  rr[2];
		size_t		  nrr;
		enum finding_code code;
		const char	 *want;
	} c[] = {
		{ "missing", { RR("") }, 0, FINDING_STS_TXT_MISSING,
		    "Publish _mta-sts.example.com. IN TXT \"v=STSv1; "
		    "id=20261001T000000\" once "
		    "https://mta-sts.example.com/.well-known/mta-sts.txt "
		    "serves the policy" },
		{ "syntax", { RR("v=STSv1; id = 1") }, 1,
		    FINDING_STS_TXT_SYNTAX,
		    "Replace the record with exactly _mta-sts.example.com. IN "
		    "TXT \"v=STSv1; id=20261001T000000\"" },
		{ "id", { RR("v=STSv1; id=2026-11-01") }, 1,
		    FINDING_STS_TXT_ID_INVALID,
		    "Publish _mta-sts.example.com. IN TXT \"v=STSv1; "
		    "id=20261001T000000\": an id is 1 to 32 letters and "
		    "digits" },
		{ "multiple", { RR("v=STSv1; id=1"), RR("v=STSv1; id=2") }, 2,
		    FINDING_STS_TXT_MULTIPLE,
		    "Delete every v=STSv1 record at _mta-sts.example.com and "
		    "publish exactly one: _mta-sts.example.com. IN TXT "
		    "\"v=STSv1; id=20261001T000000\"" },
	};
	struct finding_list *fl;
	struct sts_record   *r;
	char		     id[STS_RECORD_ID_LEN + 1];
	size_t		     i;

	(void)state;
	sts_record_new_id(id, 1790812800);
	assert_string_equal(id, "20261001T000000");
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		fl = finding_list_new();
		r = run_select(c[i].rr, c[i].nrr, fl);
		sts_record_fix(fl, "_mta-sts.example.com", 1790812800);
		if (strncmp(fix_of(fl, c[i].code), c[i].want,
			strlen(c[i].want)) != 0)
			fail_msg("%s: fix '%s'", c[i].desc,
			    fix_of(fl, c[i].code));
		/* Other findings keep the catalog's wording. */
		assert_int_equal(
		    finding_list_find(fl, FINDING_STS_TXT_OTHER_RECORDS, 0),
		    -1);
		sts_record_free(r);
		finding_list_free(fl);
	}
}

int
main(void)
{
	struct CMUnitTest *t;
	size_t		   n = sizeof(cases) / sizeof(cases[0]), i;
	int		   rc;

	t = xcalloc(n + 5, sizeof(*t));
	for (i = 0; i < n; i++) {
		t[i].name = cases[i].desc;
		t[i].test_func = test_case;
		t[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	t[n].name = "join keeps bytes";
	t[n].test_func = test_join;
	t[n + 1].name = "field view";
	t[n + 1].test_func = test_fields;
	t[n + 2].name = "long records";
	t[n + 2].test_func = test_long;
	t[n + 3].name = "corpus: snawoot-resolver TXT fixtures and refdata";
	t[n + 3].test_func = test_corpus_snawoot;
	t[n + 4].name = "fixes name the record with a fresh id";
	t[n + 4].test_func = test_fixes;
	rc = _cmocka_run_group_tests("sts_record", t, n + 5, NULL, NULL);
	free(t);
	return rc;
}
