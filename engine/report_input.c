#include "config.h"
#include "report_input.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "finding.h"
#include "strbuf.h"
#include "tlsrpt_report.h"
#include "utf8.h"
#include "xmalloc.h"

#define RI_CHUNK       65536
#define RI_MAX_HEADERS 8 /* at least RI_NFIELDS (5) */

/* A directory read in this add_path, by identity (links, loops). */
struct ri_seen {
	dev_t dev;
	ino_t ino;
	int   used;
};

struct report_input {
	struct report_input_item *items;
	size_t			  nitems;
	size_t			  cap;
	size_t			  nfiles;   /* this add_path */
	size_t			  nentries; /* this add_path */
	int			  entries_said;
	size_t			  total; /* report bytes parsed, all paths */
	int			  total_said;
	char			 *root; /* this add_path, resolved */
	struct ri_seen		 *seen; /* this add_path: a hash set */
	size_t			  nseen;
	size_t			  seencap;
};

/* A parsed header block: the unfolded fields of ri_fields, names as written. */
struct ri_header {
	char *name;
	char *value;
};

struct ri_headers {
	struct ri_header h[RI_MAX_HEADERS];
	size_t		 n;
};

/* What a message walk collects. */
struct ri_msg {
	struct report_input *in;
	const char	    *source;
	const char	    *hdomain;
	const char	    *hsubmitter;
	size_t		     nparts; /* leaves seen */
	size_t		     nfound; /* report parts */
	int		     too_deep;
};

static struct report_input_item *ri_item(struct report_input *, const char *);
static void			 ri_file(struct report_input *, const char *);
static void   ri_dir(struct report_input *, const char *, int);
static int    ri_seen(struct report_input *, const struct stat *);
static int    ri_inside(const struct report_input *, const char *);
static void   ri_bytes(struct report_input *, const unsigned char *, size_t,
      const char *);
static void   ri_json(struct report_input *, const unsigned char *, size_t,
      const char *, const char *, const char *);
static void   ri_gzip(struct report_input *, const unsigned char *, size_t,
      const char *, const char *, const char *);
static void   ri_mbox(struct report_input *, const unsigned char *, size_t,
      const char *);
static void   ri_message(struct report_input *, const unsigned char *, size_t,
      const char *);
static void   ri_entity(struct ri_msg *, const unsigned char *, size_t, int);
static size_t ri_parse_headers(const unsigned char *, size_t,
    struct ri_headers *);
static void   ri_headers_free(struct ri_headers *);
static const char *ri_header_get(const struct ri_headers *, const char *);
static char	  *ri_param(const char *, const char *);
static char	  *ri_media_type(const char *);
static char	  *ri_base64(const unsigned char *, size_t, size_t *, size_t *);
static char	  *ri_qp(const unsigned char *, size_t, size_t *);
static int	   ri_is_header_line(const unsigned char *, size_t);
static const unsigned char *ri_find_line(const unsigned char *, size_t,
    const char *, size_t, size_t *);
static int		    ri_ends_with(const char *, const char *);
static char		   *ri_trim(const char *, size_t);

struct report_input *
report_input_new(void)
{
	return xcalloc(1, sizeof(struct report_input));
}

void
report_input_free(struct report_input *in)
{
	size_t i;

	if (in == NULL)
		return;
	for (i = 0; i < in->nitems; i++) {
		free(in->items[i].source);
		tlsrpt_report_free(in->items[i].report);
		finding_list_free(in->items[i].findings);
		free(in->items[i].header_domain);
		free(in->items[i].header_submitter);
	}
	free(in->items);
	free(in->root);
	free(in->seen);
	free(in);
}

size_t
report_input_count(const struct report_input *in)
{
	return in->nitems;
}

const struct report_input_item *
report_input_get(const struct report_input *in, size_t i)
{
	return i < in->nitems ? &in->items[i] : NULL;
}

size_t
report_input_nreports(const struct report_input *in)
{
	size_t i, n = 0;

	for (i = 0; i < in->nitems; i++)
		if (in->items[i].report != NULL)
			n++;
	return n;
}

size_t
report_input_nunreadable(const struct report_input *in)
{
	return in->nitems - report_input_nreports(in);
}

