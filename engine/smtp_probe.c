#include "config.h"
#include "smtp_probe.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "budget.h"
#include "certinfo.h"
#include "clock.h"
#include "share.h"
#include "smtp_reply.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

/* TLS-2: the judged handshake offers only what RFC 8461 senders must. */
#define SMTP_PROBE_PRIO_MODERN "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
#define SMTP_PROBE_PRIO_LEGACY "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0"
#define SMTP_PROBE_BUFSZ       4096

struct smtp_probe {
	struct smtp_probe_result	*r;
	const struct smtp_probe_options *o;
	const char			*ehlo_name;
	int				 fd;
	gnutls_session_t		 tls;
	gnutls_certificate_credentials_t cred;
	struct smtp_reply_parser	*parser;
	unsigned char			 buf[SMTP_PROBE_BUFSZ];
	size_t				 off, len; /* unread: buf[off..len) */
	enum smtp_probe_state		 state;
	int64_t				 t0, tstate, deadline;
	int				 limited; /* deadline is the caller's */
	int				 slot;	  /* holds a share_dest slot */
};

static const char *strstate[SMTP_PROBE_NSTATES] = { "init", "connect", "banner",
	"ehlo", "starttls", "handshake", "ehlo-tls", "quit", "done" };

static void smtp_probe_log(struct smtp_probe *, char, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void smtp_probe_log_reply(struct smtp_probe *,
    const struct smtp_reply *);
static void smtp_probe_enter(struct smtp_probe *, enum smtp_probe_state);
static int  smtp_probe_fail(struct smtp_probe *, enum smtp_probe_fail, int,
     const char *, ...) __attribute__((format(printf, 4, 5)));
static long smtp_probe_timeout(const struct smtp_probe *,
    enum smtp_probe_state);
static int  smtp_probe_wait(struct smtp_probe *, short);
static int  smtp_probe_connect(struct smtp_probe *);
static int  smtp_probe_fill(struct smtp_probe *);
static int  smtp_probe_read(struct smtp_probe *, struct smtp_reply **);
static int  smtp_probe_send(struct smtp_probe *, const char *);
static int  smtp_probe_tls_init(struct smtp_probe *);
static int  smtp_probe_handshake(struct smtp_probe *);
static void smtp_probe_tls_info(struct smtp_probe *);
static void smtp_probe_quit(struct smtp_probe *);
static int  smtp_probe_run(struct smtp_probe *);

const char *
smtp_probe_state_name(enum smtp_probe_state s)
{
	if ((unsigned)s >= SMTP_PROBE_NSTATES)
		return "?";
	return strstate[s];
}

const char *
smtp_probe_fail_name(enum smtp_probe_fail f)
{
	switch (f) {
	case SMTP_PROBE_OK:
		return "ok";
	case SMTP_PROBE_FAIL_CONN:
		return "connect";
	case SMTP_PROBE_FAIL_TIMEOUT:
		return "timeout";
	case SMTP_PROBE_FAIL_PROTO:
		return "protocol";
	case SMTP_PROBE_FAIL_RESP:
		return "reply";
	case SMTP_PROBE_FAIL_NOTLS:
		return "no-starttls";
	case SMTP_PROBE_FAIL_TLS:
		return "tls";
	case SMTP_PROBE_FAIL_IMPL:
		return "local";
	}
	return "?";
}

const char *
smtp_probe_kind_name(enum smtp_probe_kind k)
{
	switch (k) {
	case SMTP_PROBE_FULL:
		return "full";
	case SMTP_PROBE_NO_SNI:
		return "no-sni";
	case SMTP_PROBE_LEGACY:
		return "legacy";
	}
	return "?";
}

int
smtp_probe_ehlo_valid(const char *name)
{
	const char *p;
	size_t	    len;

	if (name == NULL || (len = strlen(name)) == 0 || len > 255)
		return 0;
	if (name[0] == '[')
		return name[len - 1] == ']' &&
		    strspn(name + 1, "0123456789abcdefABCDEF:.Iv6") == len - 2;
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	}
	return name[0] != '.' && name[0] != '-' && strstr(name, "..") == NULL;
}

