#include "config.h"
#include "report_imap.h"

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "file_out.h"
#include "report_input.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

/* A connection: the handle, its socket, what was read and not used yet. */
struct ri_conn {
	CURL		    *curl;
	curl_socket_t	     fd;
	struct timespec	     deadline;
	long		     timeout_ms;
	unsigned	     tag;
	unsigned char	    *buf;
	size_t		     off, len;
	char		    *cause;
	const char	    *what;   /* the URL without user, for messages */
	const unsigned char *replay; /* curl NULL: the server's bytes */
	size_t		     replay_len;
};

/* What a command's responses said that we use. */
struct ri_resp {
	int	  ok;	/* tagged OK */
	char	 *text; /* the tagged line, for errors */
	uint32_t  uidvalidity;
	uint32_t *uids;
	size_t	  nuids, cap;
	uint64_t  size; /* RFC822.SIZE, UINT64_MAX when absent */
	char	 *literal;
	size_t	  literal_len;
	int	  have_literal;
};

static struct report_imap_opts ri_defaults;

static void ri_deadline_set(struct ri_conn *);
static int  ri_wait(struct ri_conn *, int);
static int  ri_fill(struct ri_conn *);
static int  ri_line(struct ri_conn *, struct strbuf *);
static int  ri_take(struct ri_conn *, char *, size_t);
static int  ri_send(struct ri_conn *, const char *);
static int ri_command(struct ri_conn *, const char *, size_t, struct ri_resp *);
static void  ri_untagged(const char *, struct ri_resp *);
static void  ri_push(uint32_t **, size_t *, size_t *, uint32_t);
static void  ri_resp_free(struct ri_resp *);
static char *ri_password(const struct report_imap_opts *, char **);
static char *ri_state_path(const struct report_imap_opts *, const char *,
    const char *, const char *, const char *);
static void  ri_state_load(const char *, uint32_t *, uint32_t **, size_t *);
static int   ri_state_save(const char *, uint32_t, const uint32_t *, size_t,
      char **);
static int   ri_uid_cmp(const void *, const void *);
static int   ri_has(const uint32_t *, size_t, uint32_t);

int
report_imap_is_url(const char *s)
{
	return strncasecmp(s, "imap://", 7) == 0 ||
	    strncasecmp(s, "imaps://", 8) == 0;
}

void
report_imap_set_defaults(const struct report_imap_opts *o)
{
	ri_defaults = *o;
}

const struct report_imap_opts *
report_imap_defaults(void)
{
	return &ri_defaults;
}

int
report_source_add(struct report_input *in, const char *path, char **cause)
{
	struct report_imap_opts o;

	if (!report_imap_is_url(path)) {
		report_input_add_path(in, path);
		return 0;
	}
	o = ri_defaults;
	o.update_state = 0; /* a gate needs every report, not the new ones */
	if (report_imap_read(in, path, &o, NULL, cause) != 0) {
		if (o.note != NULL)
			o.note(*cause, o.arg);
		return -1;
	}
	return 0;
}

static void
ri_deadline_set(struct ri_conn *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->deadline);
	c->deadline.tv_sec += c->timeout_ms / 1000;
	c->deadline.tv_nsec += (c->timeout_ms % 1000) * 1000000L;
	if (c->deadline.tv_nsec >= 1000000000L) {
		c->deadline.tv_sec++;
		c->deadline.tv_nsec -= 1000000000L;
	}
}

/* Waits for the socket (POLLIN or POLLOUT) until the deadline. */
static int
ri_wait(struct ri_conn *c, int events)
{
	struct timespec now;
	struct pollfd	pfd;
	long		ms;
	int		n;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (c->deadline.tv_sec - now.tv_sec) * 1000 +
		    (c->deadline.tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0) {
			c->cause = xasprintf("%s: no answer within %ld ms",
			    c->what, c->timeout_ms);
			return -1;
		}
		pfd.fd = c->fd;
		pfd.events = (short)events;
		pfd.revents = 0;
		n = poll(&pfd, 1, ms > INT_MAX ? INT_MAX : (int)ms);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR) {
			c->cause =
			    xasprintf("%s: poll: %s", c->what, strerror(errno));
			return -1;
		}
	}
}

