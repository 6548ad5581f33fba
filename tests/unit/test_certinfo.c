/*
 * Unit tests: certificate parsing and MTA-STS-style verification.
 *
 * The certificates are made at test time with certtool (gnutls-bin) in a
 * temporary directory, so nothing expires in the repository.
 */
#include "config.h"

#include <sys/stat.h>

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

#include "certinfo.h"
#include "xmalloc.h"

static char dir[] = "/tmp/test_certinfo.XXXXXX";

/*
 * One shell script makes every key and certificate.  mk NAME KEYTYPE
 * SIGNER TEMPLATE-LINES: SIGNER "self" self-signs.
 */
static const char gen_script[] =
    "set -e\n"
    "mk() {\n"
    "	name=$1 kt=$2 signer=$3; shift 3\n"
    "	if [ \"$kt\" = rsa ]; then\n"
    "		certtool --generate-privkey --key-type=rsa --bits=2048 \\\n"
    "		    --outfile $name.key 2>/dev/null\n"
    "	else\n"
    "		certtool --generate-privkey --key-type=ecdsa \\\n"
    "		    --curve=secp256r1 --outfile $name.key 2>/dev/null\n"
    "	fi\n"
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
    "}\n"
    "leaf='tls_www_server signing_key encryption_key'\n"
    "mk root ecdsa self 'cn = \"Test Root\"' ca cert_signing_key "
    "'expiration_days = 3650'\n"
    "mk int ecdsa root 'cn = \"Test Intermediate\"' ca cert_signing_key "
    "'expiration_days = 3650'\n"
    "mk leaf rsa int 'cn = \"mta-sts.example.test\"' "
    "'dns_name = \"www.example.test\"' "
    "'dns_name = \"MTA-STS.example.test\"' 'ip_address = \"192.0.2.7\"' "
    "'ip_address = \"2001:db8::7\"' $leaf 'expiration_days = 90'\n"
    "mk direct ecdsa root 'dns_name = \"mta-sts.example.test\"' $leaf "
    "'expiration_days = 90'\n"
    "mk expired ecdsa int 'dns_name = \"mta-sts.example.test\"' $leaf "
    "'activation_date = \"2020-01-01 00:00:00\"' "
    "'expiration_date = \"2021-01-01 00:00:00\"'\n"
    "mk future ecdsa int 'dns_name = \"mta-sts.example.test\"' $leaf "
    "'activation_date = \"2090-01-01 00:00:00\"' "
    "'expiration_date = \"2091-01-01 00:00:00\"'\n"
    "mk wrongname ecdsa int 'dns_name = \"mta-sts.other.test\"' $leaf "
    "'expiration_days = 90'\n"
    "mk cnonly ecdsa int 'cn = \"mta-sts.example.test\"' $leaf "
    "'expiration_days = 90'\n"
    "mk wild ecdsa int 'dns_name = \"*.example.test\"' $leaf "
    "'expiration_days = 90'\n"
    "mk partial ecdsa int 'dns_name = \"mta*.example.test\"' $leaf "
    "'expiration_days = 90'\n"
    "mk selfsigned ecdsa self 'cn = \"mta-sts.example.test\"' "
    "'dns_name = \"mta-sts.example.test\"' $leaf 'expiration_days = 90'\n"
    "mk oroot ecdsa self 'cn = \"Other Root\"' ca cert_signing_key "
    "'expiration_days = 3650'\n"
    "mk oleaf ecdsa oroot 'dns_name = \"mta-sts.example.test\"' $leaf "
    "'expiration_days = 90'\n"
    "mk notca ecdsa leaf 'dns_name = \"mta-sts.example.test\"' $leaf "
    "'expiration_days = 90'\n"
    "certtool -i --infile leaf.pem > leaf.txt\n";

static char *
test_path(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static char *
test_slurp(const char *name)
{
	char *path, *buf;
	FILE *f;
	long  len;

	path = test_path(name);
	f = fopen(path, "r");
	free(path);
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)len + 1);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

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

