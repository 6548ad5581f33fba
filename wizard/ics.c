#include "config.h"
#include "ics.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "change.h"
#include "schedule.h"
#include "state.h"
#include "strbuf.h"
#include "xmalloc.h"

#define ICS_MAX	 (256 * 1024)
#define ICS_FOLD 75 /* octets per line, without the CRLF */

static void  ics_line(struct strbuf *, const char *);
static char *ics_text(const char *);

/*
 * Writes one content line, folded: after 75 octets a CRLF and one space,
 * never inside a UTF-8 sequence (our text is ASCII, but be safe).
 */
static void
ics_line(struct strbuf *sb, const char *line)
{
	size_t len = strlen(line), col = 0, i;

	for (i = 0; i < len; i++) {
		if (col >= ICS_FOLD &&
		    ((unsigned char)line[i] & 0xc0) != 0x80) {
			strbuf_addstr(sb, "\r\n ");
			col = 1;
		}
		strbuf_addc(sb, line[i]);
		col++;
	}
	strbuf_addstr(sb, "\r\n");
}

/* TEXT value escaping (RFC 5545 section 3.3.11). */
static char *
ics_text(const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb, ICS_MAX);
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			strbuf_addc(&sb, '\\');
		if (*s == '\n') {
			strbuf_addstr(&sb, "\\n");
			continue;
		}
		strbuf_addc(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

char *
ics_format(const struct state *st, time_t now)
{
	struct ics_event ev[SCHEDULE__COUNT > CHANGE_MAX_STEPS
		? SCHEDULE__COUNT
		: CHANGE_MAX_STEPS];
	size_t		 n, i;
	char		*text;

	if (change_follows(st))
		n = change_milestones(st, ev, sizeof(ev) / sizeof(ev[0]));
	else {
		for (n = 0; n < SCHEDULE__COUNT; n++) {
			ev[n].key = schedule_phase_key(n);
			ev[n].start = st->sched.phase[n].start;
			ev[n].end = st->sched.phase[n].end;
			ev[n].title = xstrdup(schedule_phase_title(n));
			ev[n].help = xstrdup(schedule_phase_help(n));
		}
	}
	text =
	    ics_format_events(st->spec.domain, st->sched.created, ev, n, now);
	for (i = 0; i < n; i++) {
		free(ev[i].title);
		free(ev[i].help);
	}
	return text;
}

char *
ics_format_events(const char *domain, long created_day,
    const struct ics_event *ev, size_t n, time_t now)
{
	struct strbuf sb;
	struct tm     tm;
	char	      stamp[32], d1[16], d2[16], created[16], *l, *t;
	size_t	      i;

	strbuf_init(&sb, ICS_MAX);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	schedule_date_compact(created_day, created, sizeof(created));
	ics_line(&sb, "BEGIN:VCALENDAR");
	ics_line(&sb, "VERSION:2.0");
	ics_line(&sb, "PRODID:-//mtasts-tui//MTA-STS rollout//EN");
	ics_line(&sb, "CALSCALE:GREGORIAN");
	for (i = 0; i < n; i++) {
		schedule_date_compact(ev[i].start, d1, sizeof(d1));
		/* DTEND of an all-day event is exclusive. */
		schedule_date_compact(ev[i].end + 1, d2, sizeof(d2));
		ics_line(&sb, "BEGIN:VEVENT");
		l = xasprintf("UID:%s-%s-%s@mtasts-tui", ev[i].key, created,
		    domain);
		ics_line(&sb, l);
		free(l);
		l = xasprintf("DTSTAMP:%s", stamp);
		ics_line(&sb, l);
		free(l);
		l = xasprintf("DTSTART;VALUE=DATE:%s", d1);
		ics_line(&sb, l);
		free(l);
		l = xasprintf("DTEND;VALUE=DATE:%s", d2);
		ics_line(&sb, l);
		free(l);
		l = xasprintf("MTA-STS %s: %s", domain, ev[i].title);
		t = ics_text(l);
		free(l);
		l = xasprintf("SUMMARY:%s", t);
		ics_line(&sb, l);
		free(l);
		free(t);
		l = xasprintf("%s Check with: mtasts-tui rollout status %s",
		    ev[i].help, domain);
		t = ics_text(l);
		free(l);
		l = xasprintf("DESCRIPTION:%s", t);
		ics_line(&sb, l);
		free(l);
		free(t);
		ics_line(&sb, "TRANSP:TRANSPARENT");
		ics_line(&sb, "END:VEVENT");
	}
	ics_line(&sb, "END:VCALENDAR");
	return strbuf_detach(&sb, NULL);
}
