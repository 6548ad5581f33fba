/*
 * yamlw: writes one YAML document through libyaml's emitter into memory.
 *
 * Call order: yamlw_new(), then nested map/seq begin/end calls and scalars,
 * then yamlw_finish().  key is the mapping key for a value inside a
 * mapping and NULL inside a sequence or for the top-level node.  Strings
 * that a YAML reader would take for something else (numbers, dates,
 * booleans, null) are written quoted, so every string reads back as one.
 */
#ifndef MTASTS_WIZARD_YAMLW_H
#define MTASTS_WIZARD_YAMLW_H

#include <stddef.h>

struct yamlw;

struct yamlw *yamlw_new(void);
void	      yamlw_map_begin(struct yamlw *, const char *key);
void	      yamlw_map_end(struct yamlw *);
/* flow: 1 writes [a, b] on one line. */
void yamlw_seq_begin(struct yamlw *, const char *key, int flow);
void yamlw_seq_end(struct yamlw *);
void yamlw_str(struct yamlw *, const char *key, const char *);
void yamlw_int(struct yamlw *, const char *key, long long);
void yamlw_bool(struct yamlw *, const char *key, int);
/* A comment line before the document ("# ..."), before anything else. */
void yamlw_comment(struct yamlw *, const char *);
/*
 * Ends the document and frees the writer.  Returns the text (caller
 * frees), or NULL with *cause set (caller frees) if libyaml failed.
 */
char *yamlw_finish(struct yamlw *, size_t *len, char **cause);

#endif