/* Loads "a b c" (PEM file stems) as a presented chain. */
static struct certinfo_chain *
test_chain(const char *names)
{
	struct certinfo_chain *chain;
	char		      *pem[8], *copy, *word, *p, *file, *cause = NULL;
	size_t		       n = 0, i;

	copy = xstrdup(names);
	for (p = copy; (word = strsep(&p, " ")) != NULL;) {
		assert_true(n < 8);
		file = xasprintf("%s.pem", word);
		pem[n++] = test_slurp(file);
		free(file);
	}
	free(copy);
	chain = certinfo_chain_new_pem((const char *const *)pem, n, time(NULL),
	    &cause);
	if (chain == NULL)
		fail_msg("%s: %s", names, cause);
	for (i = 0; i < n; i++)
		free(pem[i]);
	return chain;
}

static struct certinfo_trust *
test_trust(const char *name)
{
	struct certinfo_trust *trust;
	char		      *path, *cause = NULL;

	path = test_path(name);
	trust = certinfo_trust_new(path, &cause);
	if (trust == NULL)
		fail_msg("trust: %s", cause);
	free(path);
	return trust;
}

struct verify_case {
	const char	     *chain;
	const char	     *refname;
	enum certinfo_verdict verdict;
	unsigned	      problems;
	long		      matched; /* SAN index, -1 none */
};

static const struct verify_case cases[] = {
	{ "leaf int", "mta-sts.example.test", CERTINFO_OK, 0, 1 },
	{ "leaf int root", "mta-sts.example.test", CERTINFO_OK, 0, 1 },
	{ "leaf int", "MTA-STS.EXAMPLE.TEST.", CERTINFO_OK, 0, 1 },
	{ "direct", "mta-sts.example.test", CERTINFO_OK, 0, 0 },
	{ "leaf", "mta-sts.example.test", CERTINFO_INCOMPLETE_CHAIN,
	    CERTINFO_P_INCOMPLETE, 1 },
	{ "leaf root", "mta-sts.example.test", CERTINFO_INCOMPLETE_CHAIN,
	    CERTINFO_P_INCOMPLETE, 1 },
	{ "expired int", "mta-sts.example.test", CERTINFO_EXPIRED,
	    CERTINFO_P_EXPIRED, 0 },
	{ "future int", "mta-sts.example.test", CERTINFO_NOT_YET_VALID,
	    CERTINFO_P_NOT_YET, 0 },
	{ "wrongname int", "mta-sts.example.test", CERTINFO_NAME_MISMATCH,
	    CERTINFO_P_NAME, -1 },
	{ "cnonly int", "mta-sts.example.test", CERTINFO_NAME_MISMATCH,
	    CERTINFO_P_NAME, -1 },
	{ "wild int", "a.example.test", CERTINFO_OK, 0, 0 },
	{ "wild int", "mta-sts.example.test", CERTINFO_OK, 0, 0 },
	{ "wild int", "a.b.example.test", CERTINFO_NAME_MISMATCH,
	    CERTINFO_P_NAME, -1 },
	{ "wild int", "example.test", CERTINFO_NAME_MISMATCH, CERTINFO_P_NAME,
	    -1 },
	{ "partial int", "mta-sts.example.test", CERTINFO_NAME_MISMATCH,
	    CERTINFO_P_NAME, -1 },
	{ "selfsigned", "mta-sts.example.test", CERTINFO_UNTRUSTED,
	    CERTINFO_P_UNTRUSTED, 0 },
	{ "oleaf oroot", "mta-sts.example.test", CERTINFO_UNTRUSTED,
	    CERTINFO_P_UNTRUSTED, 0 },
	/* Unknown private CA whose root is not sent: indistinguishable. */
	{ "oleaf", "mta-sts.example.test", CERTINFO_INCOMPLETE_CHAIN,
	    CERTINFO_P_INCOMPLETE, 0 },
	{ "expired", "mta-sts.other.test", CERTINFO_INCOMPLETE_CHAIN,
	    CERTINFO_P_INCOMPLETE | CERTINFO_P_NAME | CERTINFO_P_EXPIRED, -1 },
	{ "wrongname int", NULL, CERTINFO_OK, 0, -1 },
	/* Issued by a leaf that is not a CA. */
	{ "notca leaf int", "mta-sts.example.test", CERTINFO_OTHER,
	    CERTINFO_P_OTHER, 0 },
};

