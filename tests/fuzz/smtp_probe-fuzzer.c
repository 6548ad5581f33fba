/*
 * libFuzzer target: the STARTTLS probe (engine/smtp_probe.c) against a
 * scripted server on the loopback interface.  The input is the server's
 * side of the conversation, in chunks separated by "\n--\n": the first
 * chunk is sent on accept, each next one after the probe has sent
 * something (a command, or the TLS ClientHello after STARTTLS), and the
 * connection is closed when the chunks run out.  The first byte picks the
 * probe kind.  No seam in smtp_probe.c is needed: the probe talks to a real
 * socket, so what is fuzzed is exactly what runs.  Only 127.0.0.1 is used.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smtp_probe.h"
#include "smtp_reply.h"

#define FUZZ_SEP       "\n--\n"
#define FUZZ_WAIT_MS   50  /* the server's wait for the probe */
#define FUZZ_STATE_MS  400 /* the probe's timeout in every state */
#define FUZZ_MAXCHUNKS 16

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_script {
	const uint8_t *chunk[FUZZ_MAXCHUNKS];
	size_t	       len[FUZZ_MAXCHUNKS];
	size_t	       n;
	int	       lfd;
	int	       turns;
};

static int	fuzz_lfd = -1;
static unsigned fuzz_port;

static void
fuzz_listen(void)
{
	struct sockaddr_in sin;
	socklen_t	   sl = sizeof(sin);
	int		   one = 1;

	if ((fuzz_lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		abort();
	(void)setsockopt(fuzz_lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fuzz_lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fuzz_lfd, 4) == -1 ||
	    getsockname(fuzz_lfd, (struct sockaddr *)&sin, &sl) == -1)
		abort();
	fuzz_port = ntohs(sin.sin_port);
}

static void
fuzz_send(int fd, const uint8_t *p, size_t len)
{
	ssize_t w;

	while (len > 0) {
		w = send(fd, p, len, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		len -= (size_t)w;
	}
}

/* One byte or more from the probe within the wait; 0 on EOF or silence. */
static int
fuzz_heard(int fd)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char	      buf[4096];

	if (poll(&pfd, 1, FUZZ_WAIT_MS) <= 0)
		return 0;
	return recv(fd, buf, sizeof(buf), 0) > 0;
}

static void *
fuzz_server(void *arg)
{
	struct fuzz_script *s = arg;
	struct pollfd	    pfd = { s->lfd, POLLIN, 0 };
	size_t		    i;
	int		    fd;

	if (poll(&pfd, 1, 2000) <= 0 ||
	    (fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return NULL;
	for (i = 0; i < s->n; i++) {
		if (i > 0 && s->turns && !fuzz_heard(fd))
			break;
		fuzz_send(fd, s->chunk[i], s->len[i]);
	}
	/* Then wait for the probe to hang up (it reads to the end first). */
	(void)shutdown(fd, SHUT_WR);
	while (fuzz_heard(fd))
		;
	close(fd);
	return NULL;
}

static void
fuzz_split(struct fuzz_script *s, const uint8_t *d, size_t n)
{
	const uint8_t *sep;
	size_t	       seplen = strlen(FUZZ_SEP);

	s->n = 0;
	while (s->n < FUZZ_MAXCHUNKS) {
		sep = memmem(d, n, FUZZ_SEP, seplen);
		s->chunk[s->n] = d;
		s->len[s->n++] = sep != NULL ? (size_t)(sep - d) : n;
		if (sep == NULL)
			break;
		n -= (size_t)(sep - d) + seplen;
		d = sep + seplen;
	}
}

static void
fuzz_check(const struct smtp_probe_result *r)
{
	const unsigned char *t;
	size_t		     i;

	if (r->nevents > SMTP_PROBE_MAXEVENTS ||
	    (r->fail == SMTP_PROBE_OK) != (r->reason == NULL))
		abort();
	/* The transcript reaches the screen: printable ASCII only. */
	for (i = 0; i < r->nevents; i++) {
		/* EVENTMAX bytes kept, each escaped as at most \xNN. */
		if (strlen(r->events[i].text) > 4 * SMTP_PROBE_EVENTMAX)
			abort();
		for (t = (const unsigned char *)r->events[i].text; *t; t++)
			if (*t < 0x20 || *t >= 0x7f)
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_probe_options o;
	struct smtp_probe_result *r;
	struct fuzz_script	  s;
	pthread_t		  t;

	if (size < 1)
		return 0;
	if (fuzz_lfd == -1)
		fuzz_listen();
	memset(&o, 0, sizeof(o));
	o.ehlo_name = "fuzz.example";
	o.port = fuzz_port;
	o.connect_ms = o.banner_ms = o.ehlo_ms = o.starttls_ms =
	    o.handshake_ms = o.quit_ms = FUZZ_STATE_MS;
	o.now = 1767225600;
	fuzz_split(&s, data + 1, size - 1);
	s.lfd = fuzz_lfd;
	s.turns = data[0] >> 7;
	if (pthread_create(&t, NULL, fuzz_server, &s) != 0)
		abort();
	r = smtp_probe("mx1.example.com", "127.0.0.1", data[0] % 3, &o);
	pthread_join(t, NULL);
	fuzz_check(r);
	smtp_probe_result_free(r);
	return 0;
}