char *
smtp_probe_ehlo_default(void)
{
	char name[256];

	memset(name, 0, sizeof(name));
	if (gethostname(name, sizeof(name) - 1) == 0 &&
	    strchr(name, '.') != NULL && name[strlen(name) - 1] != '.' &&
	    smtp_probe_ehlo_valid(name))
		return xstrdup(name);
	return xstrdup(SMTP_PROBE_EHLO_FALLBACK);
}

static void
smtp_probe_log(struct smtp_probe *p, char dir, const char *fmt, ...)
{
	struct smtp_probe_result *r = p->r;
	struct smtp_probe_event	 *e;
	va_list			  ap;
	char			 *s;
	size_t			  len;

	if (r->nevents == SMTP_PROBE_MAXEVENTS) {
		r->events_dropped++;
		return;
	}
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	len = strlen(s);
	if (len > SMTP_PROBE_EVENTMAX)
		len = SMTP_PROBE_EVENTMAX;
	r->events =
	    xreallocarray(r->events, r->nevents + 1, sizeof(*r->events));
	e = &r->events[r->nevents++];
	e->ms = (long)(clock_ms() - p->t0);
	e->state = p->state;
	e->dir = dir;
	e->text = utf8_sanitize(s, len, 1);
	free(s);
}

static void
smtp_probe_log_reply(struct smtp_probe *p, const struct smtp_reply *rp)
{
	size_t i;

	for (i = 0; i < rp->nlines; i++)
		smtp_probe_log(p, '<', "%d%c%s", rp->code,
		    i + 1 == rp->nlines ? ' ' : '-', rp->lines[i]);
	if (rp->bare_lf)
		smtp_probe_log(p, '*', "reply lines end with a bare LF");
}

static long
smtp_probe_timeout(const struct smtp_probe *p, enum smtp_probe_state s)
{
	const struct smtp_probe_options *o = p->o;
	long				 v = 0, d = 0;

	switch (s) {
	case SMTP_PROBE_CONNECT:
		v = o->connect_ms;
		d = BUDGET_SMTP_CONNECT_MS;
		break;
	case SMTP_PROBE_BANNER:
		v = o->banner_ms;
		d = BUDGET_SMTP_BANNER_MS;
		break;
	case SMTP_PROBE_EHLO:
	case SMTP_PROBE_EHLO_TLS:
		v = o->ehlo_ms;
		d = BUDGET_SMTP_EHLO_MS;
		break;
	case SMTP_PROBE_STARTTLS:
		v = o->starttls_ms;
		d = BUDGET_SMTP_STARTTLS_MS;
		break;
	case SMTP_PROBE_HANDSHAKE:
		v = o->handshake_ms;
		d = BUDGET_SMTP_HANDSHAKE_MS;
		break;
	case SMTP_PROBE_QUIT:
		v = o->quit_ms;
		d = BUDGET_SMTP_QUIT_MS;
		break;
	default:
		break;
	}
	/* The caller's own limit as given; a budget scaled by --timeout. */
	if (v > 0 || d == 0)
		return v;
	return budget_ms(d, o->timeout_scale);
}

/* The current state's clock starts at now: its own budget, at most the layer's. */
static void
smtp_probe_arm(struct smtp_probe *p, int64_t now)
{
	p->tstate = now;
	p->deadline = now + smtp_probe_timeout(p, p->state);
	p->limited = 0;
	if (p->o->deadline_ms != 0 && p->o->deadline_ms < p->deadline) {
		p->deadline = p->o->deadline_ms;
		p->limited = 1;
	}
}

/* Every transition is timed and logged; the new state's clock starts. */
static void
smtp_probe_enter(struct smtp_probe *p, enum smtp_probe_state s)
{
	int64_t now = clock_ms();

	p->r->step_ms[p->state] += (long)(now - p->tstate);
	p->state = s;
	smtp_probe_arm(p, now);
	if (s == SMTP_PROBE_DONE)
		smtp_probe_log(p, '-', "%s", strstate[s]);
	else
		smtp_probe_log(p, '-', "%s (timeout %ld ms)", strstate[s],
		    smtp_probe_timeout(p, s));
}

