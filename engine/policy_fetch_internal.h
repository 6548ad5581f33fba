/*
 * policy_fetch_internal: the response-header handling of policy_fetch.c,
 * for the fuzzer (tests/fuzz/policy_fetch-fuzzer.c) and tests; not for
 * clients.
 */
#ifndef MTASTS_POLICY_FETCH_INTERNAL_H
#define MTASTS_POLICY_FETCH_INTERNAL_H

#include <stddef.h>

#include "policy_fetch.h"

/*
 * Feeds one header line (len bytes, with its CRLF, not NUL-terminated) to
 * the header callback, which keeps Content-Type, Location and
 * Cache-Control in a (bounded; caller frees them) and forgets them on a new
 * status line.  Returns what the callback returns to libcurl.
 */
size_t policy_fetch_header_feed(struct policy_fetch_addr *a, char *line,
    size_t len);

#endif
