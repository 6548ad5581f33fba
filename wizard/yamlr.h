/*
 * yamlr: reads one YAML document through libyaml's parser into a node tree
 * and looks values up in it.
 *
 * Nodes are small integers (libyaml's node ids); 0 means "absent".  All
 * returned strings belong to the document and live until yamlr_free().
 */
#ifndef MTASTS_WIZARD_YAMLR_H
#define MTASTS_WIZARD_YAMLR_H

#include <stddef.h>

struct yamlr;

/*
 * Bounds checked before the document is built: ours are a few levels
 * deep and a few kilobytes long.
 */
#define YAMLR_MAX_BYTES (1024 * 1024)
#define YAMLR_MAX_DEPTH 32
#define YAMLR_MAX_NODES 100000

/*
 * Parses buf.  Returns the document, or NULL with *cause set (caller
 * frees) to "line N, column M: problem" (deeper than YAMLR_MAX_DEPTH or
 * more than YAMLR_MAX_NODES values included), "empty document", or a
 * size above YAMLR_MAX_BYTES.
 */
struct yamlr *yamlr_load(const char *buf, size_t len, char **cause);
void	      yamlr_free(struct yamlr *);
int	      yamlr_root(const struct yamlr *);
int	      yamlr_is_map(const struct yamlr *, int);
int	      yamlr_is_seq(const struct yamlr *, int);
/* The value node for key in mapping node map, or 0. */
int yamlr_get(const struct yamlr *, int map, const char *key);
/* A scalar's text, or NULL if node is not a scalar. */
const char *yamlr_str(const struct yamlr *, int node);
/* As yamlr_get then yamlr_str. */
const char *yamlr_get_str(const struct yamlr *, int map, const char *key);
/* Returns 0 and sets *v if the scalar is a decimal integer, else -1. */
int    yamlr_int(const struct yamlr *, int node, long long *v);
size_t yamlr_len(const struct yamlr *, int seq);
int    yamlr_item(const struct yamlr *, int seq, size_t i);

#endif
