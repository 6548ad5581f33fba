/*
 * ics: the milestones of a rollout plan as an iCalendar file (RFC 5545):
 * one all-day event per phase, CRLF line ends, lines folded at 75 octets,
 * UIDs stable for a plan so re-importing updates rather than duplicates.
 */
#ifndef MTASTS_WIZARD_ICS_H
#define MTASTS_WIZARD_ICS_H

#include <time.h>

struct state;

/* Returns the calendar (caller frees); now is its DTSTAMP. */
char *ics_format(const struct state *, time_t now);

#endif
