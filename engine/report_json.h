/*
 * report_json: the --json document for a finished check (doc/json-output.md
 * describes it; bump REPORT_JSON_VERSION on incompatible changes).  Shared
 * by `check --json`, the TUI's save key and `lint --json`.
 */
#ifndef MTASTS_REPORT_JSON_H
#define MTASTS_REPORT_JSON_H

#include <stddef.h>

#define REPORT_JSON_VERSION 2

struct check;
struct jsonw;
struct certinfo_chain;
struct certinfo_verify;
struct finding_list;

/*
 * The whole report; domain_unicode is the U-label form or NULL.  Returns
 * a NUL-terminated document the caller frees.
 */
char *report_json(const struct check *, const char *domain_unicode,
    const char *tool_version, size_t *len);

/* Pieces, for other documents (lint, the SMTP probe). */
void report_json_findings(struct jsonw *, const char *key,
    const struct finding_list *, const char	     *layer);
/* The same as members of an array the caller opened. */
void report_json_finding_items(struct jsonw *, const struct finding_list *,
    const char *layer);
void report_json_chain(struct jsonw *, const char *key,
    const struct certinfo_chain *, const struct certinfo_verify *);
struct sts_record;
struct policy;
struct mx_set;
struct tlsrpt_record;
struct mx_tls_result;
void report_json_mx_tls(struct jsonw *, const struct mx_tls_result *);
/* The "record" member for a TXT record (null when r is NULL). */
void report_json_sts(struct jsonw *, const struct sts_record *);
void report_json_tlsrpt(struct jsonw *, const struct tlsrpt_record *);
/* Members of a layer's data object. */
void report_json_policy(struct jsonw *, const struct policy *);
void report_json_mx(struct jsonw *, const struct mx_set *,
    const struct policy *);

#endif
