/*
 * Unit tests for engine/report_input: gzip (truncated, a decompression
 * bomb made at run time), e-mail messages (base64 + gzip, quoted-printable),
 * mbox, directories with bad files among good ones, and every file of the
 * shared corpus ($MTASTS_CORPUS/tlsrpt, skipped when absent).
 */
#include "config.h"

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "finding.h"
#include "report_input.h"
#include "strbuf.h"
#include "tlsrpt_report.h"
#include "xmalloc.h"

#define REPORT                                                         \
	"{\"organization-name\":\"Reporter Example Ltd\","             \
	"\"date-range\":{\"start-datetime\":\"2024-03-01T00:00:00Z\"," \
	"\"end-datetime\":\"2024-03-01T23:59:59Z\"},"                  \
	"\"contact-info\":\"tlsrpt-admin@reporter.example\","          \
	"\"report-id\":\"20240301.0001@reporter.example\","            \
	"\"policies\":[{\"policy\":{\"policy-type\":\"sts\","          \
	"\"policy-string\":[\"version: STSv1\",\"mode: testing\","     \
	"\"mx: mx1.example.net\",\"max_age: 604800\"],"                \
	"\"policy-domain\":\"example.net\","                           \
	"\"mx-host\":[\"mx1.example.net\"]},"                          \
	"\"summary\":{\"total-successful-session-count\":12,"          \
	"\"total-failure-session-count\":0}}]}"

/* gzip of len bytes of src (or of zeros when src is NULL). */
static unsigned char *
gz(const void *src, size_t len, size_t *outlen)
{
	static unsigned char zeros[65536];
	z_stream	     z;
	unsigned char	    *out;
	size_t		     cap = len / 100 + 65536, left = len, n;
	int		     flush;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9,
			     Z_DEFAULT_STRATEGY),
	    Z_OK);
	out = xmalloc(cap);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	do {
		n = left > sizeof(zeros) ? sizeof(zeros) : left;
		z.next_in = src != NULL
		    ? (unsigned char *)(uintptr_t)src + (len - left)
		    : zeros;
		z.avail_in = (uInt)n;
		left -= n;
		flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
		do {
			if (z.avail_out == 0) {
				size_t used = cap;

				cap *= 2;
				out = xreallocarray(out, cap, 1);
				z.next_out = out + used;
				z.avail_out = (uInt)(cap - used);
			}
			deflate(&z, flush);
		} while (
		    z.avail_in > 0 || (flush == Z_FINISH && z.avail_out == 0));
	} while (left > 0);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static char *
b64(const unsigned char *p, size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	struct strbuf	  sb;
	size_t		  i;
	unsigned	  v;

	strbuf_init(&sb, len * 2 + 16);
	for (i = 0; i < len; i += 3) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		strbuf_addc(&sb, tab[(v >> 18) & 63]);
		strbuf_addc(&sb, tab[(v >> 12) & 63]);
		strbuf_addc(&sb, i + 1 < len ? tab[(v >> 6) & 63] : '=');
		strbuf_addc(&sb, i + 2 < len ? tab[v & 63] : '=');
		if ((i / 3) % 19 == 18)
			strbuf_addstr(&sb, "\r\n");
	}
	return strbuf_detach(&sb, NULL);
}

static int
has_code(const struct report_input_item *it, enum finding_code code)
{
	return finding_list_find(it->findings, code, 0) >= 0;
}

static void
test_plain_and_gzip(void **state)
{
	struct report_input *in = report_input_new();
	unsigned char	    *z;
	size_t		     zlen;

	(void)state;
	z = gz(REPORT, strlen(REPORT), &zlen);
	report_input_add_buffer(in, REPORT, strlen(REPORT), "a.json");
	/* The name says JSON, the bytes say gzip: the bytes win. */
	report_input_add_buffer(in, z, zlen, "b.json");
	assert_int_equal(report_input_count(in), 2);
	assert_int_equal(report_input_nreports(in), 2);
	assert_string_equal(report_input_get(in, 1)->report->policies[0].domain,
	    "example.net");
	free(z);
	report_input_free(in);
}