static struct report_input_item *
ri_item(struct report_input *in, const char *source)
{
	struct report_input_item *it;

	if (in->nitems == in->cap) {
		in->cap = in->cap == 0 ? 16 : in->cap * 2;
		in->items =
		    xreallocarray(in->items, in->cap, sizeof(*in->items));
	}
	it = &in->items[in->nitems++];
	memset(it, 0, sizeof(*it));
	it->source = xstrdup(source);
	it->findings = finding_list_new();
	return it;
}

void
report_input_add_path(struct report_input *in, const char *path)
{
	struct stat st;

	in->nfiles = 0;
	in->nentries = 0;
	in->entries_said = 0;
	in->nseen = 0;
	if (in->seen != NULL)
		memset(in->seen, 0, in->seencap * sizeof(*in->seen));
	free(in->root);
	in->root = NULL;
	if (stat(path, &st) != 0) {
		finding_add(ri_item(in, path)->findings,
		    FINDING_REPORT_UNREADABLE, path, 0, "cannot read: %s",
		    strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		/* The tree is what path names; links never lead out of it. */
		in->root = realpath(path, NULL);
		ri_seen(in, &st);
		ri_dir(in, path, 0);
	} else
		ri_file(in, path);
}

/*
 * Records a directory; 1 if this add_path had read it already.  An
 * open-addressing set (size a power of two, at most half full): a tree
 * of many directories stays linear.
 */
static int
ri_seen(struct report_input *in, const struct stat *st)
{
	struct ri_seen *old = in->seen;
	size_t		oldcap = in->seencap, i, h;

	if (in->nseen + 1 > in->seencap / 2) {
		in->seencap = oldcap == 0 ? 64 : oldcap * 2;
		in->seen = xcalloc(in->seencap, sizeof(*in->seen));
		in->nseen = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].used)
				ri_seen(in,
				    &(struct stat){ .st_dev = old[i].dev,
					.st_ino = old[i].ino });
		free(old);
	}
	h = ((size_t)st->st_ino * 0x9e3779b97f4a7c15ULL) ^ (size_t)st->st_dev;
	for (i = h & (in->seencap - 1); in->seen[i].used;
	     i = (i + 1) & (in->seencap - 1))
		if (in->seen[i].dev == st->st_dev &&
		    in->seen[i].ino == st->st_ino)
			return 1;
	in->seen[i].used = 1;
	in->seen[i].dev = st->st_dev;
	in->seen[i].ino = st->st_ino;
	in->nseen++;
	return 0;
}

/* Does path (a symbolic link) resolve inside the tree being read? */
static int
ri_inside(const struct report_input *in, const char *path)
{
	char  *real;
	size_t n;
	int    ok;

	if (in->root == NULL || (real = realpath(path, NULL)) == NULL)
		return 0;
	n = strlen(in->root);
	ok = strncmp(real, in->root, n) == 0 &&
	    (real[n] == '\0' || real[n] == '/' || strcmp(in->root, "/") == 0);
	free(real);
	return ok;
}

void
report_input_add_buffer(struct report_input *in, const void *buf, size_t len,
    const char *source)
{
	if (len > REPORT_INPUT_MAX_FILE) {
		finding_add(ri_item(in, source)->findings,
		    FINDING_REPORT_TOO_LARGE, source, 0,
		    "%zu bytes, more than the %d read", len,
		    REPORT_INPUT_MAX_FILE);
		return;
	}
	ri_bytes(in, buf, len, source);
}

