#include "config.h"
#include "dns.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "budget.h"
#include "clock.h"
#include "dns_cache.h"
#include "dns_internal.h"
#include "xmalloc.h"

#define DNS_MAX_CNAME 16  /* longer chains are reported as errors */
#define DNS_MAX_RR    256 /* records kept per answer */

static unsigned dns_elapsed_ms(const struct timespec *);
static void	dns_rr_fill(struct dns_rr *, const ldns_rr *);
static size_t dns_servers(const struct dns_options *, struct sockaddr_storage *,
    socklen_t *, size_t, char **);
static int    dns_wait(int, short, int64_t);
static ldns_pkt *dns_reply(const uint8_t *, size_t, uint16_t);
static ldns_pkt *dns_udp(const struct sockaddr_storage *, const socklen_t *,
    size_t, const uint8_t *, size_t, uint16_t, int64_t, size_t *);
static int	 dns_tcp_io(int, uint8_t *, size_t, int, int64_t, size_t *);
static ldns_pkt *dns_tcp(const struct sockaddr_storage *, socklen_t,
    const uint8_t *, size_t, uint16_t, int64_t, char **);

const char *
dns_status_name(enum dns_status s)
{
	switch (s) {
	case DNS_OK:
		return "ok";
	case DNS_NODATA:
		return "nodata";
	case DNS_NXDOMAIN:
		return "nxdomain";
	case DNS_SERVFAIL:
		return "servfail";
	case DNS_REFUSED:
		return "refused";
	case DNS_TIMEOUT:
		return "timeout";
	default:
		return "error";
	}
}

const char *
dns_type_name(uint16_t type)
{
	switch (type) {
	case DNS_TYPE_A:
		return "A";
	case DNS_TYPE_CNAME:
		return "CNAME";
	case DNS_TYPE_MX:
		return "MX";
	case DNS_TYPE_TXT:
		return "TXT";
	case DNS_TYPE_AAAA:
		return "AAAA";
	case DNS_TYPE_TLSA:
		return "TLSA";
	default:
		return "?";
	}
}

static unsigned
dns_elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (unsigned)((now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000);
}

char *
dns_name_str(const ldns_rdf *rdf)
{
	char  *s, *r;
	size_t len;

	if ((s = ldns_rdf2str(rdf)) == NULL)
		return xstrdup("");
	len = strlen(s);
	if (len > 0 && s[len - 1] == '.')
		s[--len] = '\0';
	r = xstrdup(s);
	free(s);
	return r;
}

static void
dns_rr_fill(struct dns_rr *rr, const ldns_rr *lrr)
{
	const ldns_rdf *rdf;
	char	       *s;
	size_t		i, n;

	rr->type = ldns_rr_get_type(lrr);
	rr->ttl = ldns_rr_ttl(lrr);
	n = ldns_rr_rd_count(lrr);
	switch (rr->type) {
	case DNS_TYPE_TXT:
		rr->str = xcalloc(n, sizeof(*rr->str));
		for (i = 0; i < n; i++) {
			rdf = ldns_rr_rdf(lrr, i);
			/* A character-string: one length octet, then data. */
			if (ldns_rdf_size(rdf) < 1)
				continue;
			rr->str[rr->nstr].len = ldns_rdf_data(rdf)[0];
			if (rr->str[rr->nstr].len > ldns_rdf_size(rdf) - 1)
				rr->str[rr->nstr].len = ldns_rdf_size(rdf) - 1;
			rr->str[rr->nstr].data =
			    xmalloc(rr->str[rr->nstr].len + 1);
			memcpy(rr->str[rr->nstr].data, ldns_rdf_data(rdf) + 1,
			    rr->str[rr->nstr].len);
			rr->str[rr->nstr].data[rr->str[rr->nstr].len] = '\0';
			rr->nstr++;
		}
		break;
	case DNS_TYPE_MX:
		if (n >= 2) {
			rr->pref = ldns_rdf2native_int16(ldns_rr_rdf(lrr, 0));
			rr->name = dns_name_str(ldns_rr_rdf(lrr, 1));
		}
		break;
	case DNS_TYPE_CNAME:
		if (n >= 1)
			rr->name = dns_name_str(ldns_rr_rdf(lrr, 0));
		break;
	case DNS_TYPE_A:
	case DNS_TYPE_AAAA:
		if (n >= 1 && (s = ldns_rdf2str(ldns_rr_rdf(lrr, 0))) != NULL) {
			rr->name = xstrdup(s);
			free(s);
		}
		break;
	case DNS_TYPE_TLSA:
		if (n >= 4) {
			rr->usage = ldns_rdf2native_int8(ldns_rr_rdf(lrr, 0));
			rr->selector =
			    ldns_rdf2native_int8(ldns_rr_rdf(lrr, 1));
			rr->mtype = ldns_rdf2native_int8(ldns_rr_rdf(lrr, 2));
			rdf = ldns_rr_rdf(lrr, 3);
			rr->datalen = ldns_rdf_size(rdf);
			rr->data = xmalloc(rr->datalen + 1);
			memcpy(rr->data, ldns_rdf_data(rdf), rr->datalen);
		}
		break;
	}
}

