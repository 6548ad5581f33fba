/*
 * layer_mx_tls: how the STARTTLS layer is shown (its class is in layer.h).
 */
#ifndef MTASTS_LAYER_MX_TLS_H
#define MTASTS_LAYER_MX_TLS_H

struct mx_tls_result;
struct mx_tls_host;
struct mx_tls_addr;

/*
 * One line for host h (and address a, or all of a skipped host when a is
 * NULL): "mx1.example.test 127.0.2.1: STARTTLS, TLS1.3, cert valid 89
 * days".  Caller frees.
 */
char *mx_tls_summary(const struct mx_tls_result *, const struct mx_tls_host *h,
    const struct mx_tls_addr *a);

#endif
