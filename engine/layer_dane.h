/*
 * layer_dane: how the DANE layer is shown (its class is in layer.h).
 */
#ifndef MTASTS_LAYER_DANE_H
#define MTASTS_LAYER_DANE_H

struct dane_result;
struct dane_host;
struct jsonw;
struct mx_tls_addr;
struct mx_tls_result;

/*
 * One line for host h, and with a (and its mx_tls host th) the match on
 * that address: "mx1.example.test: TLSA secure, 2 records, 2 usable" or
 * "mx1.example.test 127.0.2.1: DANE match 3 1 1".  Caller frees.
 */
char *dane_summary(const struct dane_result *, const struct dane_host *h,
    const struct mx_tls_addr *a);

/*
 * JSON members for the dane layer's data object: mx_secure and the hosts
 * with their records and checks.  report_json_dane_matches() adds an
 * "addresses" array with the match per served chain (tls may be NULL).
 */
void report_json_dane(struct jsonw *, const struct dane_result *);
void report_json_dane_matches(struct jsonw *, const struct dane_result *,
    const struct mx_tls_result *tls);

#endif
