/*
 * Unit tests: engine/dane record checks (DANE-8, DANE-9), matching against
 * chains (DANE-6, DANE-7) and judging (DANE-2..5, DANE-11, DANE-13).
 *
 * Certificates are made at test time with certtool (gnutls-bin) in a
 * temporary directory; the expected digests come from certtool's own DER
 * and SubjectPublicKeyInfo output, not from the code under test.
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
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "certinfo.h"
#include "dane.h"
#include "finding.h"
#include "mx_tls.h"
#include "smtp_probe.h"
#include "xmalloc.h"

static char dir[] = "/tmp/test_dane.XXXXXX";

static const char gen_script[] =
    "set -e\n"
    "mk() {\n"
    "	name=$1 signer=$2; shift 2\n"
    "	certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 \\\n"
    "	    --outfile $name.key 2>/dev/null\n"
    "	printf '%s\\n' \"$@\" > $name.tmpl\n"
    "	if [ \"$signer\" = self ]; then\n"
    "		certtool --generate-self-signed --load-privkey $name.key \\\n"
    "		    --template $name.tmpl --outfile $name.pem 2>/dev/null\n"
    "	else\n"
    "		certtool --generate-certificate --load-privkey $name.key \\\n"
    "		    --load-ca-certificate $signer.pem \\\n"
    "		    --load-ca-privkey $signer.key \\\n"
    "		    --template $name.tmpl --outfile $name.pem 2>/dev/null\n"
    "	fi\n"
    "	certtool --certificate-info --infile $name.pem --outder \\\n"
    "	    --outfile $name.der 2>/dev/null\n"
    "	certtool --pubkey-info --load-certificate $name.pem --outder \\\n"
    "	    --outfile $name.spki 2>/dev/null\n"
    "}\n"
    "leaf='tls_www_server signing_key encryption_key'\n"
    "mk root self 'cn = \"Test Root\"' ca cert_signing_key "
    "'expiration_days = 3650'\n"
    "mk int root 'cn = \"Test Intermediate\"' ca cert_signing_key "
    "'expiration_days = 3650'\n"
    "mk leaf int 'cn = \"mx.example.test\"' 'dns_name = \"mx.example.test\"' "
    "$leaf 'expiration_days = 90'\n"
    "mk wrongname int 'dns_name = \"other.test\"' $leaf "
    "'expiration_days = 90'\n"
    "mk domainname int 'dns_name = \"example.test\"' $leaf "
    "'expiration_days = 90'\n"
    "mk cnonly int 'cn = \"mx.example.test\"' $leaf 'expiration_days = 90'\n"
    "mk expired int 'dns_name = \"mx.example.test\"' $leaf "
    "'activation_date = \"2020-01-01 00:00:00\"' "
    "'expiration_date = \"2021-01-01 00:00:00\"'\n"
    "mk selfsigned self 'cn = \"mx.example.test\"' "
    "'dns_name = \"mx.example.test\"' $leaf 'expiration_days = 90'\n"
    "mk oroot self 'cn = \"Other Root\"' ca cert_signing_key "
    "'expiration_days = 3650'\n"
    "mk oleaf oroot 'dns_name = \"mx.example.test\"' $leaf "
    "'expiration_days = 90'\n";

/* ---- helpers ---- */

