/*
 * check_json: a check rebuilt from one stored `check --json` document (a
 * line of a scan), so the screen can show a scan's result without the
 * network.  The document is hostile (anyone may have written the file):
 * it is bounded, every member's type is checked, unknown members are
 * ignored, and nothing in it can crash the reader.
 *
 * The check is finished and read-only: its layers' statuses, timings,
 * skip reasons and findings are the document's (each finding rebuilt from
 * its code through the finding table; a code this build does not know is
 * kept as a summary line), its summary lines the stored ones (the layer's
 * "summary" member), and each layer's data is what its class's load op
 * (layer.h) can rebuild from the layer's "data".  It never starts; free it
 * with check_free().  Client thread only, like every check.
 */
#ifndef MTASTS_CHECK_JSON_H
#define MTASTS_CHECK_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "check.h"

/* The largest document read: a scan line's bound (jsonl.h). */
#define CHECK_JSON_MAX (16u * 1024 * 1024)

/*
 * Returns the finished check, or NULL with *why set (caller frees) when
 * doc is no check document of this build's version.
 */
struct check *check_from_json(const char *doc, size_t len, char **why);
/* 1 for a check made by check_from_json(). */
int check_is_snapshot(const struct check *);
/*
 * 1 when the snapshot rebuilt the layer's data (its class has a load op
 * and the document held enough), so its detail views have it.
 */
int check_json_kept(const struct check *, enum check_layer);
/*
 * The layer's object in the document, indented, for the raw view; NULL
 * when the document had none.  Owned by the check.
 */
const char *check_json_layer_text(const struct check *, enum check_layer);

/*
 * The layer's stored "data" object, for saving a snapshot again as it was
 * read (report_json.c); NULL when none.  Owned by the check.
 */
const json_t *check_json_layer_data(const struct check *, enum check_layer);

/* For summary.c: the stored lines of a snapshot's layer. */
struct summary;
void check_json_summary(struct summary *, const struct check *,
    enum check_layer, int ascii);

/*
 * For the layers' load ops: members read with their type checked.  A
 * missing member or one of another type gives NULL, 0 or dflt.
 */
const char *check_json_str(const json_t *, const char *key);
/* A copy of a string member, or NULL. */
char *check_json_strdup(const json_t *, const char *key);
/* An integer member inside [min, max], else dflt. */
long long check_json_int(const json_t *, const char *key, long long min,
    long long max, long long dflt);
int	  check_json_bool(const json_t *, const char *key);
/* An array or object member, or NULL. */
const json_t *check_json_array(const json_t *, const char *key);
const json_t *check_json_object(const json_t *, const char *key);
/* The number of elements of an array to read: at most max. */
size_t check_json_count(const json_t *array, size_t max);
/* The strings of an array member (others skipped), at most max; *n set. */
char **check_json_strings(const json_t *, const char *key, size_t max,
    size_t *n);
/* "2026-01-02T03:04:05Z" to a time; 0 when it is not one. */
time_t check_json_time(const json_t *, const char *key);
/*
 * A stored TXT answer (report_json_answer: "query" and "txt" of o) back
 * into a dns_answer (freed with dns_answer_free), or NULL when o has none.
 */
struct dns_answer;
struct dns_answer *check_json_answer(const json_t *o);
/*
 * A stored chain (report_json_chain) back into *chain and *verify (each
 * freed by its certinfo _free); 0, or -1 when o holds no certificate.
 */
struct certinfo_chain;
struct certinfo_verify;
int check_json_chain(const json_t *o, struct certinfo_chain **chain,
    struct certinfo_verify **verify);

#endif