static int
ri_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
ri_dir(struct report_input *in, const char *path, int depth)
{
	DIR	      *d;
	struct dirent *de;
	struct stat    st;
	char	     **names = NULL, *full;
	size_t	       n = 0, cap = 0, i;

	if (depth > REPORT_INPUT_MAX_DIR_DEPTH) {
		finding_add(ri_item(in, path)->findings,
		    FINDING_REPORT_TOO_LARGE, path, 0,
		    "directories nested "
		    "more than %d deep: not read",
		    REPORT_INPUT_MAX_DIR_DEPTH);
		return;
	}
	if ((d = opendir(path)) == NULL) {
		finding_add(ri_item(in, path)->findings,
		    FINDING_REPORT_UNREADABLE, path, 0,
		    "cannot read the "
		    "directory: %s",
		    strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (in->nentries >= REPORT_INPUT_MAX_ENTRIES) {
			if (!in->entries_said) {
				in->entries_said = 1;
				finding_add(ri_item(in, path)->findings,
				    FINDING_REPORT_TOO_LARGE, path, 0,
				    "more than %d directory entries: the "
				    "rest were not read",
				    REPORT_INPUT_MAX_ENTRIES);
			}
			break;
		}
		in->nentries++;
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	/* An empty directory leaves names NULL: qsort must not see it. */
	if (n > 1)
		qsort(names, n, sizeof(*names), ri_name_cmp);
	for (i = 0; i < n; i++) {
		full = xasprintf("%s%s%s", path,
		    ri_ends_with(path, "/") ? "" : "/", names[i]);
		if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode) &&
		    !ri_inside(in, full))
			finding_add(ri_item(in, full)->findings,
			    FINDING_REPORT_UNREADABLE, full, 0,
			    "a symbolic link leading out of the directory "
			    "given (or to nothing): not followed; give its "
			    "target as an argument to read it");
		else if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			/* Read once, however many links lead to it. */
			if (!ri_seen(in, &st))
				ri_dir(in, full, depth + 1);
		} else if (in->nfiles == REPORT_INPUT_MAX_FILES)
			finding_add(ri_item(in, full)->findings,
			    FINDING_REPORT_TOO_LARGE, full, 0,
			    "more than %d "
			    "files: the rest were not read",
			    REPORT_INPUT_MAX_FILES);
		else if (in->nfiles < REPORT_INPUT_MAX_FILES)
			ri_file(in, full);
		if (in->nfiles == REPORT_INPUT_MAX_FILES)
			in->nfiles++; /* say it once */
		free(full);
		free(names[i]);
	}
	free(names);
}

static void
ri_file(struct report_input *in, const char *path)
{
	struct stat    st;
	unsigned char *buf;
	size_t	       len = 0;
	ssize_t	       r;
	int	       fd;

	in->nfiles++;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		finding_add(ri_item(in, path)->findings,
		    FINDING_REPORT_UNREADABLE, path, 0, "cannot open: %s",
		    strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		finding_add(ri_item(in, path)->findings,
		    FINDING_REPORT_UNREADABLE, path, 0, "not a regular file");
		close(fd);
		return;
	}
	if (st.st_size > REPORT_INPUT_MAX_FILE) {
		finding_add(ri_item(in, path)->findings,
		    FINDING_REPORT_TOO_LARGE, path, 0,
		    "%lld bytes, more than "
		    "the %d read",
		    (long long)st.st_size, REPORT_INPUT_MAX_FILE);
		close(fd);
		return;
	}
	/* One byte more than the size, to see a file that grew meanwhile. */
	buf = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size + 1) {
		r = read(fd, buf + len, (size_t)st.st_size + 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			finding_add(ri_item(in, path)->findings,
			    FINDING_REPORT_UNREADABLE, path, 0,
			    "read error: "
			    "%s",
			    strerror(errno));
			free(buf);
			close(fd);
			return;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (len > (size_t)st.st_size)
		len = (size_t)st.st_size;
	ri_bytes(in, buf, len, path);
	free(buf);
}

/* Content sniffing: what the bytes are, whatever the name says. */
static void
ri_bytes(struct report_input *in, const unsigned char *p, size_t len,
    const char *source)
{
	size_t i = 0;

	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		ri_gzip(in, p, len, source, NULL, NULL);
		return;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace(p[i]))
		i++;
	if (i < len && (p[i] == '{' || p[i] == '[')) {
		ri_json(in, p, len, source, NULL, NULL);
		return;
	}
	if (len >= 5 && memcmp(p, "From ", 5) == 0) {
		ri_mbox(in, p, len, source);
		return;
	}
	if (ri_is_header_line(p, len)) {
		ri_message(in, p, len, source);
		return;
	}
	finding_add(ri_item(in, source)->findings, FINDING_REPORT_UNRECOGNISED,
	    source, 0,
	    len == 0 ? "the file is empty"
		     : "neither JSON, gzip "
		       "nor an e-mail message");
}

