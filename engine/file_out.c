#include "config.h"
#include "file_out.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmalloc.h"

int
file_out_fill(int fd, const char *p, size_t len)
{
	ssize_t n;
	size_t	done = 0;

	while (done < len) {
		if ((n = write(fd, p + done, len - done)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)n;
	}
	return fchmod(fd, 0644) != 0 || fsync(fd) != 0 ? -1 : 0;
}

/* The new name reaches the disk with its directory. */
static void
file_out_sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int   fd;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) !=
	    -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

int
file_out_write(const char *path, const void *data, size_t len, int replace,
    char **cause)
{
	const char *p = data;
	char	   *tmp;
	int	    fd, saved;

	*cause = NULL;
	tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xasprintf("cannot create a file next to %s: %s", path,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	if (file_out_fill(fd, p, len) != 0)
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
	file_out_sync_dir(path);
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

int
file_out_mkdirs(const char *dir, mode_t mode, char **cause)
{
	char *p, *s;

	if (cause != NULL)
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
	if (cause != NULL)
		*cause = xasprintf("cannot create %s: %s", p, strerror(errno));
	free(p);
	return -1;
}
