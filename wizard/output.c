#include "config.h"
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_out.h"
#include "gen.h"
#include "strbuf.h"
#include "xmalloc.h"

/* The staging directory (mkdtemp adds 6 characters) and its manifest. */
#define OUTPUT_STAGE	    ".mtasts-set."
#define OUTPUT_MANIFEST	    "MANIFEST"
#define OUTPUT_MANIFEST_END "end\n"

static char *output_slurp(const char *, size_t, size_t *);

char *
output_default_dir(const char *domain)
{
	return xasprintf("./mtasts-%s", domain);
}

/*
 * Test hook: MTASTS_TEST_KILL_AT=stage:N or move:N kills the process with
 * SIGKILL after the Nth file of that step, so that tests can interrupt a
 * run at a chosen point.  Unset in normal use.
 */
static void
output_test_point(const char *step, int n)
{
	const char *v = getenv("MTASTS_TEST_KILL_AT");
	size_t	    len = strlen(step);
	char	    want[32];

	if (v == NULL || strncmp(v, step, len) != 0 || v[len] != ':')
		return;
	snprintf(want, sizeof(want), "%d", n);
	if (strcmp(v + len + 1, want) == 0)
		raise(SIGKILL);
}

static int
output_fsync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Is name one of the six output files? */
static int
output_is_ours(const char *name)
{
	int i;

	for (i = 0; i < GEN_FORMAT__COUNT; i++)
		if (strcmp(name, gen_format_file(i)) == 0)
			return 1;
	return 0;
}

/* Is name "FILE.tmpXXXXXX" for one of the six files (mkstemp's)? */
static int
output_is_our_tmp(const char *name)
{
	const char *t = strstr(name, ".tmp");
	char	    base[64];
	size_t	    n;

	if (t == NULL || strlen(t) != 4 + 6 || (n = (size_t)(t - name)) == 0 ||
	    n >= sizeof(base))
		return 0;
	memcpy(base, name, n);
	base[n] = '\0';
	return output_is_ours(base);
}

/*
 * Finishes or removes what an interrupted run left in dir.  A staging
 * directory with a complete manifest had passed every check and was
 * being moved into place: its remaining files are moved now (a file
 * marked new is linked, so one that appeared since is kept).  One
 * without a complete manifest is removed, as are our FILE.tmpXXXXXX.
 */
static void
output_recover(const char *dir)
{
	DIR	      *d;
	struct dirent *de;
	char	      *stage, *man, *from, *to, *text, *line, *save, *name;
	size_t	       len;
	int	       complete, i;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (output_is_our_tmp(de->d_name)) {
			to = xasprintf("%s/%s", dir, de->d_name);
			unlink(to);
			free(to);
			continue;
		}
		if (strncmp(de->d_name, OUTPUT_STAGE, strlen(OUTPUT_STAGE)) !=
			0 ||
		    strlen(de->d_name) != strlen(OUTPUT_STAGE) + 6)
			continue;
		stage = xasprintf("%s/%s", dir, de->d_name);
		man = xasprintf("%s/%s", stage, OUTPUT_MANIFEST);
		text = output_slurp(man, 4096, &len);
		complete = text != NULL && len >= strlen(OUTPUT_MANIFEST_END) &&
		    strcmp(text + len - strlen(OUTPUT_MANIFEST_END),
			OUTPUT_MANIFEST_END) == 0;
		for (line = complete ? strtok_r(text, "\n", &save) : NULL;
		     line != NULL; line = strtok_r(NULL, "\n", &save)) {
			if ((name = strchr(line, ' ')) == NULL ||
			    !output_is_ours(++name))
				continue;
			from = xasprintf("%s/%s", stage, name);
			to = xasprintf("%s/%s", dir, name);
			if (strncmp(line, "replace ", 8) == 0)
				(void)rename(from, to);
			else if (link(from, to) == 0 || errno == EEXIST)
				unlink(from);
			free(from);
			free(to);
		}
		free(text);
		/* Whatever is left of ours, then the manifest, then it. */
		for (i = 0; i < GEN_FORMAT__COUNT; i++) {
			from = xasprintf("%s/%s", stage, gen_format_file(i));
			unlink(from);
			free(from);
		}
		unlink(man);
		(void)rmdir(stage);
		free(man);
		free(stage);
	}
	closedir(d);
	(void)output_fsync_dir(dir);
}