static void
ri_json(struct report_input *in, const unsigned char *p, size_t len,
    const char *source, const char *hdomain, const char *hsubmitter)
{
	struct report_input_item *it = ri_item(in, source);
	struct tlsrpt_report	 *r;
	size_t			  i;
	int			  match = 0, any = 0;

	/*
	 * Parsed reports are kept until the summary is made, at about 2.4
	 * times their size: the total is capped, not only each report.
	 */
	if (len > REPORT_INPUT_MAX_TOTAL - in->total) {
		finding_add(it->findings, FINDING_REPORT_TOO_LARGE, source, 0,
		    "%s%d MiB of reports read in this run, the most: "
		    "not read (summarise fewer at a time)",
		    in->total_said++ ? "after " : "the first reports reach ",
		    REPORT_INPUT_MAX_TOTAL / (1024 * 1024));
		return;
	}
	in->total += len;
	it->report = r = tlsrpt_report_parse(p, len, source, it->findings);
	if (hdomain != NULL)
		it->header_domain = xstrdup(hdomain);
	if (hsubmitter != NULL)
		it->header_submitter = xstrdup(hsubmitter);
	if (r == NULL || hdomain == NULL)
		return;
	/* RPT-DEL-6: the body is authoritative; say when they differ. */
	for (i = 0; i < r->npolicies; i++) {
		if (r->policies[i].domain == NULL)
			continue;
		any = 1;
		if (strcasecmp(r->policies[i].domain, hdomain) == 0)
			match = 1;
	}
	if (any && !match) {
		char *q = utf8_sanitize(hdomain, strlen(hdomain), 1);

		finding_add(it->findings, FINDING_REPORT_HEADER_MISMATCH,
		    source, 0,
		    "TLS-Report-Domain is %s but the report names "
		    "other policy domains",
		    q);
		free(q);
	}
}

char *
report_input_gunzip(const void *buf, size_t len, size_t max, size_t *outlen,
    int *toobig, char **cause)
{
	z_stream       z;
	unsigned char *out = NULL;
	size_t	       cap = 0, have = 0;
	int	       zr;

	*toobig = 0;
	*cause = NULL;
	*outlen = 0;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		*cause = xstrdup("cannot start zlib");
		return NULL;
	}
	z.next_in = (unsigned char *)(uintptr_t)buf;
	for (;;) {
		/* At most a chunk of input at a time (avail_in is uInt). */
		if (z.avail_in == 0) {
			size_t used =
			    (size_t)(z.next_in - (const unsigned char *)buf);
			size_t left = len - used;

			z.avail_in = (uInt)(left > RI_CHUNK ? RI_CHUNK : left);
		}
		if (have == cap) {
			if (cap >= max + 1) {
				*toobig = 1;
				*cause = xasprintf("decompresses to more than "
						   "%zu bytes: stopped there",
				    max);
				goto fail;
			}
			cap = cap == 0 ? RI_CHUNK : cap * 2;
			if (cap > max + 1)
				cap = max + 1;
			out = xreallocarray(out, cap, 1);
		}
		z.next_out = out + have;
		z.avail_out = (uInt)(cap - have);
		zr = inflate(&z, Z_NO_FLUSH);
		have = cap - z.avail_out;
		if (have > max) {
			*toobig = 1;
			*cause = xasprintf("decompresses to more than %zu "
					   "bytes: stopped there",
			    max);
			goto fail;
		}
		if (zr == Z_STREAM_END) {
			size_t used =
			    (size_t)(z.next_in - (const unsigned char *)buf);

			/* Another member follows (gzip allows several). */
			if (len - used >= 2 &&
			    ((const unsigned char *)buf)[used] == 0x1f &&
			    ((const unsigned char *)buf)[used + 1] == 0x8b) {
				inflateReset(&z);
				continue;
			}
			break;
		}
		if (zr == Z_BUF_ERROR && z.avail_in == 0 &&
		    (size_t)(z.next_in - (const unsigned char *)buf) == len) {
			*cause = xasprintf("the gzip data is truncated (%zu "
					   "bytes in, %zu out)",
			    len, have);
			goto fail;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			*cause = xasprintf("the gzip data is corrupt: %s",
			    z.msg != NULL ? z.msg : "zlib error");
			goto fail;
		}
		if (zr == Z_OK && z.avail_in == 0 &&
		    (size_t)(z.next_in - (const unsigned char *)buf) == len &&
		    z.avail_out != 0) {
			*cause = xasprintf("the gzip data is truncated (%zu "
					   "bytes in, %zu out)",
			    len, have);
			goto fail;
		}
	}
	inflateEnd(&z);
	*outlen = have;
	out = xreallocarray(out, have + 1, 1);
	out[have] = '\0';
	return (char *)out;