/* Walks the answer section from qname through CNAMEs to the records. */
void
dns_answer_take(struct dns_answer *a, ldns_pkt *pkt)
{
	ldns_rr_list *answer = ldns_pkt_answer(pkt);
	ldns_rdf     *cur, *next;
	ldns_rr	     *lrr;
	size_t	      i, hops;
	int	      found;

	cur = ldns_dname_new_frm_str(a->qname);
	if (cur == NULL) {
		a->status = DNS_ERROR;
		a->error = xstrdup("cannot encode the name");
		return;
	}
	for (hops = 0;; hops++) {
		found = 0;
		next = NULL;
		for (i = 0; answer != NULL && i < ldns_rr_list_rr_count(answer);
		     i++) {
			lrr = ldns_rr_list_rr(answer, i);
			if (ldns_rr_get_class(lrr) != LDNS_RR_CLASS_IN ||
			    ldns_dname_compare(ldns_rr_owner(lrr), cur) != 0)
				continue;
			if (ldns_rr_get_type(lrr) == a->qtype &&
			    a->nrr < DNS_MAX_RR) {
				a->rr = xreallocarray(a->rr, a->nrr + 1,
				    sizeof(*a->rr));
				memset(&a->rr[a->nrr], 0, sizeof(*a->rr));
				dns_rr_fill(&a->rr[a->nrr++], lrr);
				found = 1;
			} else if (ldns_rr_get_type(lrr) ==
				LDNS_RR_TYPE_CNAME &&
			    next == NULL && ldns_rr_rd_count(lrr) > 0)
				next = ldns_rr_rdf(lrr, 0);
		}
		if (found || next == NULL)
			break;
		if (hops == DNS_MAX_CNAME) {
			a->status = DNS_ERROR;
			a->error = xasprintf("CNAME chain longer than %d",
			    DNS_MAX_CNAME);
			ldns_rdf_deep_free(cur);
			return;
		}
		a->cname =
		    xreallocarray(a->cname, a->ncname + 1, sizeof(*a->cname));
		a->cname[a->ncname++] = dns_name_str(next);
		ldns_rdf_deep_free(cur);
		cur = ldns_rdf_clone(next);
	}
	ldns_rdf_deep_free(cur);

	switch (a->rcode) {
	case LDNS_RCODE_NOERROR:
		a->status = a->nrr > 0 ? DNS_OK : DNS_NODATA;
		break;
	case LDNS_RCODE_NXDOMAIN:
		a->status = DNS_NXDOMAIN;
		break;
	case LDNS_RCODE_SERVFAIL:
		a->status = DNS_SERVFAIL;
		a->error = xstrdup("the resolver answered SERVFAIL");
		break;
	case LDNS_RCODE_REFUSED:
		a->status = DNS_REFUSED;
		a->error = xstrdup("the resolver REFUSED the query");
		break;
	default:
		a->status = DNS_ERROR;
		a->error =
		    xasprintf("the resolver answered rcode %d", a->rcode);
	}
}