/* Up to max bytes of a file into a new string, or NULL. */
static char *
output_slurp(const char *path, size_t max, size_t *len)
{
	char   *buf;
	ssize_t n;
	int	fd;

	*len = 0;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)) ==
	    -1)
		return NULL;
	buf = xmalloc(max + 1);
	while (*len < max) {
		n = read(fd, buf + *len, max - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	buf[*len] = '\0';
	return buf;
}

/* Writes len bytes to a new file path, fsynced; 0 or -1 (errno set). */
static int
output_put(const char *path, const char *p, size_t len)
{
	int fd, saved;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd == -1)
		return -1;
	if (file_out_fill(fd, p, len) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

unsigned
output_existing(const char *dir, const struct gen_spec *spec,
    const struct schedule *sched, unsigned *differ)
{
	struct stat st;
	unsigned    exists = 0;
	char	   *text, *path, *old, *cause = NULL;
	size_t	    len, olen;
	int	    i;

	*differ = 0;
	for (i = 0; i < GEN_FORMAT__COUNT; i++) {
		path = xasprintf("%s/%s", dir, gen_format_file(i));
		if (lstat(path, &st) == 0) {
			exists |= 1u << i;
			text = gen_format(spec, sched, i, &len, &cause);
			/* One byte more than ours tells a longer file. */
			old = S_ISREG(st.st_mode)
			    ? output_slurp(path, len + 1, &olen)
			    : NULL;
			if (text == NULL || old == NULL || olen != len ||
			    memcmp(old, text, len) != 0)
				*differ |= 1u << i;
			free(old);
			free(text);
			free(cause);
			cause = NULL;
		}
		free(path);
	}
	return exists;
}

int
output_write_all(const char *dir, const struct gen_spec *spec,
    const struct schedule *sched, int force, output_replace_cb ask, void *arg,
    char **cause)
{
	struct stat   st;
	struct strbuf man;
	char	     *text[GEN_FORMAT__COUNT] = { NULL };
	char	     *path[GEN_FORMAT__COUNT] = { NULL };
	char	     *stage = NULL, *staged, *mpath;
	size_t	      len[GEN_FORMAT__COUNT];
	int	      replace[GEN_FORMAT__COUNT];
	int	      i, rc = -1;

	*cause = NULL;
	for (i = 0; i < GEN_FORMAT__COUNT; i++) {
		text[i] = gen_format(spec, sched, i, &len[i], cause);
		if (text[i] == NULL)
			goto out;
		path[i] = xasprintf("%s/%s", dir, gen_format_file(i));
	}
	/* What an interrupted run left: finished or removed first. */
	output_recover(dir);
	/* Decide about every existing file before writing any. */
	for (i = 0; i < GEN_FORMAT__COUNT; i++) {
		replace[i] = force;
		if (force || lstat(path[i], &st) != 0)
			continue;
		if (ask == NULL || !ask(path[i], arg)) {
			*cause = xasprintf("%s exists%s", path[i],
			    ask == NULL ? "; give --force to replace it"
					: " (kept)");
			goto out;
		}
		replace[i] = 1;
	}
	if (file_out_mkdirs(dir, 0755, cause) != 0)
		goto out;
	/*
	 * The set is written into a staging directory inside dir (same file
	 * system), each file fsynced; the manifest written last is the
	 * commit point; then each file is moved into place.  A kill before
	 * the manifest leaves dir as it was, a kill after it is finished by
	 * the next run (output_recover()).
	 */
	stage = xasprintf("%s/%sXXXXXX", dir, OUTPUT_STAGE);
	if (mkdtemp(stage) == NULL) {
		*cause = xasprintf("cannot create a directory in %s: %s", dir,
		    strerror(errno));
		free(stage);
		stage = NULL;
		goto out;
	}
	strbuf_init(&man, 4096);
	for (i = 0; i < GEN_FORMAT__COUNT; i++) {
		staged = xasprintf("%s/%s", stage, gen_format_file(i));
		if (output_put(staged, text[i], len[i]) != 0) {
			*cause = xasprintf("cannot write %s: %s", path[i],
			    strerror(errno));
			free(staged);
			strbuf_free(&man);
			goto out;
		}
		free(staged);
		strbuf_addf(&man, "%s %s\n", replace[i] ? "replace" : "new",
		    gen_format_file(i));
		output_test_point("stage", i + 1);
	}
	strbuf_addf(&man, "%s", OUTPUT_MANIFEST_END);
	mpath = xasprintf("%s/%s", stage, OUTPUT_MANIFEST);
	if (output_put(mpath, man.data, man.len) != 0 ||
	    output_fsync_dir(stage) != 0) {
		*cause =
		    xasprintf("cannot write into %s: %s", dir, strerror(errno));
		free(mpath);
		strbuf_free(&man);
		goto out;
	}
	strbuf_free(&man);
	for (i = 0; i < GEN_FORMAT__COUNT; i++) {
		staged = xasprintf("%s/%s", stage, gen_format_file(i));
		if (replace[i]) {
			if (rename(staged, path[i]) != 0 && *cause == NULL)
				*cause = xasprintf("cannot write %s: %s",
				    path[i], strerror(errno));
		} else if (link(staged, path[i]) != 0 && *cause == NULL) {
			/* link() fails if path appeared meanwhile: kept. */
			*cause = errno == EEXIST
			    ? xasprintf("%s appeared meanwhile and was kept",
				  path[i])
			    : xasprintf("cannot write %s: %s", path[i],
				  strerror(errno));
		}
		free(staged);
		output_test_point("move", i + 1);
	}
	/* Moved: the manifest goes first, so nothing is moved again. */
	unlink(mpath);
	free(mpath);
	(void)output_fsync_dir(dir);
	rc = *cause == NULL ? 0 : -1;
out:
	if (stage != NULL) {
		for (i = 0; i < GEN_FORMAT__COUNT; i++) {
			staged = xasprintf("%s/%s", stage, gen_format_file(i));
			unlink(staged);
			free(staged);
		}
		staged = xasprintf("%s/%s", stage, OUTPUT_MANIFEST);
		unlink(staged);
		free(staged);
		(void)rmdir(stage);
		free(stage);
	}
	for (i = 0; i < GEN_FORMAT__COUNT; i++) {
		free(text[i]);
		free(path[i]);
	}
	return rc;
}