/* Reads more bytes into the buffer (which keeps what is unused). */
static int
ri_fill(struct ri_conn *c)
{
	CURLcode rc;
	size_t	 n;

	if (c->off > 0) {
		memmove(c->buf, c->buf + c->off, c->len - c->off);
		c->len -= c->off;
		c->off = 0;
	}
	if (c->curl == NULL) {
		/* Replay: the recorded bytes are all the server says. */
		n = c->replay_len < 65536 - c->len ? c->replay_len
						   : 65536 - c->len;
		if (n == 0) {
			c->cause = xasprintf("%s: the server closed the "
					     "connection",
			    c->what);
			return -1;
		}
		memcpy(c->buf + c->len, c->replay, n);
		c->replay += n;
		c->replay_len -= n;
		c->len += n;
		return 0;
	}
	for (;;) {
		/* TLS may hold decrypted bytes: try before polling. */
		rc = curl_easy_recv(c->curl, c->buf + c->len, 65536 - c->len,
		    &n);
		if (rc == CURLE_OK) {
			if (n == 0) {
				c->cause = xasprintf("%s: the server closed "
						     "the connection",
				    c->what);
				return -1;
			}
			c->len += n;
			return 0;
		}
		if (rc != CURLE_AGAIN) {
			c->cause = xasprintf("%s: %s", c->what,
			    curl_easy_strerror(rc));
			return -1;
		}
		if (ri_wait(c, POLLIN) != 0)
			return -1;
	}
}

/* One response line without its CRLF, at most REPORT_IMAP_MAX_LINE. */
static int
ri_line(struct ri_conn *c, struct strbuf *sb)
{
	unsigned char *nl;

	strbuf_reset(sb);
	for (;;) {
		nl = c->off < c->len
		    ? memchr(c->buf + c->off, '\n', c->len - c->off)
		    : NULL;
		if (nl != NULL) {
			size_t n = (size_t)(nl - (c->buf + c->off));

			if (strbuf_add(sb, c->buf + c->off, n) != 0)
				goto toolong;
			c->off += n + 1;
			if (sb->len > 0 && sb->data[sb->len - 1] == '\r')
				sb->data[--sb->len] = '\0';
			if (sb->data == NULL)
				strbuf_addstr(sb, "");
			return 0;
		}
		if (strbuf_add(sb, c->buf + c->off, c->len - c->off) != 0)
			goto toolong;
		c->off = c->len;
		if (ri_fill(c) != 0)
			return -1;
	}
toolong:
	c->cause = xasprintf("%s: a response line longer than %d bytes",
	    c->what, REPORT_IMAP_MAX_LINE);
	return -1;
}

/* Exactly n bytes of a literal into p. */
static int
ri_take(struct ri_conn *c, char *p, size_t n)
{
	size_t k;

	while (n > 0) {
		if (c->off == c->len && ri_fill(c) != 0)
			return -1;
		k = c->len - c->off < n ? c->len - c->off : n;
		memcpy(p, c->buf + c->off, k);
		c->off += k;
		p += k;
		n -= k;
	}
	return 0;
}

static int
ri_send(struct ri_conn *c, const char *s)
{
	size_t	 len = strlen(s), n;
	CURLcode rc;

	if (c->curl == NULL)
		return 0; /* replay: nobody listens */
	while (len > 0) {
		rc = curl_easy_send(c->curl, s, len, &n);
		if (rc == CURLE_AGAIN) {
			if (ri_wait(c, POLLOUT) != 0)
				return -1;
			continue;
		}
		if (rc != CURLE_OK) {
			c->cause = xasprintf("%s: %s", c->what,
			    curl_easy_strerror(rc));
			return -1;
		}
		s += n;
		len -= n;
	}
	return 0;
}

/*
 * Sends one tagged command and reads to its tagged answer.  A literal
 * ({N} at the end of a line) is read into r->literal when N <= max,
 * otherwise the connection is given up (we asked for the size first, so
 * only a lying server gets there).
 */