static void
test_truncated_gzip(void **state)
{
	struct report_input	       *in = report_input_new();
	const struct report_input_item *it;
	unsigned char		       *z;
	size_t				zlen;

	(void)state;
	z = gz(REPORT, strlen(REPORT), &zlen);
	report_input_add_buffer(in, z, zlen / 2, "cut.json.gz");
	report_input_add_buffer(in, z, 10, "header-only.json.gz");
	z[zlen / 2] ^= 0x55;
	z[zlen / 2 + 1] ^= 0xaa;
	report_input_add_buffer(in, z, zlen, "corrupt.json.gz");
	report_input_add_buffer(in, REPORT, strlen(REPORT), "good.json");
	assert_int_equal(report_input_count(in), 4);
	it = report_input_get(in, 0);
	assert_null(it->report);
	assert_true(has_code(it, FINDING_REPORT_DECOMPRESS));
	assert_non_null(
	    strstr(finding_list_get(it->findings, 0)->message, "truncated"));
	assert_null(report_input_get(in, 1)->report);
	assert_true(
	    has_code(report_input_get(in, 1), FINDING_REPORT_DECOMPRESS));
	/* Corrupt data: a decompress error or (rarely) bad JSON. */
	assert_null(report_input_get(in, 2)->report);
	assert_non_null(report_input_get(in, 3)->report);
	free(z);
	report_input_free(in);
}

/*
 * A bomb made here: 256 MiB of zeros compress to about 256 KiB.  Reading
 * must stop at the cap with report.too_large, quickly.
 */
static void
test_gzip_bomb(void **state)
{
	struct report_input	       *in = report_input_new();
	const struct report_input_item *it;
	unsigned char		       *z;
	size_t				zlen;
	clock_t				t0;

	(void)state;
	z = gz(NULL, (size_t)256 * 1024 * 1024, &zlen);
	assert_true(zlen < 1024 * 1024);
	t0 = clock();
	report_input_add_buffer(in, z, zlen, "bomb.json.gz");
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
	it = report_input_get(in, 0);
	assert_null(it->report);
	assert_true(has_code(it, FINDING_REPORT_TOO_LARGE));
	assert_non_null(
	    strstr(finding_list_get(it->findings, 0)->message, "stopped"));
	free(z);
	report_input_free(in);
}

static void
test_gunzip_cap(void **state)
{
	unsigned char *z;
	char	      *out, *cause;
	size_t	       zlen, outlen;
	int	       toobig;

	(void)state;
	z = gz(NULL, 100000, &zlen);
	out = report_input_gunzip(z, zlen, 100000, &outlen, &toobig, &cause);
	assert_non_null(out);
	assert_int_equal(outlen, 100000);
	free(out);
	out = report_input_gunzip(z, zlen, 99999, &outlen, &toobig, &cause);
	assert_null(out);
	assert_true(toobig);
	free(cause);
	free(z);
}

static char *
message(const char *ctype, const char *cte, const char *body)
{
	return xasprintf(
	    "From: reporter@reporter.example\r\n"
	    "Subject: Report Domain: example.net\r\n"
	    "  Submitter: reporter.example\r\n"
	    "TLS-Report-Domain: example.net\r\n"
	    "TLS-Report-Submitter: reporter.example\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n"
	    "\tboundary=\"=_b1\"\r\n"
	    "\r\n"
	    "preamble\r\n"
	    "--=_b1\r\n"
	    "Content-Type: text/plain\r\n"
	    "\r\n"
	    "This is a TLS report.\r\n"
	    "--=_b1\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Disposition: attachment;\r\n"
	    " filename=\"reporter.example!example.net!1709251200!1709337599"
	    ".json.gz\"\r\n"
	    "Content-Transfer-Encoding: %s\r\n"
	    "\r\n"
	    "%s\r\n"
	    "--=_b1--\r\n",
	    ctype, cte, body);
}

