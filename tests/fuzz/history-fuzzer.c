/*
 * libFuzzer target: a history file (engine/history.c: history_read, the
 * comparison with this run and the rewrite), written into a fresh
 * directory under /dev/shm or /tmp before each history_update().  The
 * first byte chooses whether this run has an id and a body (then the file
 * is rewritten).  Every finding message must stay printable.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "finding.h"
#include "history.h"
#include "xmalloc.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const mx[] = { "mx1.example.com",
		"mx2.example.com" };
	struct history_result	*h;
	struct finding_list	*fl;
	char			 fuzz_dir[64], *path;
	FILE			*f;
	int			 full;

	if (size < 1)
		return 0;
	/* A fresh directory per input, so nothing is left behind. */
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/mtasts-fuzz-history-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	full = data[0] & 1;
	path = xasprintf("%s/example.com", fuzz_dir);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	fl = finding_list_new();
	h = history_update(fuzz_dir, "example.com", full ? "20260101" : NULL,
	    full ? "version: STSv1\n" : NULL, full ? 15 : 0, mx,
	    (size_t)(data[0] >> 1) % 3, full ? 86400 : -1, 1767225600, fl);
	if (h == NULL)
		abort();
	history_result_free(h);
	unlink(path);
	free(path);
	if (rmdir(fuzz_dir) != 0)
		abort(); /* history left a temporary file behind */
	fuzz_check_findings(fl);
	finding_list_free(fl);
	return 0;
}