static int
ri_command(struct ri_conn *c, const char *cmd, size_t max, struct ri_resp *r)
{
	struct strbuf sb;
	char	      tag[16], *line;
	size_t	      tlen;
	int	      rv = -1;

	memset(r, 0, sizeof(*r));
	r->size = UINT64_MAX;
	snprintf(tag, sizeof(tag), "m%u", ++c->tag);
	tlen = strlen(tag);
	ri_deadline_set(c);
	line = xasprintf("%s %s\r\n", tag, cmd);
	if (ri_send(c, line) != 0) {
		free(line);
		return -1;
	}
	free(line);
	strbuf_init(&sb, REPORT_IMAP_MAX_LINE);
	for (;;) {
		if (ri_line(c, &sb) != 0)
			goto out;
		if (strncmp(sb.data, tag, tlen) == 0 && sb.data[tlen] == ' ') {
			r->ok = strncasecmp(sb.data + tlen + 1, "OK", 2) == 0;
			r->text = xstrdup(sb.data + tlen + 1);
			rv = 0;
			goto out;
		}
		if (sb.data[0] != '*')
			continue; /* "+" continuations: none asked for */
		ri_untagged(sb.data, r);
		/* A literal: "... {N}" closes the line, N bytes follow. */
		if (sb.len > 2 && sb.data[sb.len - 1] == '}') {
			char		  *open = strrchr(sb.data, '{'), *end;
			unsigned long long n;

			if (open == NULL)
				continue;
			errno = 0;
			n = strtoull(open + 1, &end, 10);
			if (errno != 0 || *end != '}' || end == open + 1) {
				c->cause = xasprintf("%s: a bad literal "
						     "length",
				    c->what);
				goto out;
			}
			if (n > max || r->have_literal) {
				c->cause = xasprintf("%s: the server sent "
						     "%llu bytes, over the "
						     "cap of %zu",
				    c->what, n, max);
				goto out;
			}
			r->literal = xmalloc((size_t)n + 1);
			if (ri_take(c, r->literal, (size_t)n) != 0)
				goto out;
			r->literal[n] = '\0';
			r->literal_len = (size_t)n;
			r->have_literal = 1;
			/* The rest of the response (")") follows as a line. */
		}
	}
out:
	strbuf_free(&sb);
	return rv;
}

/* Appends to a UID array, doubling: a million UIDs is 20 reallocations. */
static void
ri_push(uint32_t **v, size_t *n, size_t *cap, uint32_t uid)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 64 : *cap * 2;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = uid;
}

/* The untagged answers we use: UIDVALIDITY, SEARCH, RFC822.SIZE. */
static void
ri_untagged(const char *s, struct ri_resp *r)
{
	const char	  *p;
	char		  *end;
	unsigned long long v;

	if ((p = strstr(s, "[UIDVALIDITY ")) != NULL) {
		v = strtoull(p + 13, &end, 10);
		if (*end == ']' && v > 0 && v <= UINT32_MAX)
			r->uidvalidity = (uint32_t)v;
	}
	if (strncasecmp(s, "* SEARCH", 8) == 0 &&
	    (s[8] == ' ' || s[8] == '\0')) {
		p = s + 8;
		while (*p == ' ') {
			p++;
			errno = 0;
			v = strtoull(p, &end, 10);
			if (end == p || errno != 0 || v == 0 || v > UINT32_MAX)
				break;
			if (r->nuids >= REPORT_IMAP_MAX_UIDS)
				break;
			ri_push(&r->uids, &r->nuids, &r->cap, (uint32_t)v);
			p = end;
		}
	}
	if ((p = strstr(s, "RFC822.SIZE ")) != NULL) {
		errno = 0;
		v = strtoull(p + 12, &end, 10);
		if (end != p + 12 && errno == 0)
			r->size = v;
	}
}

static void
ri_resp_free(struct ri_resp *r)
{
	free(r->text);
	free(r->uids);
	free(r->literal);
	memset(r, 0, sizeof(*r));
}

static char *
ri_password(const struct report_imap_opts *o, char **cause)
{
	FILE	   *f;
	char	    line[1024];
	const char *e;
	size_t	    n;

	if (o->password_file != NULL) {
		if ((f = fopen(o->password_file, "r")) == NULL) {
			*cause = xasprintf("%s: %s", o->password_file,
			    strerror(errno));
			return NULL;
		}
		if (fgets(line, sizeof(line), f) == NULL)
			line[0] = '\0';
		fclose(f);
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (n == 0) {
			*cause = xasprintf("%s: no password on its first line",
			    o->password_file);
			return NULL;
		}
		return xstrdup(line);
	}
	if ((e = getenv(REPORT_IMAP_PASSWORD_ENV)) != NULL && *e != '\0')
		return xstrdup(e);
	return NULL; /* libcurl reads ~/.netrc */
}

