/*
 * report_json: the --json document for a finished check (doc/json-output.md
 * describes it; bump REPORT_JSON_VERSION on incompatible changes).  Shared
 * by `check --json`, the TUI's save key and `lint --json`.
 */
#ifndef MTASTS_REPORT_JSON_H
#define MTASTS_REPORT_JSON_H

#include <stddef.h>
#include <time.h>

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
/*
 * The same document on one line, without a final newline (JSON Lines:
 * `mtasts-tui scan`).
 */
char *report_json_compact(const struct check *, const char *domain_unicode,
    const char *tool_version, size_t *len);

/* Pieces, for other documents (lint, the SMTP probe). */
void report_json_findings(struct jsonw *, const char *key,
    const struct finding_list *, const char	     *layer);
/* The same as members of an array the caller opened. */
void report_json_finding_items(struct jsonw *, const struct finding_list *,
    const char *layer);
void report_json_chain(struct jsonw *, const char *key,
    const struct certinfo_chain *, const struct certinfo_verify *);
struct dns_answer;
struct provider_result;
struct provider_delegation;
/* "query" (and "txt" for TXT) members for a DNS answer. */
void report_json_answer(struct jsonw *, const struct dns_answer *);
/* "delegation": who hosts a name, or null when it is not delegated. */
void report_json_delegation(struct jsonw *, const struct provider_result *,
    const struct provider_delegation *);
/* An array of strings, and a time as RFC 3339 UTC (null for 0). */
void report_json_strings(struct jsonw *, const char *key, char *const *v,
    size_t n);
void report_json_time(struct jsonw *, const char *key, time_t);
/* What report_json_time() wrote, back to seconds; -1 for NULL or other text. */
time_t report_json_time_parse(const char *);
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
