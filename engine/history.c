#include "config.h"
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "file_out.h"
#include "finding.h"
#include "utf8.h"
#include "xmalloc.h"

/*
 * Version 2 adds the "mx NAME TIME" lines; version 1 is still read.  The
 * "hold UNTIL MAX_AGE" line came later without a new version: readers
 * skip lines they do not know, so older binaries keep reading the file.
 */
#define HISTORY_VERSION	  "mtasts-tui-history 2"
#define HISTORY_VERSION_1 "mtasts-tui-history 1"
#define HISTORY_MAX_SIZE  32768 /* 64 MX names of 253 octets fit */
#define HISTORY_MAX_NAME  253

static char *history_default_dir(void);
static int   history_read(struct history_result *, const char *);
static int   history_write(struct history_result *, const char *, time_t);
static int   history_name_ok(const char *);
static int   history_mx_cmp(const void *, const void *);
static void  history_merge_mx(struct history_result *, const char *const *,
     size_t, time_t);
static void  history_mx_free(struct history_mx *, size_t);

static char *
history_default_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home;

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/mtasts-tui/history", xdg);
	if ((home = getenv("HOME")) != NULL && home[0] == '/')
		return xasprintf("%s/.cache/mtasts-tui/history", home);
	return NULL;
}

/* A host name as the file can hold it: printable, no space, bounded. */
static int
history_name_ok(const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if ((unsigned char)name[i] <= 0x20 ||
		    (unsigned char)name[i] >= 0x7f)
			return 0;
	return i > 0 && i <= HISTORY_MAX_NAME;
}

/* Latest first, then by name: the order kept and the order dropped. */
static int
history_mx_cmp(const void *a, const void *b)
{
	const struct history_mx *x = a, *y = b;

	if (x->last_seen != y->last_seen)
		return x->last_seen > y->last_seen ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
history_mx_free(struct history_mx *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* h->mx: the hosts on record, this run's seen now; the oldest dropped. */
static void
history_merge_mx(struct history_result *h, const char *const *mx, size_t nmx,
    time_t now)
{
	size_t i, j, n = 0;

	h->mx = xcalloc(h->nprev_mx + nmx + 1, sizeof(*h->mx));
	for (i = 0; i < nmx; i++) {
		if (mx[i] == NULL || !history_name_ok(mx[i]))
			continue;
		for (j = 0; j < n; j++)
			if (strcasecmp(h->mx[j].name, mx[i]) == 0)
				break;
		if (j < n)
			continue;
		h->mx[n].name = xstrdup(mx[i]);
		h->mx[n++].last_seen = now;
	}
	for (i = 0; i < h->nprev_mx; i++) {
		for (j = 0; j < n; j++)
			if (strcasecmp(h->mx[j].name, h->prev_mx[i].name) == 0)
				break;
		if (j < n)
			continue;
		h->mx[n].name = xstrdup(h->prev_mx[i].name);
		h->mx[n++].last_seen = h->prev_mx[i].last_seen;
	}
	if (n > 1)
		qsort(h->mx, n, sizeof(*h->mx), history_mx_cmp);
	while (n > HISTORY_MAX_MX)
		free(h->mx[--n].name);
	h->nmx = n;
}

/* 1: read, 0: no file, -1: corrupt (reason in h->error). */
static int
history_read(struct history_result *h, const char *path)
{
	struct stat sb;
	char	   *buf, *line, *save, *v, *t;
	size_t	    n = 0;
	ssize_t	    r;
	long long   seen, age;
	int	    fd;

	/*
	 * Non-blocking: a FIFO put in its place must not hang the check in
	 * open() or read().  No symbolic link: the file is ours, always
	 * replaced by rename(), so a link there was not made by us.
	 */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)) ==
	    -1) {
		if (errno == ENOENT)
			return 0;
		h->error = xstrdup(
		    errno == ELOOP ? "a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > HISTORY_MAX_SIZE) {
		h->error =
		    xstrdup(S_ISREG(sb.st_mode) ? "history file too large"
						: "not a regular file");
		close(fd);
		return -1;
	}
	buf = xmalloc(HISTORY_MAX_SIZE + 2);
	while (n < HISTORY_MAX_SIZE + 1) {
		r = read(fd, buf + n, HISTORY_MAX_SIZE + 1 - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > HISTORY_MAX_SIZE || memchr(buf, '\0', n) != NULL) {
		h->error = xstrdup("history file too large or binary");
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	line = strtok_r(buf, "\n", &save);
	if (line == NULL ||
	    (strcmp(line, HISTORY_VERSION) != 0 &&
		strcmp(line, HISTORY_VERSION_1) != 0)) {
		h->error = xstrdup("history file has no known version line");
		free(buf);
		return -1;
	}
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		if ((v = strchr(line, ' ')) == NULL) {
			/* The file is hostile too: quoted only escaped. */
			t = utf8_show(line, strnlen(line, 40));
			h->error = xasprintf("bad history line '%s'", t);
			free(t);
			free(buf);
			return -1;
		}
		*v++ = '\0';
		if (strcmp(line, "id") == 0 && h->prev_id == NULL)
			h->prev_id = xstrdup(v);
		else if (strcmp(line, "sha256") == 0 && h->prev_sha256 == NULL)
			h->prev_sha256 = xstrdup(v);
		else if (strcmp(line, "seen") == 0 &&
		    sscanf(v, "%lld", &seen) == 1)
			h->prev_seen = (time_t)seen;
		else if (strcmp(line, "hold") == 0 &&
		    sscanf(v, "%lld %lld", &seen, &age) == 2 && seen > 0 &&
		    age >= 0) {
			h->prev_hold_until = (time_t)seen;
			h->prev_hold_max_age = age;
		} else if (strcmp(line, "mx") == 0 &&
		    h->nprev_mx < HISTORY_MAX_MX &&
		    (t = strchr(v, ' ')) != NULL &&
		    sscanf(t + 1, "%lld", &seen) == 1) {
			*t = '\0';
			if (!history_name_ok(v))
				continue;
			h->prev_mx = xreallocarray(h->prev_mx, h->nprev_mx + 1,
			    sizeof(*h->prev_mx));
			h->prev_mx[h->nprev_mx].name = xstrdup(v);
			h->prev_mx[h->nprev_mx++].last_seen = (time_t)seen;
		}
	}
	free(buf);
	if (h->nprev_mx > 1)
		qsort(h->prev_mx, h->nprev_mx, sizeof(*h->prev_mx),
		    history_mx_cmp);
	if (h->prev_id == NULL || h->prev_sha256 == NULL) {
		h->error = xstrdup("history file lacks id or sha256");
		return -1;
	}
	/* Both are quoted in findings: what we never write is corrupt. */
	if (!history_name_ok(h->prev_id) || !history_name_ok(h->prev_sha256)) {
		h->error = xstrdup("history file has a malformed id or sha256");
		return -1;
	}
	return 1;
}

static int
history_write(struct history_result *h, const char *path, time_t now)
{
	char  *tmp;
	FILE  *f;
	size_t i;
	int    ok;

	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		h->error =
		    xasprintf("cannot write %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fprintf(f, "%s\nid %s\nsha256 %s\nseen %lld\n", HISTORY_VERSION, h->id,
	    h->sha256, (long long)now);
	if (h->hold_until > 0)
		fprintf(f, "hold %lld %lld\n", (long long)h->hold_until,
		    h->hold_max_age);
	for (i = 0; i < h->nmx; i++)
		fprintf(f, "mx %s %lld\n", h->mx[i].name,
		    (long long)h->mx[i].last_seen);
	ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) == -1) {
		h->error =
		    xasprintf("cannot replace %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static char *
history_sha256(const char *body, size_t len)
{
	unsigned char md[32];
	char	     *hex;
	size_t	      i;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, body, len, md) != 0)
		return NULL;
	hex = xmalloc(sizeof(md) * 2 + 1);
	for (i = 0; i < sizeof(md); i++)
		snprintf(hex + i * 2, 3, "%02x", md[i]);
	return hex;
}