/* Returns the state file of one mailbox; every unsafe byte is escaped. */
static char *
ri_state_path(const struct report_imap_opts *o, const char *user,
    const char *host, const char *port, const char *mbox)
{
	struct strbuf sb;
	const char   *x, *home, *p;
	char	     *name, *path;

	strbuf_init(&sb, 4096);
	strbuf_addf(&sb, "%s@%s:%s/%s", user, host, port, mbox);
	strbuf_addstr(&sb, "");
	name = strbuf_detach(&sb, NULL);
	strbuf_init(&sb, 16384);
	for (p = name; *p != '\0'; p++) {
		if (isalnum((unsigned char)*p) || strchr("@.-:", *p) != NULL)
			strbuf_addc(&sb, *p);
		else
			strbuf_addf(&sb, "%%%02X", (unsigned char)*p);
	}
	strbuf_addstr(&sb, "");
	free(name);
	name = strbuf_detach(&sb, NULL);
	if (o->state_dir != NULL)
		path = xasprintf("%s/imap/%s", o->state_dir, name);
	else if ((x = getenv("XDG_STATE_HOME")) != NULL && *x == '/')
		path = xasprintf("%s/mtasts-tui/imap/%s", x, name);
	else {
		if ((home = getenv("HOME")) == NULL || *home == '\0')
			home = ".";
		path =
		    xasprintf("%s/.local/state/mtasts-tui/imap/%s", home, name);
	}
	free(name);
	return path;
}

/* "uidvalidity N" then one UID a line; anything unreadable: no state. */
static void
ri_state_load(const char *path, uint32_t *uidvalidity, uint32_t **uids,
    size_t *n)
{
	FILE		  *f;
	char		   line[64], *end;
	unsigned long long v;
	size_t		   cap = 0;

	*uidvalidity = 0;
	*uids = NULL;
	*n = 0;
	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fgets(line, sizeof(line), f) == NULL ||
	    strncmp(line, "uidvalidity ", 12) != 0 ||
	    (v = strtoull(line + 12, &end, 10)) == 0 || v > UINT32_MAX) {
		fclose(f);
		return;
	}
	*uidvalidity = (uint32_t)v;
	while (*n < REPORT_IMAP_MAX_UIDS && fgets(line, sizeof(line), f)) {
		v = strtoull(line, &end, 10);
		if (end == line || v == 0 || v > UINT32_MAX)
			continue;
		ri_push(uids, n, &cap, (uint32_t)v);
	}
	fclose(f);
	if (*n > 0)
		qsort(*uids, *n, sizeof(**uids), ri_uid_cmp);
}

static int
ri_state_save(const char *path, uint32_t uidvalidity, const uint32_t *uids,
    size_t n, char **cause)
{
	struct strbuf sb;
	char	     *dir, *slash, *data;
	size_t	      i, len;
	int	      rv;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if (file_out_mkdirs(dir, 0700, cause) != 0) {
			free(dir);
			return -1;
		}
	}
	free(dir);
	strbuf_init(&sb, (size_t)-1 / 2);
	strbuf_addf(&sb, "uidvalidity %" PRIu32 "\n", uidvalidity);
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%" PRIu32 "\n", uids[i]);
	data = strbuf_detach(&sb, &len);
	rv = file_out_write(path, data, len, 1, cause);
	free(data);
	return rv;
}

static int
ri_uid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
ri_has(const uint32_t *v, size_t n, uint32_t uid)
{
	return n > 0 && bsearch(&uid, v, n, sizeof(*v), ri_uid_cmp) != NULL;
}

/* Modified base64 (RFC 3501 section 5.1.3): ',' where base64 has '/'. */
static const char ri_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static void
ri_flush16(struct strbuf *sb, const uint16_t *u, size_t n)
{
	uint32_t bits = 0;
	int	 nbits = 0;
	size_t	 i;

	strbuf_addc(sb, '&');
	for (i = 0; i < n; i++) {
		bits = (bits << 16) | u[i];
		nbits += 16;
		while (nbits >= 6) {
			nbits -= 6;
			strbuf_addc(sb, ri_b64[(bits >> nbits) & 0x3f]);
		}
		bits &= (1u << nbits) - 1;
	}
	if (nbits > 0)
		strbuf_addc(sb, ri_b64[(bits << (6 - nbits)) & 0x3f]);
	strbuf_addc(sb, '-');
}

/*
 * A mailbox name as IMAP wants it: UTF-8 to modified UTF-7 (printable
 * ASCII as is, '&' as "&-", the rest UTF-16 in modified base64), so
 * imaps://host/Berichte/%C3%9Cbersicht opens "Berichte/&ANw-bersicht".
 * NULL when the name is not UTF-8.
 */
