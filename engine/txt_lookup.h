/*
 * txt_lookup: the one TXT question of the _mta-sts and _smtp._tls layers:
 * the query inside the layer's deadline, the finding for a lookup that
 * gave nothing to parse, and the answer in the parsers' borrowed form
 * (txt_record.h).
 */
#ifndef MTASTS_TXT_LOOKUP_H
#define MTASTS_TXT_LOOKUP_H

#include "finding.h"

struct dns_answer;
struct layer_job;
struct txt_rr;
struct txt_string;

/* The answer for name, bounded by job->deadline (caller frees). */
struct dns_answer *txt_lookup_query(const struct layer_job *, const char *name);
/* Adds code to fl and returns 1 when the lookup failed (not NODATA). */
int txt_lookup_failed(const struct dns_answer *, enum finding_code code,
    struct finding_list *fl);
/*
 * The RRs of a (nrr of them) borrowing its strings; *strs holds them.
 * The caller frees both arrays, not the strings.
 */
struct txt_rr *txt_lookup_rrs(const struct dns_answer *,
    struct txt_string **strs);

/* A layer's record parser (sts_record_select, tlsrpt_record_select). */
typedef void *txt_lookup_select_fn(const struct txt_rr *, size_t nrr,
    const char *name, struct finding_list *);
/*
 * The record select() picks from a's RRs, its findings in fl; NULL (and
 * dns_error added) when the lookup failed.
 */
void *txt_lookup_select(const struct dns_answer *a, enum finding_code dns_error,
    const char *name, txt_lookup_select_fn *select, struct finding_list *fl);

#endif