/* Records the first failure only; returns -1 for the caller to pass on. */
static int
smtp_probe_fail(struct smtp_probe *p, enum smtp_probe_fail f, int code,
    const char *fmt, ...)
{
	va_list ap;
	char   *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	smtp_probe_log(p, '!', "%s: %s", smtp_probe_fail_name(f), s);
	if (p->r->fail == SMTP_PROBE_OK) {
		if (f == SMTP_PROBE_FAIL_TIMEOUT && p->limited) {
			p->r->cut = 1;
			free(s);
			s = xasprintf(
			    "cut at the layer's deadline after %ld ms "
			    "in %s",
			    (long)(clock_ms() - p->t0), strstate[p->state]);
		}
		p->r->fail = f;
		p->r->fail_state = p->state;
		p->r->fail_code = code;
		p->r->reason = utf8_sanitize(s, strlen(s), 1);
	}
	free(s);
	return -1;
}

/* Returns 1 when the socket is ready, 0 at the deadline, -1 on error. */
static int
smtp_probe_wait(struct smtp_probe *p, short events)
{
	struct pollfd pfd;
	int64_t	      left;
	int	      n;

	for (;;) {
		left = p->deadline - clock_ms();
		if (left <= 0)
			return 0;
		pfd.fd = p->fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			return 0;
		return 1;
	}
}

static int
smtp_probe_connect(struct smtp_probe *p)
{
	struct addrinfo hints, *ai = NULL;
	char		port[16];
	socklen_t	sl;
	int		e, err = 0, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", p->r->port);
	/*
	 * The run's per-address cap.  Waiting for a slot is bounded by the
	 * layer's deadline, not the connect step's: a busy shared address
	 * (a provider's MX in a scan) must not turn into a connect timeout.
	 * The connect step's clock starts once the slot is ours.
	 */
	if (share_dest_acquire(p->o->share, p->r->address,
		p->o->deadline_ms != 0 ? p->o->deadline_ms : p->deadline) ==
	    -1) {
		smtp_probe_fail(p, SMTP_PROBE_FAIL_TIMEOUT, 0,
		    "no connection slot for %s before the deadline "
		    "(per-address cap of the run)",
		    p->r->address);
		/* Our own cap, not the server: says nothing about it. */
		p->r->cut = 1;
		return -1;
	}
	p->slot = 1;
	if (p->o->share != NULL)
		smtp_probe_arm(p, clock_ms());
	/* Numeric only: never a DNS lookup here. */
	if ((e = getaddrinfo(p->r->address, port, &hints, &ai)) != 0)
		return smtp_probe_fail(p, SMTP_PROBE_FAIL_IMPL, 0,
		    "not an address: %s", gai_strerror(e));
	p->fd = socket(ai->ai_family,
	    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (p->fd == -1) {
		e = errno;
		freeaddrinfo(ai);
		return smtp_probe_fail(p, SMTP_PROBE_FAIL_IMPL, 0, "socket: %s",
		    strerror(e));
	}
	/*
	 * Small writes (a command, a TLS record) must not wait for the
	 * peer's delayed ACK: without this, EHLO after the handshake stalls.
	 */
	(void)setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	smtp_probe_log(p, '*', "connecting to %s port %u", p->r->address,
	    p->r->port);
	if (connect(p->fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
	    errno != EINPROGRESS)
		err = errno;
	freeaddrinfo(ai);
	if (err == 0) {
		switch (smtp_probe_wait(p, POLLOUT)) {
		case 0:
			return smtp_probe_fail(p, SMTP_PROBE_FAIL_TIMEOUT, 0,
			    "no TCP connection within %ld ms",
			    smtp_probe_timeout(p, SMTP_PROBE_CONNECT));
		case -1:
			err = errno;
			break;
		default:
			sl = sizeof(err);
			if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err,
				&sl) == -1)
				err = errno;
			break;
		}
	}
	if (err != 0)
		return smtp_probe_fail(p, SMTP_PROBE_FAIL_CONN, 0, "%s",
		    strerror(err));
	smtp_probe_log(p, '*', "connected");
	return 0;
}