static char *
ri_mutf7(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	struct strbuf	     sb;
	uint16_t	     u[512];
	size_t		     nu = 0;
	uint32_t	     cp;
	int		     k, i;

	if (!utf8_is_valid(name, strlen(name)))
		return NULL;
	strbuf_init(&sb, 65536);
	while (*p != '\0') {
		if (*p >= 0x20 && *p < 0x7f) {
			if (nu > 0) {
				ri_flush16(&sb, u, nu);
				nu = 0;
			}
			if (*p == '&')
				strbuf_addstr(&sb, "&-");
			else
				strbuf_addc(&sb, (char)*p);
			p++;
			continue;
		}
		/* Valid UTF-8 (checked above): its length from the lead. */
		k = *p < 0x80 ? 0 : *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
		cp = k == 0 ? *p : *p & (0x3f >> k);
		for (i = 1; i <= k; i++)
			cp = (cp << 6) | (p[i] & 0x3f);
		p += k + 1;
		if (nu + 2 > sizeof(u) / sizeof(u[0])) {
			ri_flush16(&sb, u, nu);
			nu = 0;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			u[nu++] = (uint16_t)(0xd800 | (cp >> 10));
			u[nu++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
		} else
			u[nu++] = (uint16_t)cp;
	}
	if (nu > 0)
		ri_flush16(&sb, u, nu);
	strbuf_addstr(&sb, "");
	return strbuf_detach(&sb, NULL);
}

/* An IMAP quoted string: the mailbox name, with " and \ escaped. */
static char *
ri_quote(const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb, 4096);
	strbuf_addc(&sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addc(&sb, '\\');
		strbuf_addc(&sb, *s);
	}
	strbuf_addc(&sb, '"');
	return strbuf_detach(&sb, NULL);
}

static void
ri_progress(const struct report_imap_opts *o, const struct timespec *t0,
    size_t i, size_t n, int *shown)
{
	struct timespec now;

	if (o->progress == NULL)
		return;
	if (i == n) {
		if (*shown)
			o->progress(n, n, o->arg);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!*shown && now.tv_sec - t0->tv_sec < 1)
		return;
	o->progress(i, n, o->arg);
	*shown = 1;
}

/*
 * The commands after the login, on a connection or (c->curl NULL) on
 * recorded server bytes; state is the state file or NULL.
 */