static void
test_verify_cases(void **state)
{
	struct certinfo_trust  *trust;
	struct certinfo_chain  *chain;
	struct certinfo_verify *v;
	size_t			i;

	(void)state;
	trust = test_trust("root.pem");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		chain = test_chain(cases[i].chain);
		v = certinfo_verify(chain, trust, cases[i].refname, time(NULL));
		print_message("# %s / %s: %s (%s)\n", cases[i].chain,
		    cases[i].refname ? cases[i].refname : "-",
		    certinfo_verdict_name(v->verdict), v->detail);
		if (v->verdict != cases[i].verdict ||
		    v->problems != cases[i].problems ||
		    v->matched_dns != cases[i].matched)
			fail_msg("case %zu (%s / %s): got %s problems 0x%x "
				 "matched %ld, want %s 0x%x %ld",
			    i, cases[i].chain,
			    cases[i].refname ? cases[i].refname : "-",
			    certinfo_verdict_name(v->verdict), v->problems,
			    v->matched_dns,
			    certinfo_verdict_name(cases[i].verdict),
			    cases[i].problems, cases[i].matched);
		assert_non_null(v->detail);
		assert_string_equal(v->anchor_source,
		    certinfo_trust_source(trust));
		assert_int_equal(v->nlinks, chain->ncerts);
		certinfo_verify_free(v);
		certinfo_chain_free(chain);
	}
	certinfo_trust_free(trust);
}

static void
test_links(void **state)
{
	struct certinfo_trust  *trust;
	struct certinfo_chain  *chain;
	struct certinfo_verify *v;

	(void)state;
	trust = test_trust("root.pem");
	chain = test_chain("leaf int root");
	v = certinfo_verify(chain, trust, "mta-sts.example.test", time(NULL));
	assert_int_equal(v->verdict, CERTINFO_OK);
	assert_int_equal(v->links[0].signed_by_next, 1);
	assert_null(v->links[0].anchor);
	assert_int_equal(v->links[1].signed_by_next, 1);
	assert_non_null(v->links[1].anchor);
	assert_string_equal(v->links[1].anchor, "CN=Test Root");
	assert_int_equal(v->links[1].is_anchor, 0);
	assert_int_equal(v->links[2].signed_by_next, -1);
	assert_int_equal(v->links[2].is_anchor, 1);
	assert_int_equal(v->links[0].in_path, 1);
	assert_int_equal(v->links[1].in_path, 1);
	assert_int_equal(v->links[2].in_path, 0);
	assert_string_equal(v->anchor, "CN=Test Root");
	certinfo_verify_free(v);
	certinfo_chain_free(chain);

	/* Wrong order: the leaf is not signed by what follows it. */
	chain = test_chain("leaf root int");
	v = certinfo_verify(chain, trust, "mta-sts.example.test", time(NULL));
	assert_int_equal(v->links[0].signed_by_next, 0);
	assert_int_equal(v->links[1].signed_by_next, 0);
	certinfo_verify_free(v);
	certinfo_chain_free(chain);
	certinfo_trust_free(trust);
}

/* The same verification, field by field. */
static void
test_verify_same(const struct certinfo_verify *a,
    const struct certinfo_verify	      *b)
{
	size_t i;

	assert_int_equal(a->verdict, b->verdict);
	assert_int_equal(a->problems, b->problems);
	assert_int_equal(a->gnutls_status, b->gnutls_status);
	assert_int_equal(a->matched_dns, b->matched_dns);
	assert_string_equal(a->detail, b->detail);
	if (a->anchor == NULL || b->anchor == NULL)
		assert_ptr_equal(a->anchor, b->anchor);
	else
		assert_string_equal(a->anchor, b->anchor);
	assert_int_equal(a->nlinks, b->nlinks);
	for (i = 0; i < a->nlinks; i++) {
		assert_int_equal(a->links[i].signed_by_next,
		    b->links[i].signed_by_next);
		assert_int_equal(a->links[i].is_anchor, b->links[i].is_anchor);
		assert_int_equal(a->links[i].in_path, b->links[i].in_path);
		if (a->links[i].anchor == NULL || b->links[i].anchor == NULL)
			assert_ptr_equal(a->links[i].anchor,
			    b->links[i].anchor);
		else
			assert_string_equal(a->links[i].anchor,
			    b->links[i].anchor);
	}
}