static unsigned char *
test_read(const char *name, const char *ext, size_t *len)
{
	char	      *path;
	unsigned char *buf;
	FILE	      *f;
	long	       n;

	path = xasprintf("%s/%s.%s", dir, name, ext);
	f = fopen(path, "rb");
	free(path);
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A chain of the named certificates, leaf first. */
static struct certinfo_chain *
test_chain(const char *const *names, size_t n)
{
	struct certinfo_chain *ch;
	char		     **pem;
	char		      *cause = NULL;
	size_t		       i, len;

	pem = xcalloc(n, sizeof(*pem));
	for (i = 0; i < n; i++)
		pem[i] = (char *)test_read(names[i], "pem", &len);
	ch = certinfo_chain_new_pem((const char *const *)pem, n, 0, &cause);
	if (ch == NULL)
		fail_msg("chain: %s", cause);
	for (i = 0; i < n; i++)
		free(pem[i]);
	free(pem);
	return ch;
}

/* A record whose data is the named file's DER or SPKI under mtype. */
static void
test_rr(struct dane_rr *r, uint8_t usage, uint8_t selector, uint8_t mtype,
    const char *name)
{
	unsigned char *buf;
	size_t	       len;

	memset(r, 0, sizeof(*r));
	r->usage = usage;
	r->selector = selector;
	r->mtype = mtype;
	buf = test_read(name, selector == 0 ? "der" : "spki", &len);
	if (mtype == 0) {
		r->data = buf;
		r->datalen = len;
	} else {
		r->datalen = mtype == 1 ? 32 : 64;
		r->data = xmalloc(r->datalen);
		assert_true(gnutls_hash_fast(mtype == 1 ? GNUTLS_DIG_SHA256
							: GNUTLS_DIG_SHA512,
				buf, len, r->data) >= 0);
		free(buf);
	}
	r->check = dane_rr_check(usage, selector, mtype, r->data, r->datalen,
	    &r->form);
}

static void
test_host(struct dane_host *h, struct dane_rr *rrs, size_t n)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->name = xstrdup("mx.example.test");
	h->base = xstrdup("mx.example.test");
	h->qname = xstrdup("_25._tcp.mx.example.test");
	h->status = DNS_OK;
	h->ad = 1;
	h->dnssec = DANE_DNSSEC_SECURE;
	h->rrs = rrs;
	h->nrrs = n;
	for (i = 0; i < n; i++)
		if (rrs[i].check == DANE_RR_USABLE)
			h->nusable++;
}

static void
test_host_free(struct dane_host *h)
{
	size_t i;

	for (i = 0; i < h->nrrs; i++)
		free(h->rrs[i].data);
	free(h->name);
	free(h->base);
	free(h->qname);
}

/* Matches one record against the named chain; returns the status. */
static enum dane_match_status
test_match1(uint8_t u, uint8_t s, uint8_t m, const char *rrcert,
    const char *const *names, size_t n, int mx_secure, long *depth)
{
	struct dane_rr	       rr;
	struct dane_host       h;
	struct dane_match      dm;
	struct certinfo_chain *ch;
	enum dane_match_status st;

	test_rr(&rr, u, s, m, rrcert);
	test_host(&h, &rr, 1);
	ch = test_chain(names, n);
	dane_match_chain(&dm, &h, "example.test", mx_secure, ch, 0);
	st = dm.status;
	if (depth != NULL)
		*depth = dm.depth;
	if (st == DANE_MATCH_FAIL || st == DANE_MATCH_OK)
		assert_non_null(dm.detail);
	dane_match_clear(&dm);
	certinfo_chain_free(ch);
	test_host_free(&h);
	return st;
}

static int
test_count(const struct finding_list *fl, enum finding_code c)
{
	size_t i;
	int    n = 0;

	for (i = 0; i < finding_list_count(fl); i++)
		if (finding_list_get(fl, i)->code == c)
			n++;
	return n;
}

/* ---- setup ---- */

static int
setup(void **state)
{
	(void)state;
	return scratch_make(dir, gen_script);
}

static int
teardown(void **state)
{
	(void)state;
	return scratch_remove(dir);
}

/* ---- record checks ---- */

