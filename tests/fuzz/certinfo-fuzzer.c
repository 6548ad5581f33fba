/*
 * libFuzzer target: certificates as a server presents them.  The first
 * byte chooses the form: even, a chain of DER certificates (fuzz_der.h);
 * odd, one PEM text.  The chain is read by certinfo_chain_new(), judged by
 * certinfo_verify() against the system trust store, and each SAN is tried
 * by certinfo_name_match(), as policy_fetch and mx_tls do.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certinfo.h"
#include "xmalloc.h"
#include "fuzz_der.h"

#define FUZZ_NOW 1767225600 /* 2026-01-01: fixed, so runs repeat */

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct certinfo_trust *fuzz_trust;

static void
fuzz_judge(const struct certinfo_chain *c)
{
	struct certinfo_verify *v;
	size_t			i, j;

	for (i = 0; i < c->ncerts; i++) {
		if (c->certs[i].subject == NULL || c->certs[i].issuer == NULL ||
		    strlen(c->certs[i].fpr_sha256) != CERTINFO_HEXLEN)
			abort();
		for (j = 0; j < c->certs[i].ndns; j++) {
			(void)certinfo_name_match(c->certs[i].dns_names[j],
			    "mx1.example.com");
			(void)certinfo_name_match("*.example.com",
			    c->certs[i].dns_names[j]);
		}
	}
	v = certinfo_verify(c, fuzz_trust, "mx1.example.com", FUZZ_NOW);
	if (v == NULL || v->detail == NULL || v->nlinks != c->ncerts ||
	    (v->verdict == CERTINFO_OK) != (v->problems == 0))
		abort();
	certinfo_verify_free(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct certinfo_der    der[FUZZ_MAX_CERTS];
	struct certinfo_chain *c;
	const char	      *pem[1];
	char		      *cause = NULL, *text;
	size_t		       n;

	if (fuzz_trust == NULL &&
	    (fuzz_trust = certinfo_trust_new(NULL, &cause)) == NULL)
		abort(); /* no system trust store: nothing to fuzz against */
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		text = xstrndup((const char *)data + 1, size - 1);
		pem[0] = text;
		c = certinfo_chain_new_pem(pem, 1, FUZZ_NOW, &cause);
		free(text);
	} else {
		n = fuzz_der_split(der, data + 1, size - 1);
		c = certinfo_chain_new(der, n, FUZZ_NOW, &cause);
	}
	if ((c == NULL) == (cause == NULL))
		abort();
	if (c != NULL) {
		fuzz_judge(c);
		certinfo_chain_free(c);
	}
	free(cause);
	return 0;
}
