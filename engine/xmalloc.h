/*
 * xmalloc: allocation that never returns NULL.
 *
 * On exhaustion the fatal hook runs (the TUI sets one that restores the
 * terminal) and the process aborts: no caller checks for NULL.
 */
#ifndef MTASTS_XMALLOC_H
#define MTASTS_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*xmalloc_fatal_cb)(const char *why);

void  xmalloc_set_fatal(xmalloc_fatal_cb);
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
/* The x*strdup and xasprintf results are the caller's to free(). */
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

#endif
