/*
 * libFuzzer target: walking a directory of reports
 * (report_input_add_path, engine/report_input.c).  The input describes a
 * small tree, entries separated by "\n=====\n"; an entry's first line is
 * "d PATH" (a directory), "l PATH TARGET" (a symbolic link; the target is
 * relative and stays inside the tree) or "f PATH" (a file: the rest of the
 * entry is its content).  The tree is written into a fresh directory under
 * /dev/shm or /tmp, walked, summarised and removed.
 */
#define _XOPEN_SOURCE 700
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "finding.h"
#include "report_input.h"
#include "report_summary.h"
#include "xmalloc.h"
#include "fuzz_common.h"

#define FUZZ_SEP	"\n=====\n"
#define FUZZ_MAXENTRIES 32
#define FUZZ_MAXDEPTH	8

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * A path made safe to create under the root: components of any bytes but
 * '/' and NUL, never "." or "..", at most FUZZ_MAXDEPTH of them; a link
 * target may also be ".".  Returns NULL if nothing is left (caller frees).
 */
static char *
fuzz_path(const char *s, size_t len, int target)
{
	char  *out = xmalloc(len + 2);
	size_t i = 0, o = 0, start, clen, depth = 0;

	while (i < len && depth < FUZZ_MAXDEPTH) {
		while (i < len && s[i] == '/')
			i++;
		start = i;
		while (i < len && s[i] != '/' && s[i] != '\0')
			i++;
		clen = i - start;
		if (clen == 0)
			break;
		if ((clen == 2 && memcmp(s + start, "..", 2) == 0) ||
		    (!target && clen == 1 && s[start] == '.'))
			continue;
		if (o > 0)
			out[o++] = '/';
		memcpy(out + o, s + start, clen);
		o += clen;
		depth++;
	}
	out[o] = '\0';
	if (o == 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void
fuzz_entry(const char *root, const uint8_t *d, size_t n)
{
	const uint8_t *nl, *sp;
	char	      *p, *t = NULL, *full;
	size_t	       head;
	FILE	      *f;

	if (n < 2 || d[1] != ' ')
		return;
	nl = memchr(d, '\n', n);
	head = nl != NULL ? (size_t)(nl - d) : n;
	if (head < 2)
		return;
	if (d[0] == 'l' && (sp = memchr(d + 2, ' ', head - 2)) != NULL) {
		p = fuzz_path((const char *)d + 2, (size_t)(sp - d) - 2, 0);
		t = fuzz_path((const char *)sp + 1, head - (size_t)(sp - d) - 1,
		    1);
	} else
		p = fuzz_path((const char *)d + 2, head - 2, 0);
	if (p == NULL) {
		free(t);
		return;
	}
	full = xasprintf("%s/%s", root, p);
	if (d[0] == 'd')
		(void)mkdir(full, 0700);
	else if (d[0] == 'l' && t != NULL)
		(void)symlink(t, full);
	else if (d[0] == 'f' && (f = fopen(full, "w")) != NULL) {
		if (nl != NULL)
			fwrite(nl + 1, 1, n - head - 1, f);
		fclose(f);
	}
	free(full);
	free(p);
	free(t);
}

static int
fuzz_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_input	       *in;
	const struct report_input_item *it;
	struct report_summary	       *s;
	const uint8_t		       *sep;
	char				root[64];
	size_t				i, n = 0, seplen = strlen(FUZZ_SEP);

	snprintf(root, sizeof(root), "%s/mtasts-fuzz-walk-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(root) == NULL)
		abort();
	while (size > 0 && n++ < FUZZ_MAXENTRIES) {
		sep = memmem(data, size, FUZZ_SEP, seplen);
		fuzz_entry(root, data,
		    sep != NULL ? (size_t)(sep - data) : size);
		if (sep == NULL)
			break;
		size -= (size_t)(sep - data) + seplen;
		data = sep + seplen;
	}

	in = report_input_new();
	report_input_add_path(in, root);
	for (i = 0; i < report_input_count(in); i++) {
		it = report_input_get(in, i);
		fuzz_check_findings(it->findings);
		if (it->report == NULL && finding_list_count(it->findings) == 0)
			abort();
	}
	s = report_summary_new(in);
	report_summary_free(s);
	report_input_free(in);
	if (nftw(root, fuzz_rm, 16, FTW_DEPTH | FTW_PHYS) != 0)
		abort();
	return 0;
}