/* The resolvers to ask: the one given, else those of /etc/resolv.conf. */
static size_t
dns_servers(const struct dns_options *opts, struct sockaddr_storage *ss,
    socklen_t *sl, size_t max, char **error)
{
	ldns_resolver		*res = NULL;
	ldns_rdf		*ns, **list;
	ldns_status		 st;
	struct sockaddr_storage *tmp;
	size_t			 i, n = 0, cnt, len;
	uint16_t port = opts->port != 0 ? (uint16_t)opts->port : 53;

	if (opts->resolver != NULL) {
		ns = ldns_rdf_new_frm_str(strchr(opts->resolver, ':') != NULL
			? LDNS_RDF_TYPE_AAAA
			: LDNS_RDF_TYPE_A,
		    opts->resolver);
		if (ns == NULL) {
			*error = xasprintf("bad resolver address '%s'",
			    opts->resolver);
			return 0;
		}
		if ((tmp = ldns_rdf2native_sockaddr_storage(ns, port, &len)) !=
		    NULL) {
			memcpy(&ss[0], tmp, len);
			sl[0] = (socklen_t)len;
			n = 1;
			LDNS_FREE(tmp);
		}
		ldns_rdf_deep_free(ns);
		if (n == 0)
			*error = xasprintf("bad resolver address '%s'",
			    opts->resolver);
		return n;
	}
	/* Reading a local file: no network, nothing to bound. */
	if ((st = ldns_resolver_new_frm_file(&res, NULL)) != LDNS_STATUS_OK) {
		*error = xasprintf("cannot read /etc/resolv.conf: %s",
		    ldns_get_errorstr_by_id(st));
		return 0;
	}
	list = ldns_resolver_nameservers(res);
	cnt = ldns_resolver_nameserver_count(res);
	for (i = 0; i < cnt && n < max; i++) {
		if ((tmp = ldns_rdf2native_sockaddr_storage(list[i], port,
			 &len)) == NULL)
			continue;
		memcpy(&ss[n], tmp, len);
		sl[n++] = (socklen_t)len;
		LDNS_FREE(tmp);
	}
	ldns_resolver_deep_free(res);
	if (n == 0)
		*error = xstrdup("no nameserver in /etc/resolv.conf");
	return n;
}

/* Waits for fd until the absolute deadline: 1 ready, 0 deadline, -1. */
static int
dns_wait(int fd, short events, int64_t deadline)
{
	struct pollfd pfd;
	int64_t	      left;
	int	      n;

	for (;;) {
		if ((left = deadline - clock_ms()) <= 0)
			return 0;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n == -1 && errno == EINTR)
			continue;
		return n < 0 ? -1 : n > 0;
	}
}

/* A reply is ours when it parses, is a response and carries our id. */
static ldns_pkt *
dns_reply(const uint8_t *buf, size_t len, uint16_t id)
{
	ldns_pkt *pkt = NULL;

	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK)
		return NULL;
	if (!ldns_pkt_qr(pkt) || ldns_pkt_id(pkt) != id) {
		ldns_pkt_free(pkt);
		return NULL;
	}
	return pkt;
}

/*
 * UDP: the query goes to the first server, then (half-way to the deadline)
 * to the next one, or again to the same; the first reply wins.  Returns
 * the reply, or NULL at the deadline (*error says so).
 */