static void
test_mime_base64_gzip(void **state)
{
	struct report_input	       *in = report_input_new();
	const struct report_input_item *it;
	unsigned char		       *z;
	char			       *enc, *msg;
	size_t				zlen;

	(void)state;
	z = gz(REPORT, strlen(REPORT), &zlen);
	enc = b64(z, zlen);
	msg = message("application/tlsrpt+gzip", "base64", enc);
	report_input_add_buffer(in, msg, strlen(msg), "r.eml");
	assert_int_equal(report_input_count(in), 1);
	it = report_input_get(in, 0);
	assert_non_null(it->report);
	assert_string_equal(it->header_domain, "example.net");
	assert_string_equal(it->header_submitter, "reporter.example");
	assert_int_equal(finding_list_count(it->findings), 0);
	free(msg);
	free(enc);
	free(z);
	report_input_free(in);
}

/*
 * Bytes outside the base64 alphabet are skipped (RFC 2045 section 6.8) with
 * a report.lenient note: GMime read this report and we did not
 * (scripts/bench-mime.sh, hostile-b64-stray).
 */
/* An mbox that is only its "From " line (the IMAP fuzzer's find): one
 * input with a finding, not nothing at all. */
static void
test_mbox_from_only(void **state)
{
	struct report_input	       *in = report_input_new();
	const struct report_input_item *it;
	const char *mbox = "From x@example Mon Jan  1 00:00:00 2024";

	(void)state;
	report_input_add_buffer(in, mbox, strlen(mbox), "only-from.mbox");
	assert_int_equal(report_input_count(in), 1);
	it = report_input_get(in, 0);
	assert_null(it->report);
	assert_true(has_code(it, FINDING_REPORT_MIME));
	report_input_free(in);
}

static void
test_mime_base64_stray(void **state)
{
	struct report_input	       *in = report_input_new();
	const struct report_input_item *it;
	unsigned char		       *z;
	char			       *enc, *bad, *msg;
	size_t				zlen, n;

	(void)state;
	z = gz(REPORT, strlen(REPORT), &zlen);
	enc = b64(z, zlen);
	n = strlen(enc);
	assert_true(n > 20);
	bad = xasprintf("%.10s!*%s", enc, enc + 10);
	msg = message("application/tlsrpt+gzip", "base64", bad);
	report_input_add_buffer(in, msg, strlen(msg), "stray.eml");
	assert_int_equal(report_input_count(in), 1);
	it = report_input_get(in, 0);
	assert_non_null(it->report);
	assert_string_equal(it->report->report_id,
	    "20240301.0001@reporter.example");
	assert_true(has_code(it, FINDING_REPORT_LENIENT));
	free(msg);
	free(bad);
	free(enc);
	free(z);
	report_input_free(in);
}

/*
 * Content-Type behind 1,000 other fields (a long Received chain, or junk)
 * is still read: GMime read such a report and we did not, when the header
 * kept only its first 256 fields (scripts/bench-mime.sh).
 */
static void
test_mime_many_fields(void **state)
{
	struct report_input	       *in = report_input_new();
	const struct report_input_item *it;
	struct strbuf			sb;
	unsigned char		       *z;
	char			       *enc, *msg, *all;
	size_t				zlen, i;

	(void)state;
	z = gz(REPORT, strlen(REPORT), &zlen);
	enc = b64(z, zlen);
	msg = message("application/tlsrpt+gzip", "base64", enc);
	strbuf_init(&sb, 1024 * 1024);
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "Received: from hop%zu.example\r\n", i);
	strbuf_addstr(&sb, msg);
	all = strbuf_detach(&sb, NULL);
	report_input_add_buffer(in, all, strlen(all), "fields.eml");
	assert_int_equal(report_input_count(in), 1);
	it = report_input_get(in, 0);
	assert_non_null(it->report);
	assert_string_equal(it->header_domain, "example.net");
	free(all);
	free(msg);
	free(enc);
	free(z);
	report_input_free(in);
}