fail:
	inflateEnd(&z);
	free(out);
	return NULL;
}

static void
ri_gzip(struct report_input *in, const unsigned char *p, size_t len,
    const char *source, const char *hdomain, const char *hsubmitter)
{
	char  *out, *cause;
	size_t outlen;
	int    toobig;

	out = report_input_gunzip(p, len, TLSRPT_REPORT_MAX_BYTES, &outlen,
	    &toobig, &cause);
	if (out == NULL) {
		finding_add(ri_item(in, source)->findings,
		    toobig ? FINDING_REPORT_TOO_LARGE
			   : FINDING_REPORT_DECOMPRESS,
		    source, 0, "%s", cause);
		free(cause);
		return;
	}
	ri_json(in, (unsigned char *)out, outlen, source, hdomain, hsubmitter);
	free(out);
}

/* "Name:" with a printable name at the start: an RFC 5322 field. */
static int
ri_is_header_line(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 1000; i++) {
		if (p[i] == ':')
			return i > 0;
		if (p[i] <= 32 || p[i] >= 127)
			return 0;
	}
	return 0;
}

/*
 * Messages of an mbox start at "From " at the start of the file or after
 * an empty line (mboxo/mboxrd; >From quoting does not matter to base64).
 */
static void
ri_mbox(struct report_input *in, const unsigned char *p, size_t len,
    const char *source)
{
	const unsigned char *start, *next, *end = p + len, *nl;
	size_t		     nmsg = 0;
	char		    *src;

	start = p;
	while (start < end) {
		/* Skip the "From " line itself. */
		nl = memchr(start, '\n', (size_t)(end - start));
		if (nl == NULL) {
			/* A "From " line alone: an mbox with no message is
			 * still an input, with a finding, never silence. */
			if (nmsg == 0)
				finding_add(ri_item(in, source)->findings,
				    FINDING_REPORT_MIME, source, 0,
				    "an mbox \"From \" line with no message "
				    "after it");
			break;
		}
		next = nl + 1;
		for (;;) {
			next = ri_find_line(next, (size_t)(end - next), "From ",
			    5, NULL);
			if (next == NULL ||
			    (next >= p + 2 &&
				(next[-2] == '\n' ||
				    (next[-2] == '\r' && next >= p + 3 &&
					next[-3] == '\n'))))
				break;
			next = memchr(next, '\n', (size_t)(end - next));
			if (next == NULL)
				break;
			next++;
		}
		if (++nmsg > REPORT_INPUT_MAX_MESSAGES) {
			finding_add(ri_item(in, source)->findings,
			    FINDING_REPORT_TOO_LARGE, source, 0,
			    "more than %d "
			    "messages: the rest were not read",
			    REPORT_INPUT_MAX_MESSAGES);
			return;
		}
		src = xasprintf("%s: message %zu", source, nmsg);
		ri_message(in, nl + 1,
		    (size_t)((next != NULL ? next : end) - (nl + 1)), src);
		free(src);
		if (next == NULL)
			break;
		start = next;
	}
}

/*
 * Finds the first line starting with pat at or after p; returns its start
 * or NULL.  With endlen set, stores the line length without the ending.
 */
static const unsigned char *
ri_find_line(const unsigned char *p, size_t len, const char *pat, size_t patlen,
    size_t *linelen)
{
	const unsigned char *end = p + len, *q = p, *nl;

	while (q < end) {
		nl = memchr(q, '\n', (size_t)(end - q));
		if ((size_t)(end - q) >= patlen &&
		    memcmp(q, pat, patlen) == 0) {
			if (linelen != NULL) {
				*linelen =
				    (size_t)((nl != NULL ? nl : end) - q);
				if (*linelen > 0 && q[*linelen - 1] == '\r')
					(*linelen)--;
			}
			return q;
		}
		if (nl == NULL)
			break;
		q = nl + 1;
	}
	return NULL;
}