/*
 * A caching store (a scan's) gives what a fresh one does, for every case,
 * again and again, at other times and for other names than the first
 * (the cache keeps only what the chain and the store decide), also once
 * entries are evicted (room for 3).
 */
static void
test_verify_cached(void **state)
{
	struct certinfo_trust  *plain, *cached;
	struct certinfo_chain  *chain;
	struct certinfo_verify *a, *b;
	const char *names[] = { "mta-sts.example.test", "x.test", NULL };
	time_t	    times[] = { time(NULL), time(NULL) + 3650 * 86400L, 86400 };
	size_t	    i, k, round;

	(void)state;
	plain = test_trust("root.pem");
	cached = test_trust("root.pem");
	certinfo_trust_cache(cached, 3);
	for (round = 0; round < 2; round++)
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			for (k = 0; k < 3; k++) {
				chain = test_chain(cases[i].chain);
				a = certinfo_verify(chain, plain, names[k],
				    times[k]);
				b = certinfo_verify(chain, cached, names[k],
				    times[k]);
				test_verify_same(a, b);
				certinfo_verify_free(a);
				certinfo_verify_free(b);
				certinfo_chain_free(chain);
			}
	certinfo_trust_free(plain);
	certinfo_trust_free(cached);
}

/* Verification against the system store: our test root is not in it. */
static void
test_system_store(void **state)
{
	struct certinfo_trust  *trust;
	struct certinfo_chain  *chain;
	struct certinfo_verify *v;
	char		       *cause = NULL;

	(void)state;
	trust = certinfo_trust_new(NULL, &cause);
	if (trust == NULL)
		skip();
	assert_string_equal(certinfo_trust_source(trust), "system trust store");
	chain = test_chain("leaf int root");
	v = certinfo_verify(chain, trust, "mta-sts.example.test", time(NULL));
	assert_int_equal(v->verdict, CERTINFO_UNTRUSTED);
	assert_null(v->anchor);
	certinfo_verify_free(v);
	certinfo_chain_free(chain);
	certinfo_trust_free(trust);
}

static void
test_bad_trust(void **state)
{
	char *cause = NULL;

	(void)state;
	assert_null(certinfo_trust_new("/nonexistent/ca.pem", &cause));
	assert_non_null(cause);
	free(cause);
}

/* Find "label:" in certtool -i output and return the next hex value. */
static char *
test_certtool_value(const char *txt, const char *label, const char *prefix)
{
	const char *p;
	size_t	    n;

	p = strstr(txt, label);
	assert_non_null(p);
	p = strstr(p, prefix);
	assert_non_null(p);
	p += strlen(prefix);
	n = strspn(p, "0123456789abcdef");
	return xstrndup(p, n);
}

static void
test_fields(void **state)
{
	struct certinfo_chain *chain;
	const struct certinfo *leaf, *root;
	char		      *txt, *fpr, *kid;
	time_t		       now = time(NULL);

	(void)state;
	chain = test_chain("leaf int root");
	assert_int_equal(chain->ncerts, 3);
	leaf = &chain->certs[0];
	root = &chain->certs[2];
	assert_string_equal(leaf->subject, "CN=mta-sts.example.test");
	assert_string_equal(leaf->issuer, "CN=Test Intermediate");
	assert_int_equal(leaf->ndns, 2);
	assert_string_equal(leaf->dns_names[0], "www.example.test");
	assert_string_equal(leaf->dns_names[1], "MTA-STS.example.test");
	assert_int_equal(leaf->nip, 2);
	assert_string_equal(leaf->ip_addrs[0], "192.0.2.7");
	assert_string_equal(leaf->ip_addrs[1], "2001:db8::7");
	assert_string_equal(leaf->key, "RSA 2048");
	assert_string_equal(leaf->sig_alg, "ECDSA-SHA256");
	assert_string_equal(root->key, "ECDSA P-256");
	assert_int_equal(leaf->is_ca, 0);
	assert_int_equal(leaf->self_signed, 0);
	assert_int_equal(chain->certs[1].is_ca, 1);
	assert_int_equal(chain->certs[1].self_signed, 0);
	assert_int_equal(root->is_ca, 1);
	assert_int_equal(root->self_signed, 1);
	assert_true(leaf->not_before <= now && now < leaf->not_after);
	assert_true(leaf->days_left >= 88 && leaf->days_left <= 90);
	assert_int_equal(strlen(leaf->fpr_sha256), CERTINFO_HEXLEN);
	assert_int_equal(strlen(leaf->spki_sha256), CERTINFO_HEXLEN);

	txt = test_slurp("leaf.txt");
	fpr = test_certtool_value(txt, "Fingerprint:", "sha256:");
	kid = test_certtool_value(txt, "Public Key ID:", "sha256:");
	assert_string_equal(leaf->fpr_sha256, fpr);
	assert_string_equal(leaf->spki_sha256, kid);
	free(fpr);
	free(kid);
	free(txt);
	certinfo_chain_free(chain);

	chain = test_chain("expired");
	assert_true(chain->certs[0].days_left < -365);
	certinfo_chain_free(chain);
}