static void
test_mime_qp(void **state)
{
	struct report_input *in = report_input_new();
	struct strbuf	     sb;
	char		    *qp, *msg;
	const char	    *p;
	size_t		     col = 0;

	(void)state;
	/* Quoted-printable with soft breaks every 60 columns. */
	strbuf_init(&sb, 65536);
	for (p = REPORT; *p != '\0'; p++) {
		if (*p == '=' || *p == '"')
			strbuf_addf(&sb, "=%02X", (unsigned char)*p);
		else
			strbuf_addc(&sb, *p);
		if (++col == 60) {
			strbuf_addstr(&sb, "=\r\n");
			col = 0;
		}
	}
	qp = strbuf_detach(&sb, NULL);
	msg = message("application/tlsrpt+json", "quoted-printable", qp);
	report_input_add_buffer(in, msg, strlen(msg), "qp.eml");
	assert_non_null(report_input_get(in, 0)->report);
	free(msg);
	free(qp);
	report_input_free(in);
}

static void
test_mime_bad(void **state)
{
	struct report_input *in = report_input_new();
	char		    *msg, *msg2;

	(void)state;
	/* Data after the padding: broken whatever stray bytes are skipped. */
	msg = message("application/tlsrpt+gzip", "base64", "H4sI=AAAnotb64");
	report_input_add_buffer(in, msg, strlen(msg), "badb64.eml");
	msg2 =
	    xstrdup("From: someone@example.net\r\nSubject: hello\r\n"
		    "Content-Type: text/plain\r\n\r\nNo report in here.\r\n");
	report_input_add_buffer(in, msg2, strlen(msg2), "nopart.eml");
	assert_int_equal(report_input_count(in), 2);
	assert_null(report_input_get(in, 0)->report);
	assert_true(has_code(report_input_get(in, 0), FINDING_REPORT_MIME));
	assert_null(report_input_get(in, 1)->report);
	assert_true(has_code(report_input_get(in, 1), FINDING_REPORT_MIME));
	free(msg);
	free(msg2);
	report_input_free(in);
}

static void
test_mbox(void **state)
{
	struct report_input *in = report_input_new();
	char		    *m1, *m2, *box;

	(void)state;
	m1 = message("application/tlsrpt+json", "7bit", REPORT);
	m2 = message("text/plain", "7bit", "no report here");
	box = xasprintf(
	    "From reporter@reporter.example Fri Mar  1 04:00:00 "
	    "2024\n%s\nFrom other@example Fri Mar  1 05:00:00 2024\n%s\n"
	    "From third@example Fri Mar  1 06:00:00 2024\n%s",
	    m1, m2, m1);
	report_input_add_buffer(in, box, strlen(box), "box");
	assert_int_equal(report_input_count(in), 3);
	assert_string_equal(report_input_get(in, 0)->source, "box: message 1");
	assert_non_null(report_input_get(in, 0)->report);
	assert_null(report_input_get(in, 1)->report);
	assert_non_null(report_input_get(in, 2)->report);
	free(m1);
	free(m2);
	free(box);
	report_input_free(in);
}

static void
test_unrecognised(void **state)
{
	struct report_input *in = report_input_new();

	(void)state;
	report_input_add_buffer(in, "\x89PNG\r\n", 6, "x.png");
	report_input_add_buffer(in, "", 0, "empty.json");
	assert_true(
	    has_code(report_input_get(in, 0), FINDING_REPORT_UNRECOGNISED));
	assert_true(
	    has_code(report_input_get(in, 1), FINDING_REPORT_UNRECOGNISED));
	report_input_free(in);
}

static void
write_file(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	fclose(f);
}

