/*
 * dns_internal: the part of dns.c that reads a reply, for the fuzzer
 * (tests/fuzz/dns-fuzzer.c) and tests; not for clients.
 */
#ifndef MTASTS_DNS_INTERNAL_H
#define MTASTS_DNS_INTERNAL_H

#include <ldns/ldns.h>

#include "dns.h"

/*
 * Fills a (qname, qtype and rcode already set) from the answer section of
 * pkt: follows the CNAME chain from qname, keeps the records of qtype at
 * its end and sets the status from the rcode.  pkt stays the caller's.
 */
void dns_answer_take(struct dns_answer *a, ldns_pkt *pkt);

#endif