static int
ri_run(struct ri_conn *c, struct report_input *in,
    const struct report_imap_opts *o, const char *mbox, const char *base,
    const char *state, size_t *nnew, char **cause)
{
	struct ri_resp	r;
	struct timespec t0;
	char	       *q, *cmd, *src;
	uint32_t  validity = 0, server_validity, *seen = NULL, *done = NULL;
	uint32_t *uids = NULL, *kept = NULL;
	size_t	  nseen = 0, ndone = 0, nuids = 0, nkept = 0, i, max;
	size_t	  nread = 0, done_cap = 0;
	int	  rv = -1, shown = 0;

	memset(&r, 0, sizeof(r));
	max = o->max_message != 0 ? o->max_message : REPORT_IMAP_MAX_MESSAGE;
	if ((q = ri_mutf7(mbox)) == NULL) {
		*cause = xasprintf("%s: the mailbox name is not UTF-8", base);
		goto out;
	}
	cmd = ri_quote(q);
	free(q);
	q = cmd;
	cmd = xasprintf("EXAMINE %s", q);
	free(q);
	rv = ri_command(c, cmd, 0, &r);
	free(cmd);
	if (rv != 0)
		goto fail;
	rv = -1;
	if (!r.ok) {
		*cause =
		    xasprintf("%s: cannot open the mailbox: %s", base, r.text);
		goto out;
	}
	server_validity = r.uidvalidity;
	ri_resp_free(&r);
	if (state != NULL) {
		ri_state_load(state, &validity, &seen, &nseen);
		/* A new UIDVALIDITY: the UIDs remembered mean nothing now. */
		if (validity != server_validity) {
			free(seen);
			seen = NULL;
			nseen = 0;
		}
	}
	if (ri_command(c, "UID SEARCH ALL", 0, &r) != 0)
		goto fail;
	if (!r.ok) {
		*cause = xasprintf("%s: UID SEARCH: %s", base, r.text);
		goto out;
	}
	uids = r.uids;
	nuids = r.nuids;
	r.uids = NULL;
	ri_resp_free(&r);
	if (nuids > 0) /* an empty mailbox: no array at all */
		qsort(uids, nuids, sizeof(*uids), ri_uid_cmp);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < nuids; i++) {
		ri_progress(o, &t0, i, nuids, &shown);
		if (ri_has(seen, nseen, uids[i]))
			continue;
		cmd = xasprintf("UID FETCH %" PRIu32 " (RFC822.SIZE)", uids[i]);
		rv = ri_command(c, cmd, 0, &r);
		free(cmd);
		if (rv != 0)
			goto fail;
		rv = -1;
		if (!r.ok || r.size == UINT64_MAX) {
			/* Expunged meanwhile (or no size given): not read. */
			if (o->note != NULL) {
				char *m = xasprintf("%s: no size for message "
						    "UID %" PRIu32 "; skipped",
				    base, uids[i]);

				o->note(m, o->arg);
				free(m);
			}
			ri_resp_free(&r);
			continue;
		}
		if (r.size > max) {
			/* Left unread: a later run with a larger cap reads it. */
			if (o->note != NULL) {
				char *m =
				    xasprintf("%s: message UID %" PRIu32
					      " is %" PRIu64 " bytes, over "
					      "the cap of %zu; skipped",
					base, uids[i], r.size, max);

				o->note(m, o->arg);
				free(m);
			}
			ri_resp_free(&r);
			continue;
		}
		ri_resp_free(&r);
		cmd = xasprintf("UID FETCH %" PRIu32 " BODY.PEEK[]", uids[i]);
		rv = ri_command(c, cmd, max, &r);
		free(cmd);
		if (rv != 0)
			goto fail;
		rv = -1;
		if (r.ok && r.have_literal) {
			src = xasprintf("%s UID %" PRIu32, base, uids[i]);
			report_input_add_buffer(in, r.literal, r.literal_len,
			    src);
			free(src);
			nread++;
			ri_push(&done, &ndone, &done_cap, uids[i]);
		}
		ri_resp_free(&r);
	}
	ri_progress(o, &t0, nuids, nuids, &shown);
	/* Polite, but the answer does not matter. */
	if (ri_send(c, "z LOGOUT\r\n") != 0) {
		free(c->cause);
		c->cause = NULL;
	}
	if (state != NULL) {
		/* Only UIDs still in the mailbox are worth keeping. */
		kept = xreallocarray(NULL, nuids + 1, sizeof(*kept));
		for (i = 0; i < nuids; i++)
			if (ri_has(seen, nseen, uids[i]) ||
			    ri_has(done, ndone, uids[i])) /* sorted too */
				kept[nkept++] = uids[i];
		if (ri_state_save(state, server_validity, kept, nkept, cause) !=
		    0)
			goto out;
	}
	if (nnew != NULL)
		*nnew = nread;
	rv = 0;
	goto out;
fail:
	*cause = c->cause;
	c->cause = NULL;
	rv = -1;
out:
	ri_resp_free(&r);
	free(uids);
	free(kept);
	free(done);
	free(seen);
	return rv;
}

int
report_imap_replay(struct report_input *in, const void *server, size_t len,
    size_t max_message, size_t *nnew, char **cause)
{
	struct report_imap_opts o;
	struct ri_conn		c;
	int			rv;

	memset(&o, 0, sizeof(o));
	o.max_message = max_message;
	memset(&c, 0, sizeof(c));
	c.timeout_ms = REPORT_IMAP_TIMEOUT_MS;
	c.what = "replay";
	c.replay = server;
	c.replay_len = len;
	c.buf = xmalloc(65536);
	*cause = NULL;
	rv = ri_run(&c, in, &o, "INBOX", "replay", NULL, nnew, cause);
	free(c.buf);
	free(c.cause);
	return rv;
}

