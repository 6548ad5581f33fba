/*
 * clock: monotonic milliseconds, for timeouts and the elapsed_ms figures
 * every layer reports.  Never the wall clock: it may jump.
 */
#ifndef MTASTS_CLOCK_H
#define MTASTS_CLOCK_H

#include <stdint.h>

int64_t clock_ms(void);

#endif
