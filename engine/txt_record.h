/*
 * txt_record: what the _mta-sts and _smtp._tls records have in common.
 * Both are chosen from a TXT RRset by a case-sensitive version prefix
 * ("v=STSv1;", "v=TLSRPTv1;"), and a record that misses it deserves the
 * same explanation.  Used by sts_record and tlsrpt_record.
 */
#ifndef MTASTS_TXT_RECORD_H
#define MTASTS_TXT_RECORD_H

#include <stddef.h>

#include "finding.h"

enum txt_record_kind {
	TXT_RECORD_OTHER = 0, /* unrelated: discarded quietly */
	TXT_RECORD_NEAR,      /* looks like a broken record of this kind */
	TXT_RECORD_CANDIDATE, /* starts with exactly VERSION ";" */
	TXT_RECORD_SPACED     /* VERSION " ;" (erratum 6285) */
};

/* version is the field without ";", e.g. "v=STSv1". */
enum txt_record_kind txt_record_classify(const char *s, size_t len,
    const char *version);
/*
 * Adds one finding (code) explaining why s does not begin with version;
 * what names the kind of record for the last case (e.g. "a TLS-RPT
 * record"), or NULL.
 */
void txt_record_bad_start(const char *s, size_t len, const char *version,
    const char *what, enum finding_code code, const char *subject,
    struct finding_list *fl);
/* "byte 0x.. (not US-ASCII)", "control byte 0x..", "'c'" (caller frees). */
char *txt_record_describe_byte(unsigned char c);

#endif