/*
 * The fields the walk reads; only their first occurrence is kept.  Keeping
 * every field up to a count lost Content-Type behind 100,000 junk fields
 * where GMime read the report (scripts/bench-mime.sh).
 */
static const char *const ri_fields[] = {
	"Content-Type",
	"Content-Transfer-Encoding",
	"Content-Disposition",
	"TLS-Report-Domain",
	"TLS-Report-Submitter",
};
#define RI_NFIELDS (sizeof(ri_fields) / sizeof(ri_fields[0]))

/* Stores the unfolded field in sb when the walk reads it. */
static void
ri_header_keep(struct ri_headers *hs, const struct strbuf *sb)
{
	const char *colon;
	char	   *name;
	size_t	    i;

	if (sb->len == 0 || sb->toobig ||
	    (colon = memchr(sb->data, ':', sb->len)) == NULL)
		return;
	name = ri_trim(sb->data, (size_t)(colon - sb->data));
	for (i = 0; i < RI_NFIELDS; i++)
		if (strcasecmp(name, ri_fields[i]) == 0)
			break;
	if (i == RI_NFIELDS || ri_header_get(hs, name) != NULL ||
	    hs->n >= RI_MAX_HEADERS) {
		free(name);
		return;
	}
	hs->h[hs->n].name = name;
	hs->h[hs->n].value =
	    ri_trim(colon + 1, sb->len - (size_t)(colon + 1 - sb->data));
	hs->n++;
}

/*
 * Parses the header block at p; returns the offset of the body (after the
 * empty line, or len when there is none).  Folded lines are joined.
 */
static size_t
ri_parse_headers(const unsigned char *p, size_t len, struct ri_headers *hs)
{
	struct strbuf sb;
	size_t	      i = 0, ls, le, next;

	hs->n = 0;
	strbuf_init(&sb, REPORT_INPUT_MAX_HEADER);
	while (i < len) {
		ls = i;
		while (i < len && p[i] != '\n')
			i++;
		le = i;
		next = i < len ? i + 1 : i;
		if (le > ls && p[le - 1] == '\r')
			le--;
		if (le == ls) { /* the empty line */
			i = next;
			break;
		}
		if ((p[ls] == ' ' || p[ls] == '\t') && sb.len > 0) {
			strbuf_addc(&sb, ' ');
			strbuf_add(&sb, p + ls, le - ls);
		} else {
			ri_header_keep(hs, &sb);
			strbuf_reset(&sb);
			if (memchr(p + ls, ':', le - ls) != NULL)
				strbuf_add(&sb, p + ls, le - ls);
		}
		i = next;
	}
	ri_header_keep(hs, &sb);
	strbuf_free(&sb);
	return i;
}

static void
ri_headers_free(struct ri_headers *hs)
{
	size_t i;

	for (i = 0; i < hs->n; i++) {
		free(hs->h[i].name);
		free(hs->h[i].value);
	}
	hs->n = 0;
}

static const char *
ri_header_get(const struct ri_headers *hs, const char *name)
{
	size_t i;

	for (i = 0; i < hs->n; i++)
		if (strcasecmp(hs->h[i].name, name) == 0)
			return hs->h[i].value;
	return NULL;
}

