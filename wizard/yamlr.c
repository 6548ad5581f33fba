#include "config.h"
#include "yamlr.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "xmalloc.h"

#define STR(x)	#x
#define XSTR(x) STR(x)

struct yamlr {
	yaml_document_t doc;
};

static yaml_node_t *yamlr_node(const struct yamlr *, int);
static int	    yamlr_bounds(const char *, size_t, char **);

/*
 * Walks the events once, counting nesting and nodes, and stops at the
 * first one past a bound, before the loader builds anything: libyaml
 * takes time quadratic in the nesting depth (a 200 KB file of '[' took
 * 55 s), so a deep document must be refused as its depth grows.
 */
static int
yamlr_bounds(const char *buf, size_t len, char **cause)
{
	yaml_parser_t parser;
	yaml_event_t  ev;
	size_t	      depth = 0, nodes = 0;
	int	      rc = -1, done = 0;

	if (!yaml_parser_initialize(&parser)) {
		*cause = xstrdup("cannot initialise the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			/* The loader says the same, with its own words. */
			rc = 0;
			break;
		}
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			/* FALLTHROUGH */
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			nodes++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			rc = 0;
			break;
		default:
			break;
		}
		if (depth > YAMLR_MAX_DEPTH || nodes > YAMLR_MAX_NODES) {
			*cause = xasprintf("line %lu, column %lu: %s",
			    (unsigned long)ev.start_mark.line + 1,
			    (unsigned long)ev.start_mark.column + 1,
			    depth > YAMLR_MAX_DEPTH
				? "nested more than " XSTR(
				      YAMLR_MAX_DEPTH) " levels deep"
				: "more than " XSTR(YAMLR_MAX_NODES) " values");
			yaml_event_delete(&ev);
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

struct yamlr *
yamlr_load(const char *buf, size_t len, char **cause)
{
	yaml_parser_t parser;
	struct yamlr *r;

	*cause = NULL;
	if (len > YAMLR_MAX_BYTES) {
		*cause = xasprintf("%zu bytes, more than the %d read", len,
		    YAMLR_MAX_BYTES);
		return NULL;
	}
	if (yamlr_bounds(buf, len, cause) != 0)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	if (!yaml_parser_initialize(&parser)) {
		*cause = xstrdup("cannot initialise the YAML parser");
		free(r);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &r->doc)) {
		*cause = xasprintf("line %lu, column %lu: %s",
		    (unsigned long)parser.problem_mark.line + 1,
		    (unsigned long)parser.problem_mark.column + 1,
		    parser.problem != NULL ? parser.problem : "parse error");
		yaml_parser_delete(&parser);
		free(r);
		return NULL;
	}
	yaml_parser_delete(&parser);
	if (yaml_document_get_root_node(&r->doc) == NULL) {
		*cause = xstrdup("empty document");
		yaml_document_delete(&r->doc);
		free(r);
		return NULL;
	}
	return r;
}

void
yamlr_free(struct yamlr *r)
{
	if (r == NULL)
		return;
	yaml_document_delete(&r->doc);
	free(r);
}

static yaml_node_t *
yamlr_node(const struct yamlr *r, int id)
{
	if (id <= 0)
		return NULL;
	/* libyaml's accessor takes a non-const document but does not write. */
	return yaml_document_get_node((yaml_document_t *)(uintptr_t)&r->doc,
	    id);
}

int
yamlr_root(const struct yamlr *r)
{
	(void)r;
	return 1; /* libyaml numbers the root node 1 */
}

int
yamlr_is_map(const struct yamlr *r, int id)
{
	yaml_node_t *n = yamlr_node(r, id);

	return n != NULL && n->type == YAML_MAPPING_NODE;
}

int
yamlr_is_seq(const struct yamlr *r, int id)
{
	yaml_node_t *n = yamlr_node(r, id);

	return n != NULL && n->type == YAML_SEQUENCE_NODE;
}

const char *
yamlr_str(const struct yamlr *r, int id)
{
	yaml_node_t *n = yamlr_node(r, id);

	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

int
yamlr_get(const struct yamlr *r, int map, const char *key)
{
	yaml_node_t	 *n = yamlr_node(r, map);
	yaml_node_pair_t *p;
	const char	 *k;

	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return 0;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		k = yamlr_str(r, p->key);
		if (k != NULL && strcmp(k, key) == 0)
			return p->value;
	}
	return 0;
}

const char *
yamlr_get_str(const struct yamlr *r, int map, const char *key)
{
	return yamlr_str(r, yamlr_get(r, map, key));
}

int
yamlr_int(const struct yamlr *r, int id, long long *v)
{
	const char *s = yamlr_str(r, id);
	char	   *end;

	if (s == NULL || *s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return 0;
}

size_t
yamlr_len(const struct yamlr *r, int seq)
{
	yaml_node_t *n = yamlr_node(r, seq);

	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return 0;
	return (
	    size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

int
yamlr_item(const struct yamlr *r, int seq, size_t i)
{
	if (i >= yamlr_len(r, seq))
		return 0;
	return yamlr_node(r, seq)->data.sequence.items.start[i];
}