static ldns_pkt *
dns_udp(const struct sockaddr_storage *ss, const socklen_t *sl, size_t nss,
    const uint8_t *wire, size_t wlen, uint16_t id, int64_t deadline,
    size_t *server)
{
	struct pollfd pfd[2];
	uint8_t	      buf[4096];
	ldns_pkt     *pkt = NULL;
	int64_t	      resend, left;
	ssize_t	      r;
	size_t	      i, nfd = 0;
	int	      n;

	resend = clock_ms() + (deadline - clock_ms()) / 2;
	for (;;) {
		if (nfd < 2 && (nfd == 0 || clock_ms() >= resend)) {
			i = nfd % nss;
			pfd[nfd].fd = socket(ss[i].ss_family,
			    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (pfd[nfd].fd == -1)
				break;
			/* connect(): only this server's datagrams reach us. */
			if (connect(pfd[nfd].fd,
				(const struct sockaddr *)&ss[i], sl[i]) == -1 ||
			    send(pfd[nfd].fd, wire, wlen, 0) == -1) {
				close(pfd[nfd].fd);
				break;
			}
			pfd[nfd++].events = POLLIN;
		}
		left = (nfd < 2 ? resend : deadline) - clock_ms();
		if (deadline - clock_ms() <= 0)
			break;
		if (left < 0)
			left = 0;
		n = poll(pfd, nfd, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n == -1 && errno != EINTR)
			break;
		for (i = 0; n > 0 && i < nfd && pkt == NULL; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			while (pkt == NULL &&
			    (r = recv(pfd[i].fd, buf, sizeof(buf), 0)) > 0)
				pkt = dns_reply(buf, (size_t)r, id);
			*server = i % nss;
		}
		if (pkt != NULL)
			break;
	}
	for (i = 0; i < nfd; i++)
		close(pfd[i].fd);
	return pkt;
}

/* Sends or receives exactly len bytes before the deadline: 0, or -1. */
static int
dns_tcp_io(int fd, uint8_t *buf, size_t len, int out, int64_t deadline,
    size_t *done)
{
	ssize_t r;

	*done = 0;
	while (*done < len) {
		r = out ? send(fd, buf + *done, len - *done, MSG_NOSIGNAL)
			: recv(fd, buf + *done, len - *done, 0);
		if (r > 0) {
			*done += (size_t)r;
			continue;
		}
		if (r == 0 ||
		    (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			return -1;
		if (dns_wait(fd, out ? POLLOUT : POLLIN, deadline) != 1)
			return -1;
	}
	return 0;
}

/*
 * TCP (after TC=1), on a non-blocking socket: every read and write waits
 * only until the absolute deadline, so a server that sends one byte now
 * and then cannot stretch the exchange (ldns's own TCP read restarts its
 * timeout on every byte).  The reply's bytes (*rlen of them; the caller
 * frees), or NULL with *error set.
 */
uint8_t *
dns_tcp_wire(const struct sockaddr_storage *ss, socklen_t sl,
    const uint8_t *wire, size_t wlen, int64_t deadline, size_t *rlen,
    char **error)
{
	uint8_t	 *out, lenbuf[2], *buf = NULL;
	socklen_t elen;
	size_t	  done = 0;
	int	  fd, err = 0;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1) {
		*error = xasprintf("TCP socket: %s", strerror(errno));
		return NULL;
	}
	if (connect(fd, (const struct sockaddr *)ss, sl) == -1) {
		if (errno != EINPROGRESS) {
			*error = xasprintf("TCP connection to the server "
					   "failed: %s",
			    strerror(errno));
			goto done;
		}
		elen = sizeof(err);
		if (dns_wait(fd, POLLOUT, deadline) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == -1 ||
		    err != 0) {
			*error = err != 0
			    ? xasprintf("TCP connection to the server "
					"failed: %s",
				  strerror(err))
			    : xstrdup("no TCP connection to the server "
				      "before the deadline");
			goto done;
		}
	}
	out = xmalloc(wlen + 2);
	out[0] = (uint8_t)(wlen >> 8);
	out[1] = (uint8_t)wlen;
	memcpy(out + 2, wire, wlen);
	err = dns_tcp_io(fd, out, wlen + 2, 1, deadline, &done);
	free(out);
	if (err != 0) {
		*error = xstrdup("could not send the query over TCP before "
				 "the deadline");
		goto done;
	}
	if (dns_tcp_io(fd, lenbuf, 2, 0, deadline, &done) != 0) {
		*error = xasprintf("no answer before the deadline over TCP "
				   "(%zu of 2 length bytes came)",
		    done);
		goto done;
	}
	*rlen = ((size_t)lenbuf[0] << 8) | lenbuf[1];
	buf = xmalloc(*rlen + 1);
	if (dns_tcp_io(fd, buf, *rlen, 0, deadline, &done) != 0) {
		*error = xasprintf("no answer before the deadline over TCP "
				   "(%zu of %zu bytes came)",
		    done, *rlen);
		free(buf);
		buf = NULL;
	}
done:
	close(fd);
	return buf;
}

static ldns_pkt *
dns_tcp(const struct sockaddr_storage *ss, socklen_t sl, const uint8_t *wire,
    size_t wlen, uint16_t id, int64_t deadline, char **error)
{
	ldns_pkt *pkt;
	uint8_t	 *buf;
	size_t	  rlen = 0;

	if ((buf = dns_tcp_wire(ss, sl, wire, wlen, deadline, &rlen, error)) ==
	    NULL)
		return NULL;
	if ((pkt = dns_reply(buf, rlen, id)) == NULL)
		*error = xstrdup("malformed TCP answer from the server");
	free(buf);
	return pkt;
}

ldns_pkt *
dns_exchange(const struct sockaddr_storage *ss, socklen_t sl,
    const uint8_t *wire, size_t wlen, uint16_t id, int64_t deadline,
    char **error)
{
	ldns_pkt *pkt;
	char	 *why = NULL;
	size_t	  server;

	if ((pkt = dns_udp(ss, &sl, 1, wire, wlen, id, deadline, &server)) ==
	    NULL)
		why = xstrdup("no answer before the deadline");
	else if (ldns_pkt_tc(pkt)) {
		ldns_pkt_free(pkt);
		pkt = dns_tcp(ss, sl, wire, wlen, id, deadline, &why);
	}
	if (error != NULL)
		*error = why;
	else
		free(why);
	return pkt;
}

static struct dns_answer *
dns_ask(const struct dns_options *opts, const char *name, uint16_t type)
{
	struct sockaddr_storage ss[3];
	socklen_t		sl[3];
	struct dns_answer      *a;
	struct timespec		start;
	ldns_rdf	       *qname = NULL;
	ldns_pkt	       *q = NULL, *pkt = NULL;
	uint8_t		       *wire = NULL;
	size_t			nss, wlen = 0, server = 0;
	int64_t			deadline;
	uint16_t		id;
	double			t;
	char		       *tcp_error = NULL;
	int			limited = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	a = xcalloc(1, sizeof(*a));
	a->qname = xstrdup(name);
	a->qtype = type;
	a->status = DNS_ERROR;

	/* One absolute deadline for the question, UDP and TCP together. */
	t = opts->timeout > 0 ? opts->timeout : BUDGET_DNS_QUERY_MS / 1000.0;
	deadline = clock_ms() + (int64_t)(t * 1000);
	if (opts->deadline_ms != 0 && opts->deadline_ms < deadline) {
		deadline = opts->deadline_ms;
		limited = 1;
	}
	if (deadline <= clock_ms()) {
		a->status = DNS_TIMEOUT;
		a->cut = 1;
		a->error = xstrdup("not asked: the layer's deadline had "
				   "passed");
		goto done;
	}
	if ((nss = dns_servers(opts, ss, sl, 3, &a->error)) == 0)
		goto done;
	if ((qname = ldns_dname_new_frm_str(name)) == NULL) {
		a->error = xasprintf("'%s' cannot be a DNS name", name);
		goto done;
	}
	if ((q = ldns_pkt_query_new(qname, type, LDNS_RR_CLASS_IN, LDNS_RD)) ==
	    NULL) {
		a->error = xstrdup("cannot build the query");
		goto done;
	}
	qname = NULL; /* owned by q */
	id = ldns_get_random();
	ldns_pkt_set_id(q, id);
	ldns_pkt_set_edns_udp_size(q, 1232);
	if (opts->dnssec)
		ldns_pkt_set_edns_do(q, true);
	if (ldns_pkt2wire(&wire, q, &wlen) != LDNS_STATUS_OK) {
		a->error = xstrdup("cannot encode the query");
		goto done;
	}

	pkt = dns_udp(ss, sl, nss, wire, wlen, id, deadline, &server);
	if (pkt != NULL && ldns_pkt_tc(pkt)) {
		ldns_pkt_free(pkt);
		pkt = dns_tcp(&ss[server], sl[server], wire, wlen, id, deadline,
		    &tcp_error);
	}
	if (pkt == NULL) {
		a->status = DNS_TIMEOUT;
		a->cut = limited && clock_ms() >= deadline;
		if (tcp_error != NULL)
			a->error = xasprintf("truncated UDP answer, then over "
					     "TCP: %s (%.1f s)",
			    tcp_error, dns_elapsed_ms(&start) / 1000.0);
		else
			a->error = xasprintf("no answer from the resolver "
					     "within %.1f s%s",
			    dns_elapsed_ms(&start) / 1000.0,
			    a->cut ? " (the layer's deadline)" : "");
		goto done;
	}
	a->rcode = ldns_pkt_get_rcode(pkt);
	a->ad = ldns_pkt_ad(pkt);
	dns_answer_take(a, pkt);

done:
	free(tcp_error);
	LDNS_FREE(wire);
	ldns_pkt_free(pkt);
	ldns_pkt_free(q);
	ldns_rdf_deep_free(qname);
	a->elapsed_ms = dns_elapsed_ms(&start);
	return a;
}

/*
 * Through the run's cache when there is one: a fresh answer or the answer
 * of the same question in flight, else ours, put for the others.
 */
struct dns_answer *
dns_query(const struct dns_options *opts, const char *name, uint16_t type)
{
	struct dns_answer *a;
	int64_t		   deadline;
	double		   t;

	if (opts->cache == NULL)
		return dns_ask(opts, name, type);
	t = opts->timeout > 0 ? opts->timeout : BUDGET_DNS_QUERY_MS / 1000.0;
	deadline = clock_ms() + (int64_t)(t * 1000);
	if (opts->deadline_ms != 0 && opts->deadline_ms < deadline)
		deadline = opts->deadline_ms;
	a = dns_cache_get(opts->cache, name, type, opts->dnssec, deadline);
	if (a != NULL) {
		/* The asker's spelling, as an uncached answer would have it. */
		free(a->qname);
		a->qname = xstrdup(name);
		return a;
	}
	a = dns_ask(opts, name, type);
	dns_cache_put(opts->cache, name, type, opts->dnssec, a);
	return a;
}

static char *
dns_strdup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

struct dns_answer *
dns_answer_copy(const struct dns_answer *src)
{
	struct dns_answer *a = xcalloc(1, sizeof(*a));
	struct dns_rr	  *r;
	size_t		   i, j;

	*a = *src;
	a->qname = dns_strdup_or_null(src->qname);
	a->error = dns_strdup_or_null(src->error);
	a->cname = NULL;
	if (src->ncname > 0) {
		a->cname = xcalloc(src->ncname, sizeof(*a->cname));
		for (i = 0; i < src->ncname; i++)
			a->cname[i] = xstrdup(src->cname[i]);
	}
	a->rr = NULL;
	if (src->nrr > 0)
		a->rr = xcalloc(src->nrr, sizeof(*a->rr));
	for (i = 0; i < src->nrr; i++) {
		r = &a->rr[i];
		*r = src->rr[i];
		r->name = dns_strdup_or_null(src->rr[i].name);
		r->str = NULL;
		if (src->rr[i].nstr > 0)
			r->str = xcalloc(src->rr[i].nstr, sizeof(*r->str));
		for (j = 0; j < src->rr[i].nstr; j++) {
			r->str[j].len = src->rr[i].str[j].len;
			if (src->rr[i].str[j].data == NULL)
				continue;
			r->str[j].data = xmalloc(r->str[j].len + 1);
			memcpy(r->str[j].data, src->rr[i].str[j].data,
			    r->str[j].len + 1);
		}
		r->data = NULL;
		if (src->rr[i].datalen > 0 || src->rr[i].data != NULL) {
			r->data = xmalloc(src->rr[i].datalen + 1);
			if (src->rr[i].datalen > 0)
				memcpy(r->data, src->rr[i].data,
				    src->rr[i].datalen);
		}
	}
	return a;
}

void
dns_answer_free(struct dns_answer *a)
{
	size_t i, j;

	if (a == NULL)
		return;
	for (i = 0; i < a->nrr; i++) {
		for (j = 0; j < a->rr[i].nstr; j++)
			free(a->rr[i].str[j].data);
		free(a->rr[i].str);
		free(a->rr[i].name);
		free(a->rr[i].data);
	}
	free(a->rr);
	for (i = 0; i < a->ncname; i++)
		free(a->cname[i]);
	free(a->cname);
	free(a->qname);
	free(a->error);
	free(a);
}

void
dns_addrs_init(struct dns_addrs *out)
{
	memset(out, 0, sizeof(*out));
	out->status4 = out->status6 = DNS_NODATA;
}

void
dns_addrs_take(struct dns_addrs *out, uint16_t type, const struct dns_answer *a)
{
	size_t i;

	if (type == DNS_TYPE_A)
		out->status4 = a->status;
	else if (type == DNS_TYPE_AAAA)
		out->status6 = a->status;
	else
		return;
	if (a->error != NULL && out->error == NULL)
		out->error = xstrdup(a->error);
	for (i = 0; i < a->nrr; i++) {
		if (a->rr[i].name == NULL)
			continue;
		out->addr =
		    xreallocarray(out->addr, out->n + 1, sizeof(*out->addr));
		out->addr[out->n++] = xstrdup(a->rr[i].name);
		if (!out->has_ttl || a->rr[i].ttl < out->ttl)
			out->ttl = a->rr[i].ttl;
		out->has_ttl = 1;
	}
	if (out->ncname == 0 && a->ncname > 0) {
		out->cname = xcalloc(a->ncname, sizeof(*out->cname));
		for (i = 0; i < a->ncname; i++)
			out->cname[i] = xstrdup(a->cname[i]);
		out->ncname = a->ncname;
	}
}

void
dns_resolve_addrs(const struct dns_options *opts, const char *name, int family,
    struct dns_addrs *out)
{
	struct dns_answer *a;

	dns_addrs_init(out);
	if (family != 6) {
		a = dns_query(opts, name, DNS_TYPE_A);
		dns_addrs_take(out, DNS_TYPE_A, a);
		dns_answer_free(a);
	}
	if (family != 4) {
		a = dns_query(opts, name, DNS_TYPE_AAAA);
		dns_addrs_take(out, DNS_TYPE_AAAA, a);
		dns_answer_free(a);
	}
}

void
dns_addrs_free(struct dns_addrs *da)
{
	size_t i;

	for (i = 0; i < da->n; i++)
		free(da->addr[i]);
	free(da->addr);
	for (i = 0; i < da->ncname; i++)
		free(da->cname[i]);
	free(da->cname);
	free(da->error);
	memset(da, 0, sizeof(*da));
}
