/*
 * Golden summaries: `mtasts-tui report` on every file of the shared
 * corpus ($MTASTS_CORPUS/tlsrpt), and on the whole directory in text and
 * JSON, compared byte for byte with tests/golden/reports/ (regenerate with
 * tests/golden/reports/update.sh and review the diff).  Runs from the top
 * of the tree; skipped when the corpus or the binary is absent.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "strbuf.h"
#include "xmalloc.h"

#define GOLDEN "tests/golden/reports"

static char *top;
static char *corpus;

static char *
slurp(FILE *f, size_t *len)
{
	struct strbuf sb;
	char	      buf[4096];
	size_t	      n;

	strbuf_init(&sb, 16 * 1024 * 1024);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	return strbuf_detach(&sb, len);
}

/* Runs the tool in the corpus directory; returns its output and status. */
static char *
run(const char *args, size_t *len, int *status)
{
	char *cmd, *out;
	FILE *p;
	int   st;

	cmd = xasprintf("cd '%s' && '%s/mtasts-tui' report %s", corpus, top,
	    args);
	p = popen(cmd, "r");
	assert_non_null(p);
	out = slurp(p, len);
	st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	free(cmd);
	return out;
}

/* The exit status update.sh recorded for name. */
static int
want_status(const char *name)
{
	char *path = xasprintf("%s/%s/status.txt", top, GOLDEN), *pat;
	char  line[512];
	FILE *f = fopen(path, "r");
	int   rc = -2;

	assert_non_null(f);
	pat = xasprintf("%s: exit ", name);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, pat, strlen(pat)) == 0)
			rc = (int)strtol(line + strlen(pat), NULL, 10);
	fclose(f);
	free(pat);
	free(path);
	return rc;
}

static void
compare(const char *name, const char *args, const char *golden)
{
	char  *out, *want, *path;
	size_t len, wlen;
	int    st;
	FILE  *f;

	out = run(args, &len, &st);
	path = xasprintf("%s/%s/%s", top, GOLDEN, golden);
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("%s: no golden file %s", name, path);
	want = slurp(f, &wlen);
	fclose(f);
	if (len != wlen || memcmp(out, want, len) != 0)
		fail_msg("%s: output differs from %s (run "
			 "tests/golden/reports/update.sh and diff)",
		    name, path);
	if (st != want_status(name))
		fail_msg("%s: exit %d, want %d", name, st, want_status(name));
	free(out);
	free(want);
	free(path);
}

static void
test_files(void **state)
{
	FILE  *ls;
	char   name[512], *args, *golden, *cmd;
	size_t n = 0, l;

	(void)state;
	cmd = xasprintf("ls '%s'", corpus);
	ls = popen(cmd, "r");
	assert_non_null(ls);
	while (fgets(name, sizeof(name), ls) != NULL) {
		l = strcspn(name, "\n");
		name[l] = '\0';
		args = xasprintf("--no-color '%s'", name);
		golden = xasprintf("%s.txt", name);
		compare(name, args, golden);
		free(args);
		free(golden);
		n++;
	}
	pclose(ls);
	free(cmd);
	assert_int_equal(n, 18);
}

static void
test_all_text(void **state)
{
	(void)state;
	compare("all", "--no-color .", "all.txt");
}

static void
test_all_json(void **state)
{
	(void)state;
	compare("all.json", "--json .", "all.json");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_all_text),
		cmocka_unit_test(test_all_json),
	};
	const char *base = getenv("MTASTS_CORPUS");
	char	    cwd[4096];
	struct stat st;
	int	    rc;

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return 1;
	top = xstrdup(cwd);
	if (base == NULL)
		base = "../shared/corpus";
	corpus = base[0] == '/' ? xasprintf("%s/tlsrpt", base)
				: xasprintf("%s/%s/tlsrpt", top, base);
	if (stat(corpus, &st) != 0 || access("mtasts-tui", X_OK) != 0) {
		/* tests/run.sh counts exit 77 as a skip. */
		printf("no corpus at %s or no ./mtasts-tui\n", corpus);
		return 77;
	}
	rc = cmocka_run_group_tests_name("report_golden", tests, NULL, NULL);
	free(corpus);
	free(top);
	return rc;
}
