#include "config.h"
#include "summary.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_json.h"
#include "layer.h"
#include "utf8.h"
#include "xmalloc.h"

void
summary_add(struct summary *s, const char *fmt, ...)
{
	va_list ap;

	if (s->n == SUMMARY_MAX_LINES)
		return;
	va_start(ap, fmt);
	s->line[s->n++] = xvasprintf(fmt, ap);
	va_end(ap);
}

void
summary_clear(struct summary *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->line[i]);
	s->n = 0;
}

char *
summary_duration(long long sec)
{
	if (sec >= 31557600 && sec % 86400 == 0 && sec / 86400 % 365 == 0)
		return xasprintf("%lld y", sec / 31536000);
	if (sec >= 86400 && sec % 86400 == 0)
		return xasprintf("%lld d", sec / 86400);
	if (sec >= 3600 && sec % 3600 == 0)
		return xasprintf("%lld h", sec / 3600);
	return xasprintf("%lld s", sec);
}

char *
summary_clean(const char *p, size_t len, int ascii)
{
	return utf8_sanitize(p != NULL ? p : "", p != NULL ? len : 0, ascii);
}

void
summary_layer(struct summary *s, const struct check *c, enum check_layer l,
    int ascii)
{
	const struct layer_class *k = layer_class(l);

	memset(s, 0, sizeof(*s));
	/* A snapshot shows what the scan saw, not what its data rebuilds. */
	if (check_is_snapshot(c))
		check_json_summary(s, c, l, ascii);
	else if (k->summary != NULL)
		k->summary(s, c, ascii);
	else if (check_layer_skip_reason(c, l) != NULL)
		summary_add(s, "skipped: %s", check_layer_skip_reason(c, l));
}