/* Reads more bytes into buf.  Returns 0, or -1 with the failure set. */
static int
smtp_probe_fill(struct smtp_probe *p)
{
	ssize_t n;
	int	w;
	short	ev;

	p->off = p->len = 0;
	for (;;) {
		if (p->tls != NULL) {
			n = gnutls_record_recv(p->tls, p->buf, sizeof(p->buf));
			if (n > 0) {
				p->len = (size_t)n;
				return 0;
			}
			if (n == 0)
				return smtp_probe_fail(p, SMTP_PROBE_FAIL_PROTO,
				    0, "connection closed by the server");
			if (n != GNUTLS_E_AGAIN && n != GNUTLS_E_INTERRUPTED)
				return smtp_probe_fail(p, SMTP_PROBE_FAIL_PROTO,
				    0, "TLS read: %s", gnutls_strerror((int)n));
			ev = gnutls_record_get_direction(p->tls) ? POLLOUT
								 : POLLIN;
		} else {
			n = recv(p->fd, p->buf, sizeof(p->buf), 0);
			if (n > 0) {
				p->len = (size_t)n;
				return 0;
			}
			if (n == 0)
				return smtp_probe_fail(p, SMTP_PROBE_FAIL_PROTO,
				    0, "connection closed by the server");
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				return smtp_probe_fail(p, SMTP_PROBE_FAIL_CONN,
				    0, "read: %s", strerror(errno));
			ev = POLLIN;
		}
		if ((w = smtp_probe_wait(p, ev)) == 0)
			return smtp_probe_fail(p, SMTP_PROBE_FAIL_TIMEOUT, 0,
			    "no complete reply within %ld ms",
			    smtp_probe_timeout(p, p->state));
		if (w == -1)
			return smtp_probe_fail(p, SMTP_PROBE_FAIL_CONN, 0,
			    "poll: %s", strerror(errno));
	}
}

/* Reads one complete reply.  Returns 0, or -1 with the failure set. */
static int
smtp_probe_read(struct smtp_probe *p, struct smtp_reply **out)
{
	enum smtp_reply_status st;
	size_t		       used;

	*out = NULL;
	for (;;) {
		if (p->off == p->len && smtp_probe_fill(p) == -1)
			return -1;
		st = smtp_reply_parser_feed(p->parser, p->buf + p->off,
		    p->len - p->off, &used);
		p->off += used;
		if (st == SMTP_REPLY_ERROR)
			return smtp_probe_fail(p, SMTP_PROBE_FAIL_PROTO, 0,
			    "malformed reply: %s",
			    smtp_reply_parser_error(p->parser));
		if (st == SMTP_REPLY_DONE) {
			*out = smtp_reply_parser_take(p->parser);
			smtp_probe_log_reply(p, *out);
			return 0;
		}
	}
}

/* Sends one command line.  Returns 0, or -1 with the failure set. */
static int
smtp_probe_send(struct smtp_probe *p, const char *cmd)
{
	char   *line;
	size_t	len, off = 0;
	ssize_t n;
	int	w, rc = 0;
	short	ev;

	smtp_probe_log(p, '>', "%s", cmd);
	line = xasprintf("%s\r\n", cmd);
	len = strlen(line);
	while (off < len) {
		if (p->tls != NULL) {
			n = gnutls_record_send(p->tls, line + off, len - off);
			if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
				ev = gnutls_record_get_direction(p->tls)
				    ? POLLOUT
				    : POLLIN;
			else if (n < 0) {
				rc = smtp_probe_fail(p, SMTP_PROBE_FAIL_PROTO,
				    0, "TLS write: %s",
				    gnutls_strerror((int)n));
				break;
			} else {
				off += (size_t)n;
				continue;
			}
		} else {
			/* MSG_NOSIGNAL: a closed peer must not kill us. */
			n = send(p->fd, line + off, len - off, MSG_NOSIGNAL);
			if (n >= 0) {
				off += (size_t)n;
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR) {
				rc = smtp_probe_fail(p, SMTP_PROBE_FAIL_CONN, 0,
				    "write: %s", strerror(errno));
				break;
			}
			ev = POLLOUT;
		}
		if ((w = smtp_probe_wait(p, ev)) <= 0) {
			rc = smtp_probe_fail(p,
			    w == 0 ? SMTP_PROBE_FAIL_TIMEOUT
				   : SMTP_PROBE_FAIL_CONN,
			    0, "could not send the command in time");
			break;
		}
	}
	free(line);
	return rc;
}

