/*
 * libFuzzer target: TLSA records and the chain they are matched against.
 * Input: a count byte, that many records (usage, selector, matching type,
 * a length byte, the association data), then the served chain
 * (fuzz_der.h).  Each record is checked by dane_rr_check(); the usable
 * ones are matched by dane_match_chain(), as mx_tls does for every address.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certinfo.h"
#include "dane.h"
#include "fuzz_der.h"

#define FUZZ_NOW    1767225600 /* 2026-01-01 */
#define FUZZ_MAXRRS 8

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dane_rr	       rrs[FUZZ_MAXRRS];
	struct dane_host       h;
	struct dane_match      m;
	struct certinfo_der    der[FUZZ_MAX_CERTS];
	struct certinfo_chain *c;
	char		      *cause = NULL;
	size_t		       off = 1, want, i, n;
	int		       secure;

	if (size < 1)
		return 0;
	memset(&h, 0, sizeof(h));
	memset(rrs, 0, sizeof(rrs));
	want = data[0] % (FUZZ_MAXRRS + 1);
	secure = data[0] >> 7;
	h.name = h.base = "mx1.example.com";
	h.qname = "_25._tcp.mx1.example.com";
	h.rrs = rrs;
	for (i = 0; i < want && size - off >= 4; i++) {
		rrs[i].usage = data[off];
		rrs[i].selector = data[off + 1];
		rrs[i].mtype = data[off + 2];
		n = data[off + 3];
		off += 4;
		if (n > size - off)
			n = size - off;
		/* Exactly the record's bytes, as dns_rr_fill copies them. */
		rrs[i].data = n > 0 ? malloc(n) : NULL;
		if (n > 0)
			memcpy(rrs[i].data, data + off, n);
		rrs[i].datalen = n;
		off += n;
		rrs[i].check = dane_rr_check(rrs[i].usage, rrs[i].selector,
		    rrs[i].mtype, rrs[i].data, rrs[i].datalen, &rrs[i].form);
		if (rrs[i].check == DANE_RR_USABLE)
			h.nusable++;
		else if (rrs[i].form != 0)
			abort(); /* advice only for usable records */
		if (dane_rr_check_name(rrs[i].check) == NULL)
			abort();
	}
	h.nrrs = i;
	n = fuzz_der_split(der, data + off, size - off);
	c = certinfo_chain_new(der, n, FUZZ_NOW, &cause);
	dane_match_chain(&m, &h, "example.com", secure, c, FUZZ_NOW);
	if ((h.nusable == 0 && m.status != DANE_MATCH_NONE) ||
	    (m.status == DANE_MATCH_OK &&
		(m.rr < 0 || (size_t)m.rr >= h.nrrs ||
		    rrs[m.rr].check != DANE_RR_USABLE)))
		abort();
	dane_match_clear(&m);
	certinfo_chain_free(c);
	free(cause);
	for (i = 0; i < h.nrrs; i++)
		free(rrs[i].data);
	return 0;
}
