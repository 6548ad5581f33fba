/*
 * jsonl: reads JSON Lines as `scan` writes them, one hostile line at a
 * time: a line over the cap, a line that is not a JSON object and a last
 * line without its newline (a killed run) are noted and skipped; the run's
 * metadata lines ({"mtasts_scan": ...}, {"mtasts_scan_end": ...}) are
 * skipped silently.  Memory is bounded by the cap: a longer line is read
 * through and thrown away, never held.
 *
 * A reader borrows its FILE (the caller closes it).  One thread per reader.
 */
#ifndef MTASTS_JSONL_H
#define MTASTS_JSONL_H

#include <jansson.h>
#include <stdio.h>

#define JSONL_MAX_LINE (16u * 1024 * 1024) /* a check document is ~30 KiB */

typedef void jsonl_note_fn(void *arg, const char *text);

/* name is used in notes ("name:line: ..."); note may be NULL. */
struct jsonl *jsonl_new(FILE *, const char *name, size_t max_line,
    jsonl_note_fn *note, void *arg);
void	      jsonl_free(struct jsonl *);

/*
 * The next document: 1 with *doc (the caller's, json_decref()) and *line
 * (1-based), 0 at the end, -1 on a read error (noted).
 */
int jsonl_next(struct jsonl *, json_t **doc, unsigned long *line);

/*
 * Where the document jsonl_next() returned last starts in the file (bytes
 * read through this reader, from where the FILE stood at jsonl_new()) and
 * its length without the newline: to read it again later.
 */
long long jsonl_offset(const struct jsonl *);
size_t	  jsonl_length(const struct jsonl *);

/* Lines skipped so far (over the cap, malformed, truncated last line). */
unsigned long jsonl_skipped(const struct jsonl *);

#endif