static int
smtp_probe_tls_init(struct smtp_probe *p)
{
	const char   *prio, *err = NULL;
	unsigned char ip[16];
	int	      e;

	if ((e = gnutls_certificate_allocate_credentials(&p->cred)) < 0) {
		p->cred = NULL;
		return smtp_probe_fail(p, SMTP_PROBE_FAIL_IMPL, 0,
		    "GnuTLS credentials: %s", gnutls_strerror(e));
	}
	if ((e = gnutls_init(&p->tls, GNUTLS_CLIENT | GNUTLS_NO_SIGNAL)) < 0) {
		p->tls = NULL;
		return smtp_probe_fail(p, SMTP_PROBE_FAIL_IMPL, 0,
		    "GnuTLS init: %s", gnutls_strerror(e));
	}
	prio = p->r->kind == SMTP_PROBE_LEGACY ? SMTP_PROBE_PRIO_LEGACY
					       : SMTP_PROBE_PRIO_MODERN;
	if ((e = gnutls_priority_set_direct(p->tls, prio, &err)) < 0)
		return smtp_probe_fail(p, SMTP_PROBE_FAIL_IMPL, 0,
		    "GnuTLS priority %s: %s", prio, gnutls_strerror(e));
	gnutls_credentials_set(p->tls, GNUTLS_CRD_CERTIFICATE, p->cred);
	/* TLS-6: SNI is the MX name; an address literal gets none. */
	if (p->r->kind != SMTP_PROBE_NO_SNI &&
	    inet_pton(AF_INET, p->r->host, ip) != 1 &&
	    inet_pton(AF_INET6, p->r->host, ip) != 1)
		gnutls_server_name_set(p->tls, GNUTLS_NAME_DNS, p->r->host,
		    strlen(p->r->host));
	gnutls_transport_set_int(p->tls, p->fd);
	smtp_probe_log(p, '*', "TLS client hello: %s, %s", prio,
	    p->r->kind == SMTP_PROBE_NO_SNI ? "no SNI" : "SNI");
	return 0;
}

static int
smtp_probe_handshake(struct smtp_probe *p)
{
	int e, w;

	for (;;) {
		e = gnutls_handshake(p->tls);
		if (e == GNUTLS_E_SUCCESS)
			return 0;
		if (e != GNUTLS_E_AGAIN && e != GNUTLS_E_INTERRUPTED) {
			if (e == GNUTLS_E_WARNING_ALERT_RECEIVED ||
			    e == GNUTLS_E_FATAL_ALERT_RECEIVED)
				return smtp_probe_fail(p, SMTP_PROBE_FAIL_TLS,
				    0, "%s alert from the server: %s",
				    e == GNUTLS_E_FATAL_ALERT_RECEIVED
					? "fatal"
					: "warning",
				    gnutls_alert_get_name(
					gnutls_alert_get(p->tls)));
			if (gnutls_error_is_fatal(e) == 0 &&
			    clock_ms() < p->deadline)
				continue;
			return smtp_probe_fail(p, SMTP_PROBE_FAIL_TLS, 0, "%s",
			    gnutls_strerror(e));
		}
		w = smtp_probe_wait(p,
		    gnutls_record_get_direction(p->tls) ? POLLOUT : POLLIN);
		if (w == 0)
			return smtp_probe_fail(p, SMTP_PROBE_FAIL_TIMEOUT, 0,
			    "no TLS handshake within %ld ms",
			    smtp_probe_timeout(p, SMTP_PROBE_HANDSHAKE));
		if (w == -1)
			return smtp_probe_fail(p, SMTP_PROBE_FAIL_CONN, 0,
			    "poll: %s", strerror(errno));
	}
}

