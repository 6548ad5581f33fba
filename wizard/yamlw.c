#include "config.h"
#include "yamlw.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "strbuf.h"
#include "xmalloc.h"

#define YAMLW_MAX (4 * 1024 * 1024)

struct yamlw {
	yaml_emitter_t emitter;
	struct strbuf  out;
	struct strbuf  head; /* comment lines */
	int	       started;
	int	       failed;
};

static int  yamlw_write(void *, unsigned char *, size_t);
static void yamlw_start(struct yamlw *);
static void yamlw_emit(struct yamlw *, yaml_event_t *);
static void yamlw_key(struct yamlw *, const char *);
static void yamlw_scalar(struct yamlw *, const char *, int);
static int  yamlw_special(const char *);

static int
yamlw_write(void *arg, unsigned char *buf, size_t len)
{
	struct yamlw *w = arg;

	return strbuf_add(&w->out, buf, len) == 0;
}

struct yamlw *
yamlw_new(void)
{
	struct yamlw *w;

	w = xcalloc(1, sizeof(*w));
	strbuf_init(&w->out, YAMLW_MAX);
	strbuf_init(&w->head, YAMLW_MAX);
	if (!yaml_emitter_initialize(&w->emitter)) {
		w->failed = 1;
		return w;
	}
	yaml_emitter_set_output(&w->emitter, yamlw_write, w);
	yaml_emitter_set_unicode(&w->emitter, 1);
	yaml_emitter_set_width(&w->emitter, 76);
	yaml_emitter_set_indent(&w->emitter, 2);
	yaml_emitter_set_break(&w->emitter, YAML_LN_BREAK);
	return w;
}

static void
yamlw_emit(struct yamlw *w, yaml_event_t *ev)
{
	if (w->failed) {
		yaml_event_delete(ev);
		return;
	}
	if (!yaml_emitter_emit(&w->emitter, ev))
		w->failed = 1;
}

void
yamlw_comment(struct yamlw *w, const char *text)
{
	strbuf_addf(&w->head, "# %s\n", text);
}

static void
yamlw_start(struct yamlw *w)
{
	yaml_event_t ev;

	if (w->started)
		return;
	w->started = 1;
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	yamlw_emit(w, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	yamlw_emit(w, &ev);
}

/*
 * Plain scalars that YAML 1.1 or 1.2 readers resolve to another type:
 * numbers, dates, booleans, null.  Those are quoted.
 */
static int
yamlw_special(const char *s)
{
	static const char *words[] = { "y", "n", "yes", "no", "true", "false",
		"on", "off", "null", "~", ".nan", ".inf", "-.inf", "+.inf" };
	size_t		   i;

	if (*s == '\0')
		return 1;
	if (isdigit((unsigned char)*s) || *s == '-' || *s == '+' || *s == '.')
		return 1;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return 1;
	return 0;
}

static void
yamlw_scalar(struct yamlw *w, const char *s, int plain_ok)
{
	yaml_event_t ev;

	yamlw_start(w);
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
		(yaml_char_t *)(uintptr_t)s, (int)strlen(s), plain_ok, 1,
		plain_ok ? YAML_ANY_SCALAR_STYLE
			 : YAML_DOUBLE_QUOTED_SCALAR_STYLE)) {
		w->failed = 1;
		return;
	}
	yamlw_emit(w, &ev);
}

static void
yamlw_key(struct yamlw *w, const char *key)
{
	if (key != NULL)
		yamlw_scalar(w, key, !yamlw_special(key));
}

void
yamlw_map_begin(struct yamlw *w, const char *key)
{
	yaml_event_t ev;

	yamlw_start(w);
	yamlw_key(w, key);
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_BLOCK_MAPPING_STYLE);
	yamlw_emit(w, &ev);
}

void
yamlw_map_end(struct yamlw *w)
{
	yaml_event_t ev;

	yaml_mapping_end_event_initialize(&ev);
	yamlw_emit(w, &ev);
}

void
yamlw_seq_begin(struct yamlw *w, const char *key, int flow)
{
	yaml_event_t ev;

	yamlw_start(w);
	yamlw_key(w, key);
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
	yamlw_emit(w, &ev);
}

void
yamlw_seq_end(struct yamlw *w)
{
	yaml_event_t ev;

	yaml_sequence_end_event_initialize(&ev);
	yamlw_emit(w, &ev);
}

void
yamlw_str(struct yamlw *w, const char *key, const char *s)
{
	yamlw_key(w, key);
	yamlw_scalar(w, s, !yamlw_special(s));
}

void
yamlw_int(struct yamlw *w, const char *key, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	yamlw_key(w, key);
	yamlw_scalar(w, buf, 1);
}

void
yamlw_bool(struct yamlw *w, const char *key, int v)
{
	yamlw_key(w, key);
	yamlw_scalar(w, v ? "true" : "false", 1);
}

char *
yamlw_finish(struct yamlw *w, size_t *len, char **cause)
{
	yaml_event_t  ev;
	struct strbuf all;
	char	     *s = NULL;

	*cause = NULL;
	yamlw_start(w);
	yaml_document_end_event_initialize(&ev, 1);
	yamlw_emit(w, &ev);
	yaml_stream_end_event_initialize(&ev);
	yamlw_emit(w, &ev);
	if (!w->failed && !yaml_emitter_flush(&w->emitter))
		w->failed = 1;
	if (w->failed || w->out.toobig || w->head.toobig) {
		*cause = xasprintf("YAML emitter: %s",
		    w->emitter.problem != NULL ? w->emitter.problem
					       : "output too large");
	} else {
		strbuf_init(&all, YAMLW_MAX * 2);
		if (w->head.len > 0)
			strbuf_add(&all, w->head.data, w->head.len);
		if (w->out.len > 0)
			strbuf_add(&all, w->out.data, w->out.len);
		s = strbuf_detach(&all, len);
	}
	yaml_emitter_delete(&w->emitter);
	strbuf_free(&w->out);
	strbuf_free(&w->head);
	free(w);
	return s;
}
