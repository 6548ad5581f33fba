/*
 * dns_internal: the parts of dns.c other engine modules build on -- how a
 * reply is read (also for the fuzzer, tests/fuzz/dns-fuzzer.c) and one
 * exchange with one given server (auth_ns.c asks each name server of a
 * zone directly) -- not for clients.
 */
#ifndef MTASTS_DNS_INTERNAL_H
#define MTASTS_DNS_INTERNAL_H

#include <sys/socket.h>

#include <stdint.h>

#include <ldns/ldns.h>

#include "dns.h"

/*
 * Fills a (qname, qtype and rcode already set) from the answer section of
 * pkt: follows the CNAME chain from qname, keeps the records of qtype at
 * its end and sets the status from the rcode.  pkt stays the caller's.
 */
void dns_answer_take(struct dns_answer *a, ldns_pkt *pkt);

/* Presentation form without the root dot; the root itself is "". */
char *dns_name_str(const ldns_rdf *);

/*
 * One question (wire, with id) to one server: UDP, sent again half-way to
 * the deadline, then TCP when the reply is truncated; every wait ends at
 * the absolute deadline (clock_ms()).  The reply (the caller frees it), or
 * NULL with *error set when error is not NULL.
 */
/*
 * The TCP half alone, for a caller that needs the reply's bytes (a TSIG
 * check, dns_update.c): every wait ends at the deadline; the bytes
 * (*rlen; caller frees), or NULL with *error set (caller frees).
 */
uint8_t	 *dns_tcp_wire(const struct sockaddr_storage *, socklen_t,
     const uint8_t *wire, size_t wlen, int64_t deadline, size_t *rlen,
     char **error);
ldns_pkt *dns_exchange(const struct sockaddr_storage *, socklen_t,
    const uint8_t *wire, size_t wlen, uint16_t id, int64_t deadline,
    char **error);

#endif
