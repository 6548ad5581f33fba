/*
 * metrics: a scan's results as a Prometheus textfile (the text exposition
 * format node_exporter's textfile collector reads; doc/monitoring.md).
 *
 * Fed check documents (`check --json`, a scan line, a resumed file's
 * lines), it keeps a few values per domain (never the document) and
 * renders gauges whose labels are bounded: domain, MX host, layer id and
 * the fixed state names; never finding text.  metrics_write() replaces the
 * file atomically (temporary file in the same directory, fsync, rename).
 *
 * Not thread-safe: one thread per struct metrics.
 */
#ifndef MTASTS_METRICS_H
#define MTASTS_METRICS_H

#include <jansson.h>
#include <stddef.h>

#define METRICS_MX_MAX	  32 /* MX hosts per domain with a series */
#define METRICS_LAYER_MAX 16 /* layers per domain */

/* The run as a whole (scan_progress and the clock). */
struct metrics_scan {
	long long started;  /* epoch seconds */
	long long finished; /* epoch seconds */
	size_t	  to_check; /* domains this run was to check */
	size_t	  checked;  /* documents this run wrote */
	size_t	  errors;   /* of those, exit status 2 or 3 */
	size_t	  resumed;  /* documents taken from --resume FILE */
};

struct metrics *metrics_new(void);
void		metrics_free(struct metrics *);
/* Adds one check document (borrowed); a later one for the same domain
 * replaces an earlier one.  Returns -1 when doc is no check document. */
int metrics_add(struct metrics *, const json_t *doc);
/* Domains held (after replacement). */
size_t metrics_count(struct metrics *);

/* The exposition text (the caller frees it). */
char *metrics_render(struct metrics *, const struct metrics_scan *,
    size_t *len);

/* Writes buf to path atomically; -1 with *cause (malloc'd) on failure,
 * leaving any previous file as it was. */
int metrics_write(const char *path, const char *buf, size_t len, char **cause);

/* Appends s as a label value, escaped as the format says. */
struct strbuf;
void metrics_escape(struct strbuf *, const char *s);

#endif
