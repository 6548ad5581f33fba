/*
 * libFuzzer target: a name server's reply in wire format, read by
 * auth_ns_read() (the answer kept for comparing: the records of the asked
 * type at the name, or its CNAME, sorted, as presentation text) and by
 * auth_ns_read_soa() (lame or not, and the serial).  The question gives
 * qname and qtype.  Every record kept must be printable (it reaches
 * screens and findings), within AUTH_MAX_RR, and sorted.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "auth_compare.h"
#include "auth_ns.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_printable(const char *s)
{
	const unsigned char *p;

	if (s == NULL)
		abort();
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = { DNS_TYPE_TXT, DNS_TYPE_MX, DNS_TYPE_A,
		DNS_TYPE_AAAA, DNS_TYPE_CNAME };
	struct auth_rrset     a;
	struct auth_server    s;
	ldns_pkt	     *pkt = NULL;
	ldns_rr		     *q;
	char		     *name = NULL, *text;
	uint16_t	      type;
	size_t		      i, len;

	if (ldns_wire2pkt(&pkt, data, size) != LDNS_STATUS_OK)
		return 0;
	q = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	type = types[size % (sizeof(types) / sizeof(types[0]))];
	if (q != NULL && (name = ldns_rdf2str(ldns_rr_owner(q))) != NULL) {
		len = strlen(name);
		if (len > 0 && name[len - 1] == '.')
			name[len - 1] = '\0';
		type = ldns_rr_get_type(q);
	}
	ldns_pkt_free(pkt);

	memset(&a, 0, sizeof(a));
	if (auth_ns_read(&a, data, size,
		name != NULL ? name : "_mta-sts.example.com", type) != 0)
		abort(); /* it parsed above */
	if (a.n > AUTH_MAX_RR || (a.status == DNS_OK && a.n == 0))
		abort();
	for (i = 0; i < a.n; i++) {
		fuzz_printable(a.rr[i]);
		if (i > 0 && strcmp(a.rr[i - 1], a.rr[i]) > 0)
			abort();
	}
	text = auth_rrset_text(&a);
	fuzz_printable(text);
	free(text);
	auth_rrset_clear(&a);

	memset(&s, 0, sizeof(s));
	if (auth_ns_read_soa(&s, data, size) != 0)
		abort();
	if ((s.state == AUTH_SERVER_OK) != (s.why == NULL) ||
	    (s.has_serial && s.state != AUTH_SERVER_OK))
		abort();
	free(s.why);
	free(name);
	return 0;
}