static void
test_bad_der(void **state)
{
	struct certinfo_der der = { (const unsigned char *)"\x30\x03xyz", 5 };
	struct certinfo_chain *chain;
	char		      *cause = NULL;

	(void)state;
	assert_null(certinfo_chain_new(&der, 1, time(NULL), &cause));
	assert_non_null(cause);
	free(cause);
	chain = certinfo_chain_new(NULL, 0, time(NULL), &cause);
	assert_non_null(chain);
	assert_int_equal(chain->ncerts, 0);
	certinfo_chain_free(chain);
}

static void
test_empty_chain(void **state)
{
	struct certinfo_trust  *trust;
	struct certinfo_chain  *chain;
	struct certinfo_verify *v;
	char		       *cause = NULL;

	(void)state;
	trust = test_trust("root.pem");
	chain = certinfo_chain_new(NULL, 0, time(NULL), &cause);
	v = certinfo_verify(chain, trust, "x.test", time(NULL));
	assert_int_equal(v->verdict, CERTINFO_OTHER);
	certinfo_verify_free(v);
	certinfo_chain_free(chain);
	certinfo_trust_free(trust);
}

struct match_case {
	const char *pattern;
	const char *refname;
	int	    match;
};

static const struct match_case matches[] = {
	{ "mta-sts.example.com", "mta-sts.example.com", 1 },
	{ "MTA-STS.Example.COM", "mta-sts.example.com", 1 },
	{ "mta-sts.example.com", "mta-sts.example.com.", 1 },
	{ "mta-sts.example.com.", "mta-sts.example.com", 0 },
	{ "mta-sts.example.com", "mta-sts.example.co", 0 },
	{ "mta-sts.example.co", "mta-sts.example.com", 0 },
	{ "*.example.com", "mta-sts.example.com", 1 },
	{ "*.example.com", "a.b.example.com", 0 },
	{ "*.example.com", "example.com", 0 },
	{ "*.example.com", ".example.com", 0 },
	{ "*.com", "example.com", 0 },
	{ "*", "example", 0 },
	{ "mta*.example.com", "mta-sts.example.com", 0 },
	{ "*sts.example.com", "mta-sts.example.com", 0 },
	{ "*.*.example.com", "a.b.example.com", 0 },
	{ "a.*.example.com", "a.b.example.com", 0 },
	{ "*.example.com", "xn--bcher-kva.example.com", 1 },
	{ "", "example.com", 0 },
	{ "example.com", "", 0 },
};

static void
test_name_match(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++)
		if (certinfo_name_match(matches[i].pattern,
			matches[i].refname) != matches[i].match)
			fail_msg("%s vs %s: want %d", matches[i].pattern,
			    matches[i].refname, matches[i].match);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_match),
		cmocka_unit_test(test_bad_der),
		cmocka_unit_test(test_bad_trust),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_verify_cases),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_verify_cached),
		cmocka_unit_test(test_empty_chain),
		cmocka_unit_test(test_system_store),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