/* A copy of s[0..len) without surrounding white space. */
static char *
ri_trim(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* "type/subtype" of a Content-Type value, lower case. */
static char *
ri_media_type(const char *v)
{
	size_t n = strcspn(v, ";");
	char  *t = ri_trim(v, n), *c;

	for (c = t; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	return t;
}

/* The value of parameter name in a header value (quotes removed). */
static char *
ri_param(const char *v, const char *name)
{
	const char   *p = strchr(v, ';'), *s;
	size_t	      n = strlen(name);
	struct strbuf sb;

	while (p != NULL) {
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (strncasecmp(p, name, n) == 0) {
			s = p + n;
			while (isspace((unsigned char)*s))
				s++;
			if (*s == '=') {
				s++;
				while (isspace((unsigned char)*s))
					s++;
				strbuf_init(&sb, 1024);
				if (*s == '"') {
					for (s++; *s != '\0' && *s != '"';
					     s++) {
						if (*s == '\\' && s[1] != '\0')
							s++;
						strbuf_addc(&sb, *s);
					}
				} else
					strbuf_add(&sb, s, strcspn(s, "; \t"));
				return strbuf_detach(&sb, NULL);
			}
		}
		/* Skip to the next ';' outside quotes. */
		for (s = p; *s != '\0' && *s != ';'; s++) {
			if (*s != '"')
				continue;
			for (s++; *s != '\0' && *s != '"'; s++)
				if (*s == '\\' && s[1] != '\0')
					s++;
			if (*s == '\0')
				break;
		}
		p = *s == ';' ? s : NULL;
	}
	return NULL;
}

static int
ri_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static int
ri_b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Base64.  Bytes outside the alphabet are skipped and counted in *stray,
 * as RFC 2045 section 6.8 says (and GMime does: a report we refused and it
 * read, scripts/bench-mime.sh); a corrupt report still fails its gzip CRC
 * or JSON.  Data after the '=' padding is broken: NULL.
 */
static char *
ri_base64(const unsigned char *p, size_t len, size_t *outlen, size_t *stray)
{
	unsigned char *out = xmalloc(len / 4 * 3 + 4);
	size_t	       i, o = 0;
	unsigned       acc = 0;
	int	       bits = 0, v, pad = 0;

	*stray = 0;
	for (i = 0; i < len; i++) {
		if (isspace(p[i]))
			continue;
		if (p[i] == '=') {
			pad = 1;
			continue;
		}
		if ((v = ri_b64val(p[i])) < 0) {
			(*stray)++;
			continue;
		}
		if (pad) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	*outlen = o;
	return (char *)out;
}

static int
ri_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Quoted-printable; a malformed escape is kept as written (lenient). */
static char *
ri_qp(const unsigned char *p, size_t len, size_t *outlen)
{
	unsigned char *out = xmalloc(len + 1);
	size_t	       i, o = 0, j;
	int	       h, l;

	for (i = 0; i < len; i++) {
		if (p[i] != '=') {
			out[o++] = p[i];
			continue;
		}
		/* Soft line break: '=' then optional blanks then EOL. */
		for (j = i + 1; j < len && (p[j] == ' ' || p[j] == '\t'); j++)
			;
		if (j < len && (p[j] == '\n' || p[j] == '\r')) {
			if (p[j] == '\r' && j + 1 < len && p[j + 1] == '\n')
				j++;
			i = j;
			continue;
		}
		if (j == len) {
			i = j;
			continue;
		}
		if (i + 2 < len && (h = ri_hexval(p[i + 1])) >= 0 &&
		    (l = ri_hexval(p[i + 2])) >= 0) {
			out[o++] = (unsigned char)(h * 16 + l);
			i += 2;
		} else
			out[o++] = p[i];
	}
	*outlen = o;
	return (char *)out;
}

static void
ri_message(struct report_input *in, const unsigned char *p, size_t len,
    const char *source)
{
	struct ri_headers *hs = xcalloc(1, sizeof(*hs));
	struct ri_msg	   m;

	memset(&m, 0, sizeof(m));
	m.in = in;
	m.source = source;
	ri_parse_headers(p, len, hs);
	m.hdomain = ri_header_get(hs, "TLS-Report-Domain");
	m.hsubmitter = ri_header_get(hs, "TLS-Report-Submitter");
	ri_entity(&m, p, len, 0);
	if (m.nfound == 0)
		finding_add(ri_item(in, source)->findings, FINDING_REPORT_MIME,
		    source, 0,
		    m.too_deep
			? "MIME parts nested too deep or "
			  "too many: no report part read"
			: "no TLS-RPT report part "
			  "(application/tlsrpt+json or application/tlsrpt+gzip)");
	ri_headers_free(hs);
	free(hs);
}

/* One MIME entity (the message itself or a part): headers, then body. */
static void
ri_entity(struct ri_msg *m, const unsigned char *p, size_t len, int depth)
{
	struct ri_headers   *hs;
	const unsigned char *body, *q, *end, *b, *next;
	const char	    *ct, *cte, *cd;
	char		    *type = NULL, *bnd = NULL, *fname = NULL;
	char		    *dec = NULL, *src, *delim;
	size_t		     off, blen, dlen, declen, ll, stray = 0;
	int		     known, lenient = 0;

	if (depth > REPORT_INPUT_MAX_MIME_DEPTH ||
	    m->nparts >= REPORT_INPUT_MAX_PARTS) {
		m->too_deep = 1;
		return;
	}
	hs = xcalloc(1, sizeof(*hs));
	off = ri_parse_headers(p, len, hs);
	body = p + off;
	blen = len - off;
	ct = ri_header_get(hs, "Content-Type");
	type = ri_media_type(ct != NULL ? ct : "text/plain");

	if (strncmp(type, "multipart/", 10) == 0) {
		if ((bnd = ri_param(ct, "boundary")) == NULL || *bnd == '\0')
			goto done;
		delim = xasprintf("--%s", bnd);
		dlen = strlen(delim);
		end = body + blen;
		/* Parts lie between delimiter lines; no preamble. */
		q = ri_find_line(body, blen, delim, dlen, &ll);
		while (q != NULL && m->nparts < REPORT_INPUT_MAX_PARTS) {
			if (ll >= dlen + 2 && q[dlen] == '-' &&
			    q[dlen + 1] == '-')
				break; /* the close delimiter */
			b = memchr(q, '\n', (size_t)(end - q));
			if (b == NULL)
				break;
			b++;
			next = ri_find_line(b, (size_t)(end - b), delim, dlen,
			    &ll);
			/* The break before a delimiter is not content. */
			off = (size_t)((next != NULL ? next : end) - b);
			if (next != NULL && off > 0 && b[off - 1] == '\n')
				off--;
			if (next != NULL && off > 0 && b[off - 1] == '\r')
				off--;
			ri_entity(m, b, off, depth + 1);
			q = next;
		}
		free(delim);
		goto done;
	}
	m->nparts++;
	cd = ri_header_get(hs, "Content-Disposition");
	if (cd != NULL)
		fname = ri_param(cd, "filename");
	if (fname == NULL && ct != NULL)
		fname = ri_param(ct, "name");
	known = strcmp(type, "application/tlsrpt+json") == 0 ||
	    strcmp(type, "application/tlsrpt+gzip") == 0;
	if (!known &&
	    (strcmp(type, "application/tlsrpt") == 0 ||
		(fname != NULL &&
		    (ri_ends_with(fname, ".json") ||
			ri_ends_with(fname, ".json.gz")))))
		lenient = 1;
	if (!known && !lenient)
		goto done;

	m->nfound++;
	src = m->nfound == 1 ? xstrdup(m->source)
			     : xasprintf("%s: part %zu", m->source, m->nparts);
	cte = ri_header_get(hs, "Content-Transfer-Encoding");
	if (cte != NULL && strcasecmp(cte, "base64") == 0) {
		if ((dec = ri_base64(body, blen, &declen, &stray)) == NULL) {
			finding_add(ri_item(m->in, src)->findings,
			    FINDING_REPORT_MIME, src, 0,
			    "the base64 "
			    "encoding of the report part is broken");
			free(src);
			goto done;
		}
	} else if (cte != NULL && strcasecmp(cte, "quoted-printable") == 0)
		dec = ri_qp(body, blen, &declen);
	else {
		dec = xmalloc(blen + 1);
		memcpy(dec, body, blen);
		declen = blen;
	}
	if (declen >= 2 && (unsigned char)dec[0] == 0x1f &&
	    (unsigned char)dec[1] == 0x8b)
		ri_gzip(m->in, (unsigned char *)dec, declen, src, m->hdomain,
		    m->hsubmitter);
	else
		ri_json(m->in, (unsigned char *)dec, declen, src, m->hdomain,
		    m->hsubmitter);
	if (stray > 0)
		finding_add(m->in->items[m->in->nitems - 1].findings,
		    FINDING_REPORT_LENIENT, src, 0,
		    "%zu byte%s outside the base64 alphabet in the report "
		    "part, skipped (RFC 2045 section 6.8)",
		    stray, stray == 1 ? "" : "s");
	if (lenient) {
		char *q2 = utf8_sanitize(type, strlen(type), 1);

		finding_add(m->in->items[m->in->nitems - 1].findings,
		    FINDING_REPORT_LENIENT, src, 0,
		    "the report part is %s, "
		    "not application/tlsrpt+json or +gzip",
		    q2);
		free(q2);
	}
	free(src);
done:
	free(dec);
	free(fname);
	free(bnd);
	free(type);
	ri_headers_free(hs);
	free(hs);
}