/* One bad file never stops the others; Maildir is just directories. */
static void
test_directory(void **state)
{
	struct report_input *in = report_input_new();
	char		     tmpl[] = "/tmp/test_report_input.XXXXXX";
	char		    *dir, *p, *msg, *cmd;
	unsigned char	    *z;
	size_t		     zlen, i;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	p = xasprintf("%s/a-broken.json", dir);
	write_file(p, "{\"policies\": [", 14);
	free(p);
	p = xasprintf("%s/b-good.json", dir);
	write_file(p, REPORT, strlen(REPORT));
	free(p);
	z = gz(REPORT, strlen(REPORT), &zlen);
	p = xasprintf("%s/c-cut.json.gz", dir);
	write_file(p, z, zlen - 9);
	free(p);
	p = xasprintf("%s/Maildir", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/Maildir/cur", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	msg = message("application/tlsrpt+json", "7bit", REPORT);
	p = xasprintf("%s/Maildir/cur/1709300000.M1.host:2,S", dir);
	write_file(p, msg, strlen(msg));
	free(p);
	p = xasprintf("%s/.hidden", dir);
	write_file(p, "junk", 4);
	free(p);

	report_input_add_path(in, dir);
	report_input_add_path(in, "/nonexistent/report.json");
	assert_int_equal(report_input_count(in), 5);
	assert_int_equal(report_input_nreports(in), 2);
	assert_int_equal(report_input_nunreadable(in), 3);
	/* Name order: "Maildir" sorts before "a-broken.json". */
	assert_non_null(report_input_get(in, 0)->report);
	assert_true(
	    has_code(report_input_get(in, 1), FINDING_REPORT_INVALID_JSON));
	assert_non_null(report_input_get(in, 2)->report);
	assert_true(
	    has_code(report_input_get(in, 3), FINDING_REPORT_DECOMPRESS));
	assert_true(
	    has_code(report_input_get(in, 4), FINDING_REPORT_UNREADABLE));
	for (i = 0; i < report_input_count(in); i++)
		assert_non_null(report_input_get(in, i)->source);

	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(msg);
	free(z);
	report_input_free(in);
}

/*
 * Found by the report_walk fuzzer: an empty directory passed NULL to
 * qsort (undefined behaviour; UBSan in an --enable-asan build says so).
 * Empty and hidden-only directories give no item and no finding.
 */
static void
test_directory_empty(void **state)
{
	struct report_input *in = report_input_new();
	char		     tmpl[] = "/tmp/test_report_input.XXXXXX";
	char		    *dir, *p, *cmd;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	p = xasprintf("%s/empty", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/hidden", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/hidden/.x.json", dir);
	write_file(p, REPORT, strlen(REPORT));
	free(p);
	report_input_add_path(in, dir);
	assert_int_equal(report_input_count(in), 0);
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	report_input_free(in);
}

/*
 * Every file of the shared corpus gives a report.  None is expected to
 * fail; the deviations are findings (doc/reports.md lists them).
 */
static void
test_corpus(void **state)
{
	static const char *const files[] = {
		"mailtlsrpt__email.eml",
		"mailtlsrpt__expected.json",
		"mailtlsrpt__report.json",
		"mox__example.attachment.json",
		"mox__example.eml",
		"mox__microsoft.attachment.json",
		"mox__microsoft.eml",
		"parsedmarc__empty_failure_detail_fields.json",
		"parsedmarc__google.com_smtp_tls_report.attachment.json",
		"parsedmarc__google.com_smtp_tls_report.eml",
		"parsedmarc__mail.ru.json",
		"parsedmarc__rfc8460.json",
		"parsedmarc__smtp_tls.json",
		"stalwart-mailauth__rpt01.eml",
		"stalwart-mailauth__rpt01.json",
		"stalwart-mailauth__rpt02.eml",
		"stalwart-mailauth__rpt02.json",
		"stalwart-mailauth__rpt03.json",
	};
	const char	    *base = getenv("MTASTS_CORPUS");
	struct report_input *in;
	struct stat	     st;
	char		    *dir, *p;
	size_t		     i;

	(void)state;
	dir = xasprintf("%s/tlsrpt", base != NULL ? base : "../shared/corpus");
	if (stat(dir, &st) != 0) {
		free(dir);
		skip();
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		in = report_input_new();
		p = xasprintf("%s/%s", dir, files[i]);
		report_input_add_path(in, p);
		if (report_input_count(in) != 1 ||
		    report_input_get(in, 0)->report == NULL)
			fail_msg("%s: no report", files[i]);
		free(p);
		report_input_free(in);
	}
	in = report_input_new();
	report_input_add_path(in, dir);
	assert_int_equal(report_input_count(in), 18);
	assert_int_equal(report_input_nreports(in), 18);
	report_input_free(in);
	free(dir);
}

/*
 * The parsed reports of one set are capped in total, not only one by one:
 * 100 distinct 8 MB reports took 2.6 GB.  Reports of 7 MB each (one long
 * additional-information) are read until the total would pass
 * REPORT_INPUT_MAX_TOTAL; the rest are report.too_large, saying why.
 */
static void
test_total_cap(void **state)
{
	static const char head[] =
	    "{\"organization-name\": \"Big\", \"contact-info\": \"c@big.test\","
	    " \"report-id\": \"big-%03zu\", \"date-range\": {"
	    "\"start-datetime\": \"2026-11-01T00:00:00Z\","
	    " \"end-datetime\": \"2026-11-01T23:59:59Z\"}, \"policies\": [{"
	    "\"policy\": {\"policy-type\": \"sts\", \"policy-domain\":"
	    " \"big.test\"}, \"summary\": {\"total-successful-session-count\":"
	    " 1, \"total-failure-session-count\": 1}, \"failure-details\": [{"
	    "\"result-type\": \"validation-failure\", \"failed-session-count\":"
	    " 1, \"additional-information\": \"";
	const size_t			big = 7 * 1024 * 1024;
	struct report_input	       *in = report_input_new();
	const struct report_input_item *it;
	char			       *buf, src[32];
	size_t hlen, len, i, n = 20, read = 0, refused = 0;

	(void)state;
	buf = xmalloc(sizeof(head) + 16 + big + 16);
	for (i = 0; i < n; i++) {
		hlen = (size_t)snprintf(buf, sizeof(head) + 16, head, i);
		memset(buf + hlen, 'x', big);
		len = hlen + big;
		memcpy(buf + len, "\"}]}]}", 6);
		len += 6;
		snprintf(src, sizeof(src), "big-%03zu.json", i);
		report_input_add_buffer(in, buf, len, src);
	}
	free(buf);
	assert_int_equal(report_input_count(in), n);
	for (i = 0; i < n; i++) {
		it = report_input_get(in, i);
		if (it->report != NULL) {
			read++;
			assert_int_equal(refused, 0); /* the first ones */
		} else {
			refused++;
			assert_int_not_equal(finding_list_find(it->findings,
						 FINDING_REPORT_TOO_LARGE, 0),
			    -1);
		}
	}
	assert_int_equal(read, REPORT_INPUT_MAX_TOTAL / len);
	assert_int_equal(refused, n - read);
	report_input_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_gzip),
		cmocka_unit_test(test_truncated_gzip),
		cmocka_unit_test(test_gzip_bomb),
		cmocka_unit_test(test_gunzip_cap),
		cmocka_unit_test(test_mime_base64_gzip),
		cmocka_unit_test(test_mime_base64_stray),
		cmocka_unit_test(test_mbox_from_only),
		cmocka_unit_test(test_mime_many_fields),
		cmocka_unit_test(test_mime_qp),
		cmocka_unit_test(test_mime_bad),
		cmocka_unit_test(test_mbox),
		cmocka_unit_test(test_unrecognised),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_directory_empty),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_total_cap),
	};

	return cmocka_run_group_tests_name("report_input", tests, NULL, NULL);
}