static void
smtp_probe_tls_info(struct smtp_probe *p)
{
	struct smtp_probe_result *r = p->r;
	const gnutls_datum_t	 *peers;
	struct certinfo_der	 *der;
	const char		 *s, *kx, *grp;
	char			 *desc;
	unsigned		  n = 0, i;

	r->tls = 1;
	if ((s = gnutls_protocol_get_name(
		 gnutls_protocol_get_version(p->tls))) != NULL)
		r->tls_version = xstrdup(s);
	if ((s = gnutls_cipher_get_name(gnutls_cipher_get(p->tls))) != NULL)
		r->tls_cipher = xstrdup(s);
	/* TLS 1.3 has no kx algorithm proper: the group says it all. */
	kx = gnutls_protocol_get_version(p->tls) == GNUTLS_TLS1_3
	    ? NULL
	    : gnutls_kx_get_name(gnutls_kx_get(p->tls));
	grp = gnutls_group_get_name(gnutls_group_get(p->tls));
	if (kx != NULL && grp != NULL)
		r->tls_kx = xasprintf("%s %s", kx, grp);
	else if (kx != NULL || grp != NULL)
		r->tls_kx = xstrdup(kx != NULL ? kx : grp);
	if ((desc = gnutls_session_get_desc(p->tls)) != NULL) {
		r->tls_desc = xstrdup(desc);
		gnutls_free(desc);
	}
	smtp_probe_log(p, '*', "TLS established: %s",
	    r->tls_desc != NULL ? r->tls_desc : "?");

	peers = gnutls_certificate_get_peers(p->tls, &n);
	if (peers == NULL)
		n = 0;
	if (n > SMTP_PROBE_MAXCERTS) {
		smtp_probe_log(p, '*', "%u certificates presented, %d kept", n,
		    SMTP_PROBE_MAXCERTS);
		n = SMTP_PROBE_MAXCERTS;
	}
	der = xcalloc(n + 1, sizeof(*der));
	for (i = 0; i < n; i++) {
		der[i].data = peers[i].data;
		der[i].len = peers[i].size;
	}
	r->chain = certinfo_chain_new(der, n,
	    p->o->now != 0 ? p->o->now : time(NULL), &r->chain_error);
	free(der);
	smtp_probe_log(p, '*', "%u certificate%s presented%s%s", n,
	    n == 1 ? "" : "s", r->chain_error != NULL ? ": " : "",
	    r->chain_error != NULL ? r->chain_error : "");
}

/*
 * Polite end of a session that is still in step: QUIT, then close without
 * waiting for the 221; failures are only logged.
 *
 * Why not wait: everything judged is known by now, and the reply would
 * cost one more round trip on every probe (some servers hold it until the
 * client closes, ../shared/doc/performance.md).  RFC 5321 4.1.1.10 says
 * the sender SHOULD wait for it; Postfix's own client does not by default
 * (smtp_skip_quit_response = yes), and a server loses nothing: QUIT goes
 * out before our FIN (shutdown below), so the server sees a complete
 * session.  What the server already sent is read and dropped without
 * waiting (a TLS 1.3 session ticket after the handshake, say): unread data
 * at close() would make the kernel answer with a reset instead of a FIN.
 */