static void
test_rr_checks(void **state)
{
	static const unsigned char z64[64];
	static const unsigned char der[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
	static const unsigned char der_trail[] = { 0x30, 0x03, 0x02, 0x01, 0x00,
		0xff };
	static const unsigned char notder[] = { 0x04, 0x01, 0x00 };
	static const struct {
		uint8_t		     u, s, m;
		const unsigned char *data;
		size_t		     len;
		enum dane_rr_check   want;
		unsigned	     form;
	} t[] = {
		{ 3, 1, 1, z64, 32, DANE_RR_USABLE, 0 },
		{ 3, 0, 1, z64, 32, DANE_RR_USABLE, 0 },
		{ 2, 0, 1, z64, 32, DANE_RR_USABLE, 0 },
		{ 2, 1, 1, z64, 32, DANE_RR_USABLE, DANE_FORM_TA_SPKI },
		{ 3, 1, 2, z64, 64, DANE_RR_USABLE, 0 },
		{ 3, 1, 0, der, sizeof(der), DANE_RR_USABLE, DANE_FORM_FULL },
		{ 3, 1, 1, z64, 31, DANE_RR_BAD_LENGTH, 0 },
		{ 3, 1, 1, z64, 33, DANE_RR_BAD_LENGTH, 0 },
		{ 3, 1, 2, z64, 32, DANE_RR_BAD_LENGTH, 0 },
		{ 3, 1, 0, der_trail, sizeof(der_trail), DANE_RR_BAD_LENGTH,
		    0 },
		{ 3, 1, 0, notder, sizeof(notder), DANE_RR_BAD_LENGTH, 0 },
		{ 3, 1, 1, NULL, 0, DANE_RR_EMPTY, 0 },
		{ 3, 1, 3, z64, 32, DANE_RR_BAD_MTYPE, 0 },
		{ 3, 1, 255, z64, 32, DANE_RR_BAD_MTYPE, 0 },
		{ 3, 2, 1, z64, 32, DANE_RR_BAD_SELECTOR, 0 },
		{ 4, 1, 1, z64, 32, DANE_RR_BAD_USAGE, 0 },
		{ 255, 1, 1, z64, 32, DANE_RR_BAD_USAGE, 0 },
		{ 0, 0, 1, z64, 32, DANE_RR_PKIX_USAGE, 0 },
		{ 1, 1, 1, z64, 32, DANE_RR_PKIX_USAGE, 0 },
		/* unknown values are reported before the PKIX usage */
		{ 0, 0, 9, z64, 32, DANE_RR_BAD_MTYPE, 0 },
		{ 1, 1, 1, z64, 20, DANE_RR_BAD_LENGTH, 0 },
	};
	size_t	 i;
	unsigned form;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		form = 99;
		if (dane_rr_check(t[i].u, t[i].s, t[i].m, t[i].data, t[i].len,
			&form) != t[i].want)
			fail_msg("case %zu (%u %u %u len %zu): got %s, want %s",
			    i, t[i].u, t[i].s, t[i].m, t[i].len,
			    dane_rr_check_name(dane_rr_check(t[i].u, t[i].s,
				t[i].m, t[i].data, t[i].len, NULL)),
			    dane_rr_check_name(t[i].want));
		assert_int_equal(form, t[i].form);
	}
	assert_string_equal(dane_dnssec_name(DANE_DNSSEC_BOGUS), "bogus");
}

/* ---- matching ---- */

static void
test_match_ee(void **state)
{
	const char *const full[] = { "leaf", "int" };
	const char *const self[] = { "selfsigned" };
	const char *const exp[] = { "expired", "int" };
	const char *const wrong[] = { "wrongname", "int" };
	long		  depth;

	(void)state;
	/* every selector and matching type on the leaf (DANE-6, DANE-9) */
	assert_int_equal(test_match1(3, 1, 1, "leaf", full, 2, 0, &depth),
	    DANE_MATCH_OK);
	assert_int_equal(depth, 0);
	assert_int_equal(test_match1(3, 0, 1, "leaf", full, 2, 0, NULL),
	    DANE_MATCH_OK);
	assert_int_equal(test_match1(3, 1, 2, "leaf", full, 2, 0, NULL),
	    DANE_MATCH_OK);
	assert_int_equal(test_match1(3, 0, 2, "leaf", full, 2, 0, NULL),
	    DANE_MATCH_OK);
	assert_int_equal(test_match1(3, 1, 0, "leaf", full, 2, 0, NULL),
	    DANE_MATCH_OK);
	assert_int_equal(test_match1(3, 0, 0, "leaf", full, 2, 0, NULL),
	    DANE_MATCH_OK);
	/* DANE-EE names only the leaf: the intermediate does not match */
	assert_int_equal(test_match1(3, 1, 1, "int", full, 2, 0, NULL),
	    DANE_MATCH_FAIL);
	/* another key */
	assert_int_equal(test_match1(3, 1, 1, "selfsigned", full, 2, 0, NULL),
	    DANE_MATCH_FAIL);
	/* names and expiry are ignored (DANE-6); self-signed is fine */
	assert_int_equal(test_match1(3, 1, 1, "selfsigned", self, 1, 0, NULL),
	    DANE_MATCH_OK);
	assert_int_equal(test_match1(3, 1, 1, "expired", exp, 2, 0, NULL),
	    DANE_MATCH_OK);
	assert_int_equal(test_match1(3, 1, 1, "wrongname", wrong, 2, 0, NULL),
	    DANE_MATCH_OK);
}

