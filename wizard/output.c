#include "config.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"
#include "xmalloc.h"

int
output_mkdirs(const char *dir, mode_t mode, char **cause)
{
	char *p, *s;

	*cause = NULL;
	p = xstrdup(dir);
	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, mode) != 0 && errno != EEXIST)
				goto fail;
			*s = '/';
			continue;
		}
		if (mkdir(p, mode) != 0 && errno != EEXIST)
			goto fail;
		break;
	}
	free(p);
	return 0;
fail:
	*cause = xasprintf("cannot create %s: %s", p, strerror(errno));
	free(p);
	return -1;
}

int
output_write_file(const char *path, const void *data, size_t len, int replace,
    char **cause)
{
	const char *p = data;
	char	   *tmp;
	ssize_t	    n;
	size_t	    done = 0;
	int	    fd, saved;

	*cause = NULL;
	tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xasprintf("cannot create a file next to %s: %s", path,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	while (done < len) {
		if ((n = write(fd, p + done, len - done)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		done += (size_t)n;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (replace) {
		if (rename(tmp, path) != 0)
			goto fail;
	} else {
		/* link() fails if path exists: no check-then-write race. */
		if (link(tmp, path) != 0) {
			saved = errno;
			unlink(tmp);
			free(tmp);
			if (saved == EEXIST) {
				*cause = xasprintf("%s exists", path);
				return 1;
			}
			*cause = xasprintf("cannot write %s: %s", path,
			    strerror(saved));
			return -1;
		}
		unlink(tmp);
	}
	free(tmp);
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	*cause = xasprintf("cannot write %s: %s", path, strerror(saved));
	return -1;
}

char *
output_default_dir(const char *domain)
{
	return xasprintf("./mtasts-%s", domain);
}

int
output_write_all(const char *dir, const struct gen_spec *spec,
    const struct schedule *sched, int force, output_replace_cb ask, void *arg,
    char **cause)
{
	struct stat st;
	char	   *text[GEN_FORMAT__COUNT] = { NULL };
	char	   *path[GEN_FORMAT__COUNT] = { NULL };
	size_t	    len[GEN_FORMAT__COUNT];
	int	    replace[GEN_FORMAT__COUNT];
	int	    i, rc = -1;

	*cause = NULL;
	for (i = 0; i < GEN_FORMAT__COUNT; i++) {
		text[i] = gen_format(spec, sched, i, &len[i], cause);
		if (text[i] == NULL)
			goto out;
		path[i] = xasprintf("%s/%s", dir, gen_format_file(i));
	}
	/* Decide about every existing file before writing any. */
	for (i = 0; i < GEN_FORMAT__COUNT; i++) {
		replace[i] = force;
		if (force || stat(path[i], &st) != 0)
			continue;
		if (ask == NULL || !ask(path[i], arg)) {
			*cause = xasprintf("%s exists%s", path[i],
			    ask == NULL ? "; give --force to replace it"
					: " (kept)");
			goto out;
		}
		replace[i] = 1;
	}
	if (output_mkdirs(dir, 0755, cause) != 0)
		goto out;
	for (i = 0; i < GEN_FORMAT__COUNT; i++)
		if (output_write_file(path[i], text[i], len[i], replace[i],
			cause) != 0)
			goto out;
	rc = 0;
out:
	for (i = 0; i < GEN_FORMAT__COUNT; i++) {
		free(text[i]);
		free(path[i]);
	}
	return rc;
}