static void
smtp_probe_quit(struct smtp_probe *p)
{
	enum smtp_probe_fail  f = p->r->fail;
	int		      code = p->r->fail_code;
	enum smtp_probe_state fs = p->r->fail_state;
	char		     *reason = p->r->reason;
	int		      cut = p->r->cut;
	char		      sink[512];
	int		      i;

	smtp_probe_enter(p, SMTP_PROBE_QUIT);
	/* A failing QUIT is no failure of the probe: restore it after. */
	p->r->fail = SMTP_PROBE_OK;
	p->r->reason = NULL;
	if (smtp_probe_send(p, "QUIT") == 0) {
		if (p->tls != NULL)
			gnutls_bye(p->tls, GNUTLS_SHUT_WR);
		(void)shutdown(p->fd, SHUT_WR);
		/* Bounded: at most 64 KiB of what already arrived. */
		for (i = 0; i < 128 &&
		     recv(p->fd, sink, sizeof(sink), MSG_DONTWAIT) > 0;
		     i++)
			;
		smtp_probe_log(p, '*',
		    "QUIT sent; closing without waiting "
		    "for the reply");
	}
	free(p->r->reason);
	p->r->fail = f;
	p->r->fail_code = code;
	p->r->fail_state = fs;
	p->r->reason = reason;
	p->r->cut = cut;
}

static int
smtp_probe_run(struct smtp_probe *p)
{
	struct smtp_probe_result *r = p->r;
	const char		 *params;
	char			 *cmd;
	int			  rc;

	smtp_probe_enter(p, SMTP_PROBE_CONNECT);
	if (smtp_probe_connect(p) == -1)
		return -1;

	smtp_probe_enter(p, SMTP_PROBE_BANNER);
	if (smtp_probe_read(p, &r->banner) == -1)
		return -1;
	if (r->banner->code != 220) {
		smtp_probe_fail(p, SMTP_PROBE_FAIL_RESP, r->banner->code,
		    "banner code %d, not 220", r->banner->code);
		smtp_probe_quit(p);
		return -1;
	}

	smtp_probe_enter(p, SMTP_PROBE_EHLO);
	cmd = xasprintf("EHLO %s", p->ehlo_name);
	rc = smtp_probe_send(p, cmd);
	free(cmd);
	if (rc == -1 || smtp_probe_read(p, &r->ehlo) == -1)
		return -1;
	if (r->ehlo->code != 250) {
		smtp_probe_fail(p, SMTP_PROBE_FAIL_RESP, r->ehlo->code,
		    "EHLO answered %d %.200s", r->ehlo->code,
		    r->ehlo->lines[0]);
		smtp_probe_quit(p);
		return -1;
	}
	if (smtp_reply_ehlo_has(r->ehlo, "STARTTLS", &params)) {
		r->starttls_offered = 1;
		if (*params != '\0')
			r->starttls_params =
			    utf8_sanitize(params, strlen(params), 1);
	} else {
		smtp_probe_fail(p, SMTP_PROBE_FAIL_NOTLS, 0,
		    "EHLO reply does not offer STARTTLS");
		smtp_probe_quit(p);
		return -1;
	}

	smtp_probe_enter(p, SMTP_PROBE_STARTTLS);
	if (smtp_probe_send(p, "STARTTLS") == -1 ||
	    smtp_probe_read(p, &r->starttls) == -1)
		return -1;
	if (r->starttls->code != 220) {
		smtp_probe_fail(p, SMTP_PROBE_FAIL_RESP, r->starttls->code,
		    "STARTTLS answered %d %.200s", r->starttls->code,
		    r->starttls->lines[0]);
		smtp_probe_quit(p);
		return -1;
	}
	/* Plaintext after the 220 could be injected: drop it (RFC 3207). */
	if (p->off < p->len) {
		r->starttls_extra = p->len - p->off;
		smtp_probe_log(p, '*',
		    "%zu plaintext octets after 220 "
		    "discarded",
		    r->starttls_extra);
		p->off = p->len = 0;
	}

	smtp_probe_enter(p, SMTP_PROBE_HANDSHAKE);
	if (smtp_probe_tls_init(p) == -1 || smtp_probe_handshake(p) == -1)
		return -1;
	smtp_probe_tls_info(p);
	smtp_reply_parser_free(p->parser);
	p->parser = smtp_reply_parser_new();

	if (r->kind == SMTP_PROBE_FULL) {
		smtp_probe_enter(p, SMTP_PROBE_EHLO_TLS);
		cmd = xasprintf("EHLO %s", p->ehlo_name);
		rc = smtp_probe_send(p, cmd);
		free(cmd);
		if (rc == -1 || smtp_probe_read(p, &r->ehlo_tls) == -1)
			return -1;
		if (r->ehlo_tls->code != 250) {
			smtp_probe_fail(p, SMTP_PROBE_FAIL_RESP,
			    r->ehlo_tls->code,
			    "EHLO after TLS answered %d "
			    "%.200s",
			    r->ehlo_tls->code, r->ehlo_tls->lines[0]);
			smtp_probe_quit(p);
			return -1;
		}
		/* TLS-1: RFC 3207 4.2 forbids offering it again. */
		r->starttls_repeated =
		    smtp_reply_ehlo_has(r->ehlo_tls, "STARTTLS", NULL);
	}
	smtp_probe_quit(p);
	return 0;
}

