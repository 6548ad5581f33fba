/*
 * id: policy ids.  An id is the UTC time it was made, YYYYMMDDTHHMMSSZ
 * (16 letters and digits, valid by TXT-7), moved on by whole seconds until
 * it differs from every id in used, so an id is never reused.
 */
#ifndef MTASTS_WIZARD_ID_H
#define MTASTS_WIZARD_ID_H

#include <stddef.h>
#include <time.h>

#define ID_LEN 16

/* Returns a new id (caller frees). */
char *id_new(time_t now, const char *const *used, size_t nused);

#endif
