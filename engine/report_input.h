/*
 * report_input: finds TLS-RPT reports in files and directories and parses
 * each with tlsrpt_report (RFC 8460 section 5; rules RPT-DEL-1..7).
 *
 * What a file is comes from its bytes, never its name: gzip by the magic
 * bytes 1f 8b, JSON by a leading '{', an mbox by a leading "From ", an
 * e-mail message (.eml, a Maildir file) by a leading header field.  In a
 * message, a MIME walk finds the application/tlsrpt+json and
 * application/tlsrpt+gzip parts (and, leniently, application/tlsrpt and
 * parts named *.json or *.json.gz) and undoes base64 or quoted-printable.
 * A directory is read recursively (at most REPORT_INPUT_MAX_DIR_DEPTH
 * levels and REPORT_INPUT_MAX_ENTRIES names, names starting with '.'
 * skipped, entries in name order), so a Maildir is simply its cur/ and
 * new/ files.  Each directory is read once, by (st_dev, st_ino), however
 * many symbolic links lead to it (a -> . loops); a link that leads out of
 * the directory given is not followed.  The reports parsed in one set
 * total at most REPORT_INPUT_MAX_TOTAL bytes.
 *
 * Every step is bounded: a file is refused above REPORT_INPUT_MAX_FILE
 * bytes without being read, gzip output stops at TLSRPT_REPORT_MAX_BYTES
 * (a decompression bomb costs at most that much memory and the time to
 * inflate it), MIME nesting, parts and mbox messages are capped.  One bad
 * file never stops the others: each problem becomes an item with no report
 * and an error finding.
 *
 * Call order: report_input_new(), report_input_add_path() (or
 * report_input_add_buffer()) as often as needed, then read the items; the
 * set owns every item and frees them in report_input_free().
 */
#ifndef MTASTS_REPORT_INPUT_H
#define MTASTS_REPORT_INPUT_H

#include <stddef.h>

struct finding_list;
struct tlsrpt_report;

#define REPORT_INPUT_MAX_FILE	   (64 * 1024 * 1024)
#define REPORT_INPUT_MAX_FILES	   100000 /* per add_path */
#define REPORT_INPUT_MAX_DIR_DEPTH 6
#define REPORT_INPUT_MAX_ENTRIES   200000 /* names read, per add_path */
/* Report documents parsed in one set, summed (decompressed JSON). */
#define REPORT_INPUT_MAX_TOTAL	    (128 * 1024 * 1024)
#define REPORT_INPUT_MAX_MIME_DEPTH 8
#define REPORT_INPUT_MAX_PARTS	    256		 /* per message */
#define REPORT_INPUT_MAX_MESSAGES   100000	 /* per mbox */
#define REPORT_INPUT_MAX_HEADER	    (256 * 1024) /* header block */

/*
 * One report found, or one input that gave none.  Read-only for callers.
 * findings holds this item's problems (file errors and what the parser
 * said); it is never NULL.
 */
struct report_input_item {
	char		     *source; /* "FILE", "FILE: message 3" */
	struct tlsrpt_report *report; /* NULL: nothing readable */
	struct finding_list  *findings;
	char		     *header_domain; /* TLS-Report-Domain or NULL */
	char		     *header_submitter;
};

struct report_input;

struct report_input *report_input_new(void);
void		     report_input_free(struct report_input *);
/* Reads a file or a directory tree; problems become items. */
void report_input_add_path(struct report_input *, const char *path);
/*
 * Reads bytes already in memory as if they were a file named source (for
 * tests, fuzzing and stdin).  The bytes are borrowed for the call.
 */
void report_input_add_buffer(struct report_input *, const void *buf, size_t len,
    const char *source);
size_t				report_input_count(const struct report_input *);
const struct report_input_item *report_input_get(const struct report_input *,
    size_t);
/* Items that carry a report, and items that do not. */
size_t report_input_nreports(const struct report_input *);
size_t report_input_nunreadable(const struct report_input *);

/*
 * Decompresses a gzip stream (several members allowed) into a new buffer
 * of at most max bytes, which the caller frees.  Returns NULL and sets
 * *cause (caller frees) when the data is corrupt, truncated or would grow
 * past max; *toobig tells the last case apart.
 */
char *report_input_gunzip(const void *buf, size_t len, size_t max,
    size_t *outlen, int *toobig, char **cause);

#endif