static void
test_match_ta(void **state)
{
	const char *const full[] = { "leaf", "int" };
	const char *const leafonly[] = { "leaf" };
	const char *const withroot[] = { "leaf", "int", "root" };
	const char *const wrong[] = { "wrongname", "int" };
	const char *const dom[] = { "domainname", "int" };
	const char *const cn[] = { "cnonly", "int" };
	const char *const exp[] = { "expired", "int" };
	const char *const other[] = { "oleaf", "int" };
	const char *const self[] = { "selfsigned" };
	long		  depth;

	(void)state;
	assert_int_equal(test_match1(2, 0, 1, "int", full, 2, 0, &depth),
	    DANE_MATCH_OK);
	assert_int_equal(depth, 1);
	assert_int_equal(test_match1(2, 1, 1, "int", full, 2, 0, NULL),
	    DANE_MATCH_OK);
	assert_int_equal(test_match1(2, 0, 1, "root", withroot, 3, 0, &depth),
	    DANE_MATCH_OK);
	assert_int_equal(depth, 2);
	/* the TA must be presented (DANE-7) */
	assert_int_equal(test_match1(2, 0, 1, "int", leafonly, 1, 0, NULL),
	    DANE_MATCH_FAIL);
	assert_int_equal(test_match1(2, 0, 1, "root", full, 2, 0, NULL),
	    DANE_MATCH_FAIL);
	/* names are checked: the TLSA base domain ... */
	assert_int_equal(test_match1(2, 0, 1, "int", wrong, 2, 0, NULL),
	    DANE_MATCH_FAIL);
	/* ... and the recipient domain only with a secure MX RRset */
	assert_int_equal(test_match1(2, 0, 1, "int", dom, 2, 0, NULL),
	    DANE_MATCH_FAIL);
	assert_int_equal(test_match1(2, 0, 1, "int", dom, 2, 1, NULL),
	    DANE_MATCH_OK);
	/* CN only when there is no DNS-ID */
	assert_int_equal(test_match1(2, 0, 1, "int", cn, 2, 0, NULL),
	    DANE_MATCH_OK);
	/* the leaf below the TA must be valid now */
	assert_int_equal(test_match1(2, 0, 1, "int", exp, 2, 0, NULL),
	    DANE_MATCH_FAIL);
	/* and signed by it: a leaf of another CA next to our TA fails */
	assert_int_equal(test_match1(2, 0, 1, "int", other, 2, 0, NULL),
	    DANE_MATCH_FAIL);
	/* a self-signed leaf may be its own TA, names still checked */
	assert_int_equal(test_match1(2, 0, 1, "selfsigned", self, 1, 0, &depth),
	    DANE_MATCH_OK);
	assert_int_equal(depth, 0);
	/* PKIX usages never match (DANE-8) */
	assert_int_equal(test_match1(0, 0, 1, "int", full, 2, 0, NULL),
	    DANE_MATCH_NONE);
	assert_int_equal(test_match1(1, 1, 1, "leaf", full, 2, 0, NULL),
	    DANE_MATCH_NONE);
}

static void
test_match_edges(void **state)
{
	struct dane_rr	  rr;
	struct dane_host  h;
	struct dane_match dm;

	(void)state;
	test_rr(&rr, 3, 1, 1, "leaf");
	test_host(&h, &rr, 1);
	dane_match_chain(&dm, &h, NULL, 0, NULL, 0);
	assert_int_equal(dm.status, DANE_MATCH_NO_CHAIN);
	dane_match_clear(&dm);
	dane_match(&dm, &h, NULL, 0, NULL, 0);
	assert_int_equal(dm.status, DANE_MATCH_NO_CHAIN);
	dane_match_clear(&dm);
	/* insecure records are never matched (DANE-2) */
	h.dnssec = DANE_DNSSEC_INSECURE;
	dane_match_chain(&dm, &h, NULL, 0, NULL, 0);
	assert_int_equal(dm.status, DANE_MATCH_NONE);
	assert_null(dm.detail);
	dane_match_clear(&dm);
	test_host_free(&h);
}

/* ---- judging ---- */