struct history_result *
history_update(const char *dir, const char *domain, const char *id,
    const char *body, size_t bodylen, const char *const *mx, size_t nmx,
    long long max_age, time_t now, struct finding_list *fl)
{
	struct history_result *h;
	char		      *d;
	int		       rc;

	h = xcalloc(1, sizeof(*h));
	d = dir != NULL ? xstrdup(dir) : history_default_dir();
	if (d == NULL) {
		h->error = xstrdup("no history directory: neither "
				   "XDG_CACHE_HOME nor HOME is set");
		return h;
	}
	h->path = xasprintf("%s/%s", d, domain);
	if (id != NULL)
		h->id = xstrdup(id);
	if (body != NULL)
		h->sha256 = history_sha256(body, bodylen);

	rc = history_read(h, h->path);
	if (rc == -1) {
		finding_add(fl, FINDING_HISTORY_CORRUPT, h->path, 0,
		    "History file %s was unreadable (%s) and is replaced",
		    h->path, h->error != NULL ? h->error : strerror(errno));
		free(h->prev_id);
		free(h->prev_sha256);
		h->prev_id = h->prev_sha256 = NULL;
		history_mx_free(h->prev_mx, h->nprev_mx);
		h->prev_mx = NULL;
		h->prev_hold_until = 0;
		h->prev_hold_max_age = 0;
		h->nprev_mx = 0;
		free(h->error);
		h->error = NULL;
	}
	h->had_previous = rc == 1;
	history_merge_mx(h, mx, nmx, now);
	/* The later of the hold on record and this run's policy. */
	h->hold_until = h->prev_hold_until;
	h->hold_max_age = h->prev_hold_max_age;
	if (max_age >= 0 &&
	    (long long)now + max_age > (long long)h->hold_until) {
		h->hold_until = (time_t)((long long)now + max_age);
		h->hold_max_age = max_age;
	}

	if (h->had_previous && h->id != NULL && h->sha256 != NULL) {
		if (strcmp(h->prev_id, h->id) == 0 &&
		    strcmp(h->prev_sha256, h->sha256) != 0)
			finding_add(fl, FINDING_STS_ID_UNCHANGED, domain, 0,
			    "The policy body changed since the last run but "
			    "the id is still %s: senders that cached the old "
			    "policy will not fetch the new one",
			    h->id);
		else if (strcmp(h->prev_id, h->id) != 0)
			finding_add(fl, FINDING_STS_ID_CHANGED, domain, 0,
			    "The id changed from %s to %s; the policy body "
			    "%s",
			    h->prev_id, h->id,
			    strcmp(h->prev_sha256, h->sha256) == 0
				? "is the same"
				: "changed too");
	}
	if (h->id != NULL && h->sha256 != NULL) {
		if (file_out_mkdirs(d, 0700, NULL) == 0 &&
		    history_write(h, h->path, now) == 0)
			h->written = 1;
		else if (h->error == NULL)
			h->error = xasprintf("cannot create %s: %s", d,
			    strerror(errno));
	}
	free(d);
	return h;
}

void
history_result_free(struct history_result *h)
{
	if (h == NULL)
		return;
	free(h->path);
	free(h->prev_id);
	free(h->prev_sha256);
	history_mx_free(h->prev_mx, h->nprev_mx);
	history_mx_free(h->mx, h->nmx);
	free(h->id);
	free(h->sha256);
	free(h->error);
	free(h);
}
