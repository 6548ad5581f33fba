/*
 * libFuzzer target: a DNS reply in wire format, as the resolver sends it,
 * read by dns_answer_take() and dns_rr_fill() (engine/dns.c).  The question
 * gives qname and qtype, as it does for dns_query(); every name that comes
 * out must be printable (it reaches screens), every count within its cap.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "dns.h"
#include "dns_internal.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_printable(const char *s)
{
	const unsigned char *p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7f)
			abort();
}

static void
fuzz_check(const struct dns_answer *a)
{
	size_t i, j;

	if (a->nrr > 256 || a->ncname > 16)
		abort();
	if (a->status == DNS_OK && a->nrr == 0)
		abort();
	for (i = 0; i < a->ncname; i++)
		fuzz_printable(a->cname[i]);
	for (i = 0; i < a->nrr; i++) {
		if (a->rr[i].type != a->qtype)
			abort();
		fuzz_printable(a->rr[i].name);
		for (j = 0; j < a->rr[i].nstr; j++)
			if (a->rr[i].str[j].len > 255 ||
			    a->rr[i].str[j].data[a->rr[i].str[j].len] != '\0')
				abort();
	}
	fuzz_printable(a->error);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = { DNS_TYPE_TXT, DNS_TYPE_MX, DNS_TYPE_A,
		DNS_TYPE_AAAA, DNS_TYPE_TLSA, DNS_TYPE_CNAME };
	struct dns_answer    *a;
	ldns_pkt	     *pkt = NULL;
	ldns_rr		     *q;
	char		     *name;
	size_t		      len;

	if (ldns_wire2pkt(&pkt, data, size) != LDNS_STATUS_OK)
		return 0;
	a = xcalloc(1, sizeof(*a));
	q = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	if (q != NULL && (name = ldns_rdf2str(ldns_rr_owner(q))) != NULL) {
		len = strlen(name);
		if (len > 0 && name[len - 1] == '.')
			name[len - 1] = '\0';
		a->qname = xstrdup(name);
		free(name);
		a->qtype = ldns_rr_get_type(q);
	} else {
		a->qname = xstrdup("_mta-sts.example.com");
		a->qtype = types[size % (sizeof(types) / sizeof(types[0]))];
	}
	a->rcode = ldns_pkt_get_rcode(pkt);
	a->ad = ldns_pkt_ad(pkt);
	dns_answer_take(a, pkt);
	fuzz_check(a);
	dns_answer_free(a);
	ldns_pkt_free(pkt);
	return 0;
}
