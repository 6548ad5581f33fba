#include "config.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static const struct {
	const char *key;
	const char *title;
	const char *help;
	int	    start; /* offsets from the day of the plan */
	int	    end;
} schedule_table[SCHEDULE__COUNT] = {
	{ "mx-tls", "Prepare MX TLS",
	    "Make every MX offer STARTTLS with a publicly trusted certificate "
	    "for its own name.",
	    0, 6 },
	{ "testing", "Serve the policy in testing",
	    "Serve mta-sts.txt (mode testing) at "
	    "https://mta-sts.DOMAIN/.well-known/mta-sts.txt.",
	    7, 13 },
	{ "records", "Publish the TXT and TLS-RPT records",
	    "Publish _mta-sts.DOMAIN and _smtp._tls.DOMAIN from zone.txt.", 7,
	    20 },
	{ "watch", "Watch TLS-RPT reports",
	    "Read the TLS-RPT reports until 14 consecutive days show no "
	    "failures.",
	    14, 27 },
	{ "enforce", "Switch to enforce with a new id",
	    "Serve the enforce policy first, then publish the TXT with its new "
	    "id.",
	    21, 41 },
	{ "max-age", "Raise max_age",
	    "Serve the policy with the long max_age, then publish its new id.",
	    42, 55 },
};

void
schedule_make(struct schedule *s, long today)
{
	size_t i;

	s->created = today;
	for (i = 0; i < SCHEDULE__COUNT; i++) {
		s->phase[i].start = today + schedule_table[i].start;
		s->phase[i].end = today + schedule_table[i].end;
	}
}

const char *
schedule_phase_key(enum schedule_phase_id id)
{
	return schedule_table[id].key;
}

const char *
schedule_phase_title(enum schedule_phase_id id)
{
	return schedule_table[id].title;
}

const char *
schedule_phase_help(enum schedule_phase_id id)
{
	return schedule_table[id].help;
}

int
schedule_phase_lookup(const char *key)
{
	int i;

	for (i = 0; i < SCHEDULE__COUNT; i++)
		if (strcmp(schedule_table[i].key, key) == 0)
			return i;
	return -1;
}

/* Civil date to day number and back (proleptic Gregorian calendar). */
static long
schedule_days_from_civil(long y, unsigned m, unsigned d)
{
	long	 era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
schedule_civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long	 era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

int
schedule_date_parse(const char *s, long *day)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	unsigned	      m, d, i;
	long		      y, back;
	unsigned	      bm, bd;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	*day = schedule_days_from_civil(y, m, d);
	/* Catches 29 February of common years. */
	schedule_civil_from_days(*day, &back, &bm, &bd);
	if (bm != m || bd != d)
		return -1;
	return 0;
}

void
schedule_date_format(long day, char *buf, size_t len)
{
	long	 y;
	unsigned m, d;

	schedule_civil_from_days(day, &y, &m, &d);
	snprintf(buf, len, "%04ld-%02u-%02u", y, m, d);
}

void
schedule_date_compact(long day, char *buf, size_t len)
{
	long	 y;
	unsigned m, d;

	schedule_civil_from_days(day, &y, &m, &d);
	snprintf(buf, len, "%04ld%02u%02u", y, m, d);
}

long
schedule_today(char **cause)
{
	const char *env;
	long	    day;

	*cause = NULL;
	if ((env = getenv("MTASTS_TODAY")) != NULL && *env != '\0') {
		if (schedule_date_parse(env, &day) != 0) {
			*cause = xasprintf("MTASTS_TODAY: '%s' is not a date "
					   "(YYYY-MM-DD)",
			    env);
			return -1;
		}
		return day;
	}
	return (long)(time(NULL) / 86400);
}

time_t
schedule_now(void)
{
	const char *env;
	long	    day;

	if ((env = getenv("MTASTS_TODAY")) != NULL && *env != '\0' &&
	    schedule_date_parse(env, &day) == 0)
		return (time_t)day * 86400;
	return time(NULL);
}
