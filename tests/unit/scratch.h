/*
 * scratch: what several unit tests need around them -- a private
 * directory, optionally filled by a shell script (certtool runs, say),
 * removed afterwards; and reading a whole (bounded) file.  Header-only, for
 * tests: static inline, so a test that uses one piece gets no warning
 * about the others.
 */
#ifndef MTASTS_TEST_SCRATCH_H
#define MTASTS_TEST_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>

#include "strbuf.h"
#include "xmalloc.h"

#define SCRATCH_MAX_FILE (1024 * 1024)

/*
 * Makes a directory from the mkdtemp template tmpl (changed in place) and
 * runs script in it with sh when script is not NULL.  Returns 0 or -1.
 */
static inline int
scratch_make(char *tmpl, const char *script)
{
	char *path;
	FILE *f;
	int   rv;

	if (mkdtemp(tmpl) == NULL)
		return -1;
	if (script == NULL)
		return 0;
	path = xasprintf("%s/gen.sh", tmpl);
	f = fopen(path, "w");
	free(path);
	if (f == NULL)
		return -1;
	fputs(script, f);
	fclose(f);
	path = xasprintf("cd '%s' && sh gen.sh", tmpl);
	rv = system(path);
	free(path);
	return rv == 0 ? 0 : -1;
}

/* Removes the directory and everything in it.  Returns 0 or -1. */
static inline int
scratch_remove(const char *dir)
{
	char *cmd;
	int   rv;

	cmd = xasprintf("rm -rf '%s'", dir);
	rv = system(cmd);
	free(cmd);
	return rv == 0 ? 0 : -1;
}

/*
 * The file's bytes, NUL-terminated, at most SCRATCH_MAX_FILE of them, or
 * NULL when it cannot be opened.  The caller frees.
 */
static inline char *
scratch_slurp(const char *path, size_t *len)
{
	struct strbuf sb;
	FILE	     *f;
	char	      buf[4096];
	size_t	      n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	strbuf_init(&sb, SCRATCH_MAX_FILE);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (strbuf_add(&sb, buf, n) != 0)
			break;
	fclose(f);
	return strbuf_detach(&sb, len);
}

#endif