static void
test_judge_dns(void **state)
{
	struct dane_result    res;
	struct dane_host      h[4];
	struct dane_rr	     *rr;
	struct finding_list  *fl;
	const struct finding *f;
	long		      i;

	(void)state;
	memset(&res, 0, sizeof(res));
	res.domain = xstrdup("example.test");
	res.mx_status = DNS_OK;
	res.mx_ad = 0;
	res.hosts = h;
	res.nhosts = 4;

	/* bogus */
	test_host(&h[0], NULL, 0);
	h[0].status = DNS_SERVFAIL;
	h[0].ad = 0;
	h[0].dnssec = DANE_DNSSEC_BOGUS;
	/* insecure with a record */
	rr = xcalloc(1, sizeof(*rr));
	test_rr(rr, 3, 1, 1, "leaf");
	test_host(&h[1], rr, 1);
	h[1].ad = 0;
	h[1].dnssec = DANE_DNSSEC_INSECURE;
	/* secure denial */
	test_host(&h[2], NULL, 0);
	h[2].status = DNS_NXDOMAIN;
	/* secure, only PKIX usages and a bad length */
	rr = xcalloc(3, sizeof(*rr));
	test_rr(&rr[0], 0, 0, 1, "int");
	test_rr(&rr[1], 1, 1, 1, "leaf");
	test_rr(&rr[2], 3, 1, 1, "leaf");
	rr[2].datalen = 20;
	rr[2].check = dane_rr_check(3, 1, 1, rr[2].data, 20, &rr[2].form);
	test_host(&h[3], rr, 3);

	fl = finding_list_new();
	dane_judge(&res, NULL, 2, fl);
	assert_int_equal(test_count(fl, FINDING_DANE_LOOKUP_ERROR), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_INSECURE), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_NONE), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_PKIX_USAGE), 2);
	assert_int_equal(test_count(fl, FINDING_DANE_UNUSABLE_RECORD), 1);
	/* secure TLSA but an insecure MX RRset (DANE-3) */
	assert_int_equal(test_count(fl, FINDING_DANE_MX_INSECURE), 1);
	/* nothing was matched: no probe */
	assert_int_equal(test_count(fl, FINDING_DANE_OK), 0);
	assert_int_equal(test_count(fl, FINDING_DANE_MISMATCH), 0);
	i = finding_list_find(fl, FINDING_DANE_LOOKUP_ERROR, 0);
	f = finding_list_get(fl, (size_t)i);
	assert_int_equal(f->severity, FINDING_ERROR);
	assert_non_null(strstr(f->message, "_25._tcp.mx.example.test"));
	i = finding_list_find(fl, FINDING_DANE_PKIX_USAGE, 0);
	f = finding_list_get(fl, (size_t)i);
	assert_non_null(strstr(f->message, "no usable record left"));
	finding_list_free(fl);

	/* a secure MX RRset: no dane.mx_insecure */
	res.mx_ad = 1;
	fl = finding_list_new();
	dane_judge(&res, NULL, 2, fl);
	assert_int_equal(test_count(fl, FINDING_DANE_MX_INSECURE), 0);
	finding_list_free(fl);

	for (i = 0; i < 4; i++) {
		test_host_free(&h[i]);
		free(h[i].rrs);
	}
	free(res.domain);
}

/* One MX, one address serving chain names[], verified with verdict. */
static void
test_judge_one(const char *const *names, size_t n,
    enum certinfo_verdict verdict, struct dane_rr *rrs, size_t nrrs, int mode,
    struct finding_list *fl)
{
	struct dane_result	 res;
	struct dane_host	 h;
	struct mx_tls_result	 tls;
	struct mx_tls_host	 th;
	struct mx_tls_addr	 a;
	struct smtp_probe_result p;
	struct certinfo_verify	 v;

	test_host(&h, rrs, nrrs);
	memset(&res, 0, sizeof(res));
	res.domain = "example.test";
	res.mx_status = DNS_OK;
	res.mx_ad = 1;
	res.hosts = &h;
	res.nhosts = 1;
	memset(&p, 0, sizeof(p));
	p.tls = 1;
	p.chain = names != NULL ? test_chain(names, n) : NULL;
	if (names == NULL) {
		p.tls = 0;
		p.fail = SMTP_PROBE_FAIL_NOTLS;
		p.fail_state = SMTP_PROBE_EHLO;
		p.reason = "EHLO reply does not offer STARTTLS";
	}
	memset(&v, 0, sizeof(v));
	v.verdict = verdict;
	v.detail = "test verdict";
	memset(&a, 0, sizeof(a));
	a.address = "192.0.2.25";
	a.probe = &p;
	a.verify = names != NULL ? &v : NULL;
	memset(&th, 0, sizeof(th));
	th.name = "MX.example.test";
	th.addrs = &a;
	th.naddrs = 1;
	memset(&tls, 0, sizeof(tls));
	tls.hosts = &th;
	tls.nhosts = 1;
	dane_judge(&res, &tls, mode, fl);
	certinfo_chain_free(p.chain);
	test_host_free(&h);
}

