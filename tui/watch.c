#include "config.h"
#include "watch.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_ttl.h"
#include "clock.h"
#include "report_json.h"
#include "text.h"
#include "theme.h"
#include "xmalloc.h"

struct tui_watch {
	unsigned	   secs;     /* --watch=SECONDS; 0: at the TTL */
	unsigned	   seen;     /* app->runs of the run last taken */
	unsigned	   prev_run; /* the run the diff compares with */
	json_t		  *doc;	     /* the last finished run's document */
	struct check_diff *diff;     /* doc against the run before */
	unsigned	   diff_run; /* app->runs the diff belongs to */
	int64_t		   due;	     /* clock_ms() of the next run; 0: none */
	int		   last_s;   /* countdown shown, to redraw on change */
};

struct tui_watch *
watch_new(unsigned secs)
{
	struct tui_watch *w = xcalloc(1, sizeof(*w));

	w->secs = secs;
	w->last_s = -1;
	return w;
}

void
watch_free(struct tui_watch *w)
{
	if (w == NULL)
		return;
	json_decref(w->doc);
	check_diff_free(w->diff);
	free(w);
}

/* A finished run: its document, the diff with the run before, the plan. */
static void
watch_take(struct tui_watch *w, struct app *a)
{
	const char *d0, *d1;
	json_t	   *doc;
	char	   *json;

	json = report_json(a->check, app_domain_unicode(a),
	    "mtasts-tui " MTASTS_VERSION, NULL);
	doc = json_loads(json, 0, NULL);
	free(json);
	check_diff_free(w->diff);
	w->diff = NULL;
	if (doc != NULL && w->doc != NULL) {
		d0 = json_string_value(json_object_get(w->doc, "domain"));
		d1 = json_string_value(json_object_get(doc, "domain"));
		/* Another domain (/): nothing to compare with. */
		if (d0 != NULL && d1 != NULL && strcmp(d0, d1) == 0) {
			w->diff = check_diff_new(w->doc, doc);
			w->diff_run = a->runs;
			w->prev_run = w->seen;
		}
	}
	json_decref(w->doc);
	w->doc = doc;
	w->seen = a->runs;
	w->due = clock_ms() +
	    (int64_t)check_watch_next(a->check, w->secs, NULL) * 1000;
}

int
watch_tick(struct tui_watch *w, struct app *a)
{
	int s;

	if (w == NULL || a->check == NULL || !check_done(a->check))
		return 0;
	if (w->seen != a->runs) {
		watch_take(w, a);
		return APP_UPDATE | APP_REDRAW;
	}
	if (w->due == 0)
		return 0;
	if (clock_ms() >= w->due) {
		w->due = 0;
		app_start(a);
		return APP_UPDATE | APP_REDRAW;
	}
	s = (int)((w->due - clock_ms() + 999) / 1000);
	if (s != w->last_s) {
		w->last_s = s;
		return APP_REDRAW;
	}
	return 0;
}

int
watch_sleep_ms(const struct tui_watch *w, const struct app *a)
{
	int64_t left;

	if (w == NULL || a->check == NULL || !check_done(a->check))
		return -1;
	if (w->seen != a->runs)
		return 0;
	if (w->due == 0)
		return -1;
	left = w->due - clock_ms();
	if (left <= 0)
		return 0;
	/* Wake at each second of the countdown. */
	left = (left - 1) % 1000 + 1;
	return (int)left;
}

/* Columns of the header the app has written on (its last non-blank + 1). */
static int
watch_header_used(struct app *a)
{
	int x;

	for (x = a->cols - 1; x >= 0; x--)
		if ((mvwinch(a->header, 0, x) & A_CHARTEXT) != ' ')
			return x + 1;
	return 0;
}

void
watch_draw(const struct tui_watch *w, struct app *a)
{
	char	form[3][64];
	int64_t left;
	int	i, n, k = -1, room;

	if (w == NULL || a->header == NULL)
		return;
	if (w->diff != NULL && w->diff_run == a->runs)
		k = (int)check_diff_count(w->diff);
	if (a->check != NULL && !check_done(a->check)) {
		snprintf(form[0], sizeof(form[0]), "  watch: checking ");
		snprintf(form[1], sizeof(form[1]), "  checking ");
		snprintf(form[2], sizeof(form[2]), " ... ");
	} else if (w->due != 0) {
		left = (w->due - clock_ms() + 999) / 1000;
		if (left < 0)
			left = 0;
		/* The longest form that fits after the app's own text. */
		if (k == 0)
			snprintf(form[0], sizeof(form[0]),
			    "  next %llds, no change ", (long long)left);
		else if (k > 0)
			snprintf(form[0], sizeof(form[0]),
			    "  next %llds ~%d change%s (c) ", (long long)left,
			    k, k == 1 ? "" : "s");
		else
			snprintf(form[0], sizeof(form[0]),
			    "  next run in %llds ", (long long)left);
		if (k > 0)
			snprintf(form[1], sizeof(form[1]), "  next %llds ~%d ",
			    (long long)left, k);
		else
			snprintf(form[1], sizeof(form[1]), "  next %llds ",
			    (long long)left);
		snprintf(form[2], sizeof(form[2]), " %llds ", (long long)left);
	} else
		return;
	room = a->cols - watch_header_used(a);
	for (i = 0; i < 2; i++)
		if (text_width(form[i]) <= room)
			break;
	n = text_width(form[i]);
	if (n >= a->cols)
		return;
	text_draw(a->header, 0, a->cols - n, n, form[i],
	    theme_attr(THEME_HEADER) | A_BOLD);
	wnoutrefresh(a->header);
}

const struct check_diff *
watch_diff(const struct tui_watch *w, const struct app *a)
{
	if (w == NULL || w->diff == NULL || w->diff_run != a->runs ||
	    a->check == NULL || !check_done(a->check))
		return NULL;
	return w->diff;
}

unsigned
watch_prev_run(const struct tui_watch *w)
{
	return w != NULL ? w->prev_run : 0;
}