struct smtp_probe_result *
smtp_probe(const char *host, const char *address, enum smtp_probe_kind kind,
    const struct smtp_probe_options *o)
{
	static const struct smtp_probe_options none;
	struct smtp_probe		       p;
	struct smtp_probe_result	      *r;
	unsigned char			       ip[16];
	char				      *ehlo = NULL;

	if (o == NULL)
		o = &none;
	r = xcalloc(1, sizeof(*r));
	r->host = xstrdup(host != NULL ? host : "");
	r->address = xstrdup(address != NULL ? address : "");
	r->family = inet_pton(AF_INET6, r->address, ip) == 1 ? 6 : 4;
	r->port = o->port != 0 ? o->port : SMTP_PROBE_PORT;
	r->kind = kind;
	atomic_init(&r->refs, 1);

	memset(&p, 0, sizeof(p));
	p.r = r;
	p.o = o;
	p.fd = -1;
	p.parser = smtp_reply_parser_new();
	p.t0 = p.tstate = clock_ms();
	p.state = SMTP_PROBE_INIT;
	if (o->ehlo_name == NULL)
		p.ehlo_name = ehlo = smtp_probe_ehlo_default();
	else
		p.ehlo_name = o->ehlo_name;
	smtp_probe_log(&p, '*', "%s probe of %s at %s, EHLO %s",
	    smtp_probe_kind_name(kind), r->host, r->address, p.ehlo_name);

	if (!smtp_probe_ehlo_valid(p.ehlo_name))
		smtp_probe_fail(&p, SMTP_PROBE_FAIL_IMPL, 0,
		    "invalid EHLO name");
	else
		(void)smtp_probe_run(&p);

	smtp_probe_enter(&p, SMTP_PROBE_DONE);
	r->elapsed_ms = (long)(clock_ms() - p.t0);
	if (p.tls != NULL)
		gnutls_deinit(p.tls);
	if (p.cred != NULL)
		gnutls_certificate_free_credentials(p.cred);
	if (p.fd != -1)
		close(p.fd);
	if (p.slot)
		share_dest_release(o->share, r->address);
	smtp_reply_parser_free(p.parser);
	free(ehlo);
	return r;
}

struct smtp_probe_result *
smtp_probe_result_ref(struct smtp_probe_result *r)
{
	atomic_fetch_add(&r->refs, 1);
	return r;
}

void
smtp_probe_result_free(struct smtp_probe_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	/* The last reference frees (a run's probe cache shares results). */
	if (atomic_fetch_sub(&r->refs, 1) != 1)
		return;
	free(r->host);
	free(r->address);
	free(r->reason);
	smtp_reply_free(r->banner);
	smtp_reply_free(r->ehlo);
	smtp_reply_free(r->starttls);
	smtp_reply_free(r->ehlo_tls);
	free(r->starttls_params);
	free(r->tls_version);
	free(r->tls_cipher);
	free(r->tls_kx);
	free(r->tls_desc);
	certinfo_chain_free(r->chain);
	free(r->chain_error);
	for (i = 0; i < r->nevents; i++)
		free(r->events[i].text);
	free(r->events);
	free(r);
}