static void
test_judge_match(void **state)
{
	const char *const     self[] = { "selfsigned" };
	const char *const     full[] = { "leaf", "int" };
	struct dane_rr	      rr[2];
	struct finding_list  *fl;
	const struct finding *f;
	long		      i;

	(void)state;
	/* DANE-13: self-signed + matching 3 1 1 under an enforce policy */
	fl = finding_list_new();
	test_rr(&rr[0], 3, 1, 1, "selfsigned");
	test_judge_one(self, 1, CERTINFO_UNTRUSTED, rr, 1, 2, fl);
	assert_int_equal(test_count(fl, FINDING_DANE_OK), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_STS_CONFLICT), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_MISMATCH), 0);
	i = finding_list_find(fl, FINDING_DANE_STS_CONFLICT, 0);
	f = finding_list_get(fl, (size_t)i);
	assert_string_equal(f->subject, "mx.example.test 192.0.2.25");
	assert_int_equal(f->severity, FINDING_WARNING);
	finding_list_free(fl);

	/* without a policy there is no MTA-STS sender to disagree */
	fl = finding_list_new();
	test_rr(&rr[0], 3, 1, 1, "selfsigned");
	test_judge_one(self, 1, CERTINFO_UNTRUSTED, rr, 1, 0, fl);
	assert_int_equal(test_count(fl, FINDING_DANE_OK), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_STS_CONFLICT), 0);
	finding_list_free(fl);

	/* the reverse: PKIX fine, TLSA stale; plus DANE-11 */
	fl = finding_list_new();
	test_rr(&rr[0], 3, 1, 1, "selfsigned");
	test_judge_one(full, 2, CERTINFO_OK, rr, 1, 1, fl);
	assert_int_equal(test_count(fl, FINDING_DANE_MISMATCH), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_STS_CONFLICT), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_UNMATCHED_RECORD), 1);
	i = finding_list_find(fl, FINDING_DANE_MISMATCH, 0);
	assert_int_equal(finding_list_get(fl, (size_t)i)->severity,
	    FINDING_ERROR);
	finding_list_free(fl);

	/* current + pre-published next key: ok, and one unmatched (info) */
	fl = finding_list_new();
	test_rr(&rr[0], 3, 1, 1, "leaf");
	test_rr(&rr[1], 3, 1, 1, "selfsigned");
	test_judge_one(full, 2, CERTINFO_OK, rr, 2, 2, fl);
	assert_int_equal(test_count(fl, FINDING_DANE_OK), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_MISMATCH), 0);
	assert_int_equal(test_count(fl, FINDING_DANE_UNMATCHED_RECORD), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_STS_CONFLICT), 0);
	finding_list_free(fl);

	/* secure TLSA, no STARTTLS (DANE-5) */
	fl = finding_list_new();
	test_rr(&rr[0], 3, 1, 1, "leaf");
	test_judge_one(NULL, 0, CERTINFO_OK, rr, 1, 2, fl);
	assert_int_equal(test_count(fl, FINDING_DANE_NO_TLS), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_MISMATCH), 0);
	finding_list_free(fl);

	/* Full(0) is usable but not recommended */
	fl = finding_list_new();
	test_rr(&rr[0], 3, 1, 0, "leaf");
	test_judge_one(full, 2, CERTINFO_OK, rr, 1, 2, fl);
	assert_int_equal(test_count(fl, FINDING_DANE_NOT_RECOMMENDED), 1);
	assert_int_equal(test_count(fl, FINDING_DANE_OK), 1);
	finding_list_free(fl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rr_checks),
		cmocka_unit_test(test_match_ee),
		cmocka_unit_test(test_match_ta),
		cmocka_unit_test(test_match_edges),
		cmocka_unit_test(test_judge_dns),
		cmocka_unit_test(test_judge_match),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