int
report_imap_read(struct report_input *in, const char *url,
    const struct report_imap_opts *o, size_t *nnew, char **cause)
{
	struct ri_conn c;
	CURLU	      *u = NULL;
	char	      *scheme = NULL, *user = NULL, *host = NULL, *port = NULL;
	char	      *pass = NULL, *path = NULL, *mbox = NULL, *base = NULL;
	char	      *state = NULL, *cu, *user_raw = NULL, *q;
	long	       port_n;
	int	       rv = -1, tls;
	CURLcode       rc;

	memset(&c, 0, sizeof(c));
	*cause = NULL;
	c.timeout_ms =
	    o->timeout_ms > 0 ? o->timeout_ms : REPORT_IMAP_TIMEOUT_MS;
	if ((u = curl_url()) == NULL ||
	    curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) !=
		CURLUE_OK) {
		*cause = xasprintf("%s: not an IMAP URL "
				   "(imaps://user@host/MAILBOX)",
		    url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK) {
		*cause = xasprintf("%s: a password in the URL would be seen "
				   "in the process list; use --password-file, "
				   "%s or ~/.netrc",
		    host, REPORT_IMAP_PASSWORD_ENV);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE) !=
	    CURLUE_OK) {
		*cause = xasprintf("%s: no user in the URL "
				   "(imaps://user@host/MAILBOX)",
		    url);
		goto out;
	}
	tls = strcasecmp(scheme, "imaps") == 0;
	if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		port = NULL;
	port_n = port != NULL ? strtol(port, NULL, 10) : (tls ? 993 : 143);
	/* The mailbox is the whole path: a folder path keeps its slashes. */
	q = path;
	while (*q == '/')
		q++;
	mbox = xstrdup(*q != '\0' ? q : "INBOX");
	if ((q = strchr(mbox, ';')) != NULL)
		*q = '\0'; /* ;UIDVALIDITY= and the like: not ours */
	if (strpbrk(mbox, "\r\n") != NULL) {
		*cause = xasprintf("%s: a line break in the mailbox name", url);
		goto out;
	}
	c.what = base = xasprintf("%s://%s:%ld/%s", scheme, host, port_n, mbox);

	if ((c.curl = curl_easy_init()) == NULL) {
		*cause = xstrdup("curl_easy_init failed");
		goto out;
	}
	if ((pass = ri_password(o, cause)) == NULL && *cause != NULL)
		goto out;
	/*
	 * libcurl 7.88 looks ~/.netrc up only for a user named in the URL,
	 * not one given as CURLOPT_USERNAME: the URL keeps it (as written).
	 */
	if (curl_url_get(u, CURLUPART_USER, &user_raw, 0) != CURLUE_OK) {
		*cause = xasprintf("%s: no user in the URL", url);
		goto out;
	}
	cu = pass != NULL
	    ? xasprintf("%s://%s:%ld/", scheme, host, port_n)
	    : xasprintf("%s://%s@%s:%ld/", scheme, user_raw, host, port_n);
	curl_easy_setopt(c.curl, CURLOPT_URL, cu);
	free(cu);
	curl_easy_setopt(c.curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(c.curl, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(c.curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(c.curl, CURLOPT_CONNECTTIMEOUT_MS, c.timeout_ms);
	curl_easy_setopt(c.curl, CURLOPT_TIMEOUT_MS, c.timeout_ms);
	curl_easy_setopt(c.curl, CURLOPT_NOSIGNAL, 1L);
	if (pass != NULL) {
		curl_easy_setopt(c.curl, CURLOPT_USERNAME, user);
		curl_easy_setopt(c.curl, CURLOPT_PASSWORD, pass);
	} else
		curl_easy_setopt(c.curl, CURLOPT_NETRC,
		    (long)CURL_NETRC_OPTIONAL);
	rc = curl_easy_perform(c.curl);
	if (rc == CURLE_LOGIN_DENIED) {
		*cause = xasprintf("%s: login denied for %s (wrong password?)",
		    base, user);
		goto out;
	}
	if (rc != CURLE_OK) {
		*cause = xasprintf("%s: %s", base, curl_easy_strerror(rc));
		goto out;
	}
	if (curl_easy_getinfo(c.curl, CURLINFO_ACTIVESOCKET, &c.fd) !=
		CURLE_OK ||
	    c.fd == CURL_SOCKET_BAD) {
		*cause = xasprintf("%s: no connection", base);
		goto out;
	}
	c.buf = xmalloc(65536);
	if (o->update_state)
		state = ri_state_path(o, user, host, port != NULL ? port : "",
		    mbox);
	rv = ri_run(&c, in, o, mbox, base, state, nnew, cause);
out:
	free(state);
	free(c.buf);
	free(c.cause);
	if (c.curl != NULL)
		curl_easy_cleanup(c.curl);
	if (pass != NULL) {
		explicit_bzero(pass, strlen(pass));
		free(pass);
	}
	free(mbox);
	free(base);
	curl_free(scheme);
	curl_free(user);
	curl_free(user_raw);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rv;
}
