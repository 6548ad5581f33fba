/* dns_update: RFC 2136 update of TXT RRsets with TSIG (dns_update.h). */
#include "config.h"
#include "dns_update.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "clock.h"
#include "dns_internal.h"
#include "strbuf.h"
#include "xmalloc.h"

/* A key file is a few lines; anything larger is not one. */
#define DNS_UPDATE_KEY_MAX 8192
#define DNS_UPDATE_MAX_RR  64

struct dns_tsig_key {
	char *name;
	char *alg; /* ldns's name: "hmac-sha256." */
	char *secret;
};

struct dns_update_change {
	char	*owner;
	uint32_t ttl;
	char   **old;
	size_t	 nold;
	char	*new_rdata;
};

struct dns_update {
	char			 *zone;
	struct dns_update_change *c;
	size_t			  n;
};

/* The algorithms offered: ldns 1.8.3 misspells hmac-sha384's name. */
static const struct {
	const char *file;
	const char *ldns;
} dns_update_algs[] = {
	{ "hmac-sha256", "hmac-sha256." },
	{ "hmac-sha512", "hmac-sha512." },
};

static const char *dns_update_outcome_names[] = {
	[DNS_UPDATE_OK] = "applied",
	[DNS_UPDATE_CONFLICT] = "conflict",
	[DNS_UPDATE_REFUSED] = "refused",
	[DNS_UPDATE_NOTAUTH] = "not authorised",
	[DNS_UPDATE_FAILED] = "failed",
};

const char *
dns_update_outcome_name(enum dns_update_outcome o)
{
	return dns_update_outcome_names[o];
}

/* Next token of a BIND key file: a word, a quoted string or one of {};. */
static char *
dns_tsig_token(const char **pp)
{
	const char *p = *pp, *s;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			while (*p != '\0' && *p != '\n')
				p++;
			continue;
		}
		break;
	}
	if (*p == '\0') {
		*pp = p;
		return NULL;
	}
	if (*p == '{' || *p == '}' || *p == ';') {
		*pp = p + 1;
		return xstrndup(p, 1);
	}
	if (*p == '"') {
		s = ++p;
		while (*p != '\0' && *p != '"')
			p++;
		*pp = *p == '"' ? p + 1 : p;
		return xstrndup(s, p - s);
	}
	s = p;
	while (*p != '\0' && strchr(" \t\r\n{};\"", *p) == NULL)
		p++;
	*pp = p;
	return xstrndup(s, p - s);
}

/* A secret: base64 of at most 512 bytes (ldns decodes it when signing). */
static int
dns_tsig_base64(const char *s)
{
	size_t len = strlen(s), i, pad = 0;

	if (len == 0 || len % 4 != 0 || len > 684)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '=' && i >= len - 2) {
			pad++;
			continue;
		}
		if (pad != 0 ||
		    strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
			   "rstuvwxyz0123456789+/",
			s[i]) == NULL)
			return 0;
	}
	return 1;
}

static struct dns_tsig_key *
dns_tsig_parse(const char *text, char **cause)
{
	struct dns_tsig_key *k = xcalloc(1, sizeof(*k));
	const char	    *p = text;
	char		    *t = NULL, *alg = NULL;
	size_t		     i;

	if ((t = dns_tsig_token(&p)) == NULL || strcmp(t, "key") != 0)
		goto bad;
	free(t);
	if ((k->name = dns_tsig_token(&p)) == NULL || *k->name == '\0')
		goto bad;
	if ((t = dns_tsig_token(&p)) == NULL || strcmp(t, "{") != 0)
		goto bad;
	for (;;) {
		free(t);
		if ((t = dns_tsig_token(&p)) == NULL)
			goto bad;
		if (strcmp(t, "}") == 0)
			break;
		if (strcasecmp(t, "algorithm") == 0) {
			free(alg);
			alg = dns_tsig_token(&p);
		} else if (strcasecmp(t, "secret") == 0) {
			free(k->secret);
			k->secret = dns_tsig_token(&p);
		} else
			goto bad;
		free(t);
		if ((t = dns_tsig_token(&p)) == NULL || strcmp(t, ";") != 0)
			goto bad;
	}
	free(t);
	t = NULL;
	if (alg == NULL || k->secret == NULL) {
		*cause = xstrdup("the key has no algorithm or no secret");
		goto fail;
	}
	for (i = 0; i < sizeof(dns_update_algs) / sizeof(dns_update_algs[0]);
	     i++)
		if (strcasecmp(alg, dns_update_algs[i].file) == 0)
			k->alg = xstrdup(dns_update_algs[i].ldns);
	if (k->alg == NULL) {
		*cause = xasprintf("algorithm %s is not offered (hmac-sha256 "
				   "or hmac-sha512)",
		    alg);
		goto fail;
	}
	if (!dns_tsig_base64(k->secret)) {
		*cause = xstrdup("the secret is not base64");
		goto fail;
	}
	free(alg);
	return k;
bad:
	free(t);
	*cause = xstrdup("not a BIND key file (key \"name\" { algorithm "
			 "...; secret \"...\"; };)");
fail:
	free(alg);
	dns_tsig_key_free(k);
	return NULL;
}

struct dns_tsig_key *
dns_tsig_key_read(const char *path, char **cause)
{
	struct dns_tsig_key *k;
	FILE		    *f;
	char		    *buf, *why;
	size_t		     len;

	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(DNS_UPDATE_KEY_MAX + 1);
	len = fread(buf, 1, DNS_UPDATE_KEY_MAX + 1, f);
	fclose(f);
	if (len > DNS_UPDATE_KEY_MAX || memchr(buf, '\0', len) != NULL) {
		*cause = xasprintf("%s: not a key file (binary, or over %d "
				   "bytes)",
		    path, DNS_UPDATE_KEY_MAX);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	k = dns_tsig_parse(buf, &why);
	free(buf);
	if (k == NULL) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
	}
	return k;
}

void
dns_tsig_key_free(struct dns_tsig_key *k)
{
	if (k == NULL)
		return;
	free(k->name);
	free(k->alg);
	if (k->secret != NULL)
		explicit_bzero(k->secret, strlen(k->secret));
	free(k->secret);
	free(k);
}

const char *
dns_tsig_key_name(const struct dns_tsig_key *k)
{
	return k->name;
}

static int
dns_update_addr(const char *server, unsigned port, struct sockaddr_storage *ss,
    socklen_t *len, char **cause)
{
	struct sockaddr_storage *tmp;
	ldns_rdf		*rdf;
	size_t			 size;

	if ((rdf = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, server)) == NULL &&
	    (rdf = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_AAAA, server)) == NULL) {
		*cause = xasprintf("%s is not an IP address", server);
		return -1;
	}
	tmp = ldns_rdf2native_sockaddr_storage(rdf, port ? port : 53, &size);
	ldns_rdf_deep_free(rdf);
	if (tmp == NULL) {
		*cause = xasprintf("%s is not an IP address", server);
		return -1;
	}
	memcpy(ss, tmp, size);
	*len = (socklen_t)size;
	LDNS_FREE(tmp);
	return 0;
}

static struct timeval
dns_update_left(int64_t deadline)
{
	struct timeval tv;
	int64_t	       left = deadline - clock_ms();

	if (left < 1)
		left = 1;
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	return tv;
}

/*
 * Sends the query's wire form, UDP first (TCP with tcp set or when the
 * answer is truncated); returns the answer's wire form or NULL.
 */
static uint8_t *
dns_update_exchange(ldns_buffer *q, const struct sockaddr_storage *ss,
    socklen_t sslen, int tcp, int64_t deadline, size_t *len, char **cause)
{
	uint8_t	   *ans = NULL;
	ldns_status st;

	if (!tcp) {
		st = ldns_udp_send(&ans, q, ss, sslen,
		    dns_update_left(deadline), len);
		if (st == LDNS_STATUS_OK && *len >= 3 &&
		    (ans[2] & 0x02) == 0) /* TC clear */
			return ans;
		LDNS_FREE(ans);
		ans = NULL;
		if (st != LDNS_STATUS_OK) {
			*cause = xasprintf("no answer over UDP (%s)",
			    ldns_get_errorstr_by_id(st));
			return NULL;
		}
	}
	if (clock_ms() >= deadline) {
		*cause = xstrdup("no answer before the deadline");
		return NULL;
	}
	return dns_tcp_wire(ss, sslen, ldns_buffer_begin(q),
	    ldns_buffer_position(q), deadline, len, cause);
}

void
dns_update_rdata_free(char **rd, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rd[i]);
	free(rd);
}

/* An RR's rdata in presentation form, the strings separated by spaces. */
static char *
dns_update_rdata(const ldns_rr *rr)
{
	struct strbuf sb;
	char	     *s;
	size_t	      i;

	strbuf_init(&sb, 1024 * 1024);
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		if ((s = ldns_rdf2str(ldns_rr_rdf(rr, i))) == NULL)
			continue;
		strbuf_addf(&sb, "%s%s", i ? " " : "", s);
		free(s);
	}
	return strbuf_detach(&sb, NULL);
}

int
dns_update_read(const char *server, unsigned port, const char *owner,
    int64_t deadline, char ***rdata, size_t *n, uint32_t *ttl, char **cause)
{
	struct sockaddr_storage ss;
	socklen_t		sslen;
	ldns_pkt	       *q = NULL, *a = NULL;
	ldns_rdf	       *name;
	ldns_buffer	       *qb;
	ldns_rr_list	       *rrs;
	ldns_rr		       *rr;
	uint8_t		       *wire;
	size_t			len, i;
	char		       *why;

	*rdata = NULL;
	*n = 0;
	*ttl = 0;
	if (dns_update_addr(server, port, &ss, &sslen, cause) != 0)
		return -1;
	if ((name = ldns_dname_new_frm_str(owner)) == NULL) {
		*cause = xasprintf("%s is not a domain name", owner);
		return -1;
	}
	q = ldns_pkt_query_new(name, LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_IN, 0);
	ldns_pkt_set_id(q, ldns_get_random());
	qb = ldns_buffer_new(LDNS_MAX_PACKETLEN);
	ldns_pkt2buffer_wire(qb, q);
	wire = dns_update_exchange(qb, &ss, sslen, 1, deadline, &len, &why);
	ldns_buffer_free(qb);
	if (wire == NULL) {
		*cause = xasprintf("%s from %s: %s", owner, server, why);
		free(why);
		ldns_pkt_free(q);
		return -1;
	}
	if (ldns_wire2pkt(&a, wire, len) != LDNS_STATUS_OK ||
	    ldns_pkt_id(a) != ldns_pkt_id(q)) {
		*cause =
		    xasprintf("%s from %s: not a DNS answer", owner, server);
		goto fail;
	}
	if (ldns_pkt_get_rcode(a) != LDNS_RCODE_NOERROR &&
	    ldns_pkt_get_rcode(a) != LDNS_RCODE_NXDOMAIN) {
		*cause = xasprintf("%s from %s: rcode %d", owner, server,
		    (int)ldns_pkt_get_rcode(a));
		goto fail;
	}
	if (!ldns_pkt_aa(a)) {
		*cause =
		    xasprintf("%s is not authoritative for %s", server, owner);
		goto fail;
	}
	rrs = ldns_pkt_answer(a);
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		rr = ldns_rr_list_rr(rrs, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT ||
		    ldns_dname_compare(ldns_rr_owner(rr), name) != 0)
			continue;
		if (*n == DNS_UPDATE_MAX_RR)
			break;
		*rdata = xreallocarray(*rdata, *n + 1, sizeof(**rdata));
		(*rdata)[(*n)++] = dns_update_rdata(rr);
		*ttl = ldns_rr_ttl(rr);
	}
	LDNS_FREE(wire);
	ldns_pkt_free(a);
	ldns_pkt_free(q);
	return 0;
fail:
	LDNS_FREE(wire);
	ldns_pkt_free(a);
	ldns_pkt_free(q);
	return -1;
}

struct dns_update *
dns_update_new(const char *zone)
{
	struct dns_update *u = xcalloc(1, sizeof(*u));

	u->zone = xstrdup(zone);
	return u;
}

void
dns_update_free(struct dns_update *u)
{
	size_t i;

	if (u == NULL)
		return;
	for (i = 0; i < u->n; i++) {
		free(u->c[i].owner);
		dns_update_rdata_free(u->c[i].old, u->c[i].nold);
		free(u->c[i].new_rdata);
	}
	free(u->c);
	free(u->zone);
	free(u);
}

size_t
dns_update_count(const struct dns_update *u)
{
	return u->n;
}

static ldns_rr *
dns_update_rr(const char *owner, uint32_t ttl, ldns_rr_class class,
    const char *rdata)
{
	ldns_rr *rr = NULL;
	char	*s;

	if (rdata != NULL) {
		s = xasprintf("%s %u IN TXT %s", owner, ttl, rdata);
		if (ldns_rr_new_frm_str(&rr, s, 0, NULL, NULL) !=
		    LDNS_STATUS_OK)
			rr = NULL;
		free(s);
		if (rr != NULL)
			ldns_rr_set_class(rr, class);
		return rr;
	}
	/* No rdata (RFC 2136 2.4.3, 2.5.2): owner, type, class, TTL 0. */
	rr = ldns_rr_new();
	ldns_rr_set_owner(rr, ldns_dname_new_frm_str(owner));
	ldns_rr_set_type(rr, LDNS_RR_TYPE_TXT);
	ldns_rr_set_class(rr, class);
	ldns_rr_set_ttl(rr, 0);
	ldns_rr_set_question(rr, false);
	return rr;
}

int
dns_update_set(struct dns_update *u, const char *owner, uint32_t ttl,
    char *const *old, size_t nold, const char *new_rdata, char **cause)
{
	struct dns_update_change *c;
	ldns_rr			 *rr;
	size_t			  i;

	if ((rr = dns_update_rr(owner, ttl, LDNS_RR_CLASS_IN, new_rdata)) ==
	    NULL) {
		*cause =
		    xasprintf("%s TXT %s does not parse", owner, new_rdata);
		return -1;
	}
	ldns_rr_free(rr);
	for (i = 0; i < nold; i++) {
		if ((rr = dns_update_rr(owner, 0, LDNS_RR_CLASS_IN, old[i])) ==
		    NULL) {
			*cause = xasprintf("%s TXT %s does not parse", owner,
			    old[i]);
			return -1;
		}
		ldns_rr_free(rr);
	}
	u->c = xreallocarray(u->c, u->n + 1, sizeof(*u->c));
	c = &u->c[u->n++];
	c->owner = xstrdup(owner);
	c->ttl = ttl;
	c->old = nold ? xreallocarray(NULL, nold, sizeof(*c->old)) : NULL;
	for (i = 0; i < nold; i++)
		c->old[i] = xstrdup(old[i]);
	c->nold = nold;
	c->new_rdata = xstrdup(new_rdata);
	return 0;
}

/* The update message: prerequisites, then delete + add per owner. */
static ldns_pkt *
dns_update_pkt(const struct dns_update *u)
{
	const struct dns_update_change *c;
	ldns_rr_list		       *pr, *up;
	ldns_rdf		       *zone;
	ldns_pkt		       *p;
	size_t				i, j;

	pr = ldns_rr_list_new();
	up = ldns_rr_list_new();
	for (i = 0; i < u->n; i++) {
		c = &u->c[i];
		if (c->nold == 0) /* RRset does not exist */
			ldns_rr_list_push_rr(pr,
			    dns_update_rr(c->owner, 0, LDNS_RR_CLASS_NONE,
				NULL));
		for (j = 0; j < c->nold; j++) /* exists, value dependent */
			ldns_rr_list_push_rr(pr,
			    dns_update_rr(c->owner, 0, LDNS_RR_CLASS_IN,
				c->old[j]));
		ldns_rr_list_push_rr(up,
		    dns_update_rr(c->owner, 0, LDNS_RR_CLASS_ANY, NULL));
		ldns_rr_list_push_rr(up,
		    dns_update_rr(c->owner, c->ttl, LDNS_RR_CLASS_IN,
			c->new_rdata));
	}
	zone = ldns_dname_new_frm_str(u->zone);
	p = ldns_update_pkt_new(zone, LDNS_RR_CLASS_IN, pr, up, NULL);
	ldns_rr_list_deep_free(pr);
	ldns_rr_list_deep_free(up);
	if (p != NULL) {
		ldns_pkt_set_id(p, ldns_get_random());
		ldns_pkt_set_rd(p, false);
	}
	return p;
}

/*
 * ldns prints an update with a query's section names and a query's
 * trailer; RFC 2136 names them zone, prerequisite, update.
 */
static char *
dns_update_names(const char *text)
{
	static const char *names[][2] = {
		{ "QUERY:", "ZONE:" },
		{ "ANSWER:", "PREREQ:" },
		{ "AUTHORITY:", "UPDATE:" },
		{ "QUESTION SECTION:", "ZONE SECTION:" },
		{ "ANSWER SECTION:", "PREREQUISITE SECTION:" },
		{ "AUTHORITY SECTION:", "UPDATE SECTION:" },
	};
	struct strbuf sb;
	const char   *p = text, *end;
	size_t	      i, n;

	strbuf_init(&sb, 1024 * 1024);
	if ((end = strstr(text, ";; Query time")) == NULL)
		end = text + strlen(text);
	while (p < end) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			n = strlen(names[i][0]);
			if ((p == text || p[-1] == ' ' || p[-1] == '\n' ||
				p[-1] == ';') &&
			    strncmp(p, names[i][0], n) == 0)
				break;
		}
		if (i < sizeof(names) / sizeof(names[0])) {
			strbuf_addstr(&sb, names[i][1]);
			p += strlen(names[i][0]);
		} else
			strbuf_addc(&sb, *p++);
	}
	/* One blank line at the end, not ldns's empty trailer. */
	while (sb.len > 0 && sb.data[sb.len - 1] == '\n')
		sb.len--;
	strbuf_addc(&sb, '\n');
	return strbuf_detach(&sb, NULL);
}

char *
dns_update_text(const struct dns_update *u)
{
	ldns_pkt *p;
	char	 *s, *out;

	if ((p = dns_update_pkt(u)) == NULL)
		return xstrdup("(the update could not be built)\n");
	s = ldns_pkt2str(p);
	ldns_pkt_free(p);
	out = dns_update_names(s != NULL ? s : "");
	free(s);
	return out;
}

char *
dns_update_script(const struct dns_update *u, const char *server, unsigned port)
{
	const struct dns_update_change *c;
	struct strbuf			sb;
	size_t				i, j;

	strbuf_init(&sb, 1024 * 1024);
	if (server != NULL)
		strbuf_addf(&sb, "server %s %u\n", server, port ? port : 53);
	strbuf_addf(&sb, "zone %s\n", u->zone);
	for (i = 0; i < u->n; i++) {
		c = &u->c[i];
		if (c->nold == 0)
			strbuf_addf(&sb, "prereq nxrrset %s IN TXT\n",
			    c->owner);
		for (j = 0; j < c->nold; j++)
			strbuf_addf(&sb, "prereq yxrrset %s IN TXT %s\n",
			    c->owner, c->old[j]);
	}
	for (i = 0; i < u->n; i++) {
		c = &u->c[i];
		strbuf_addf(&sb, "update delete %s IN TXT\n", c->owner);
		strbuf_addf(&sb, "update add %s %u IN TXT %s\n", c->owner,
		    c->ttl, c->new_rdata);
	}
	strbuf_addf(&sb, "send\nanswer\n");
	return strbuf_detach(&sb, NULL);
}

static const char *
dns_update_tsig_error(uint16_t e)
{
	switch (e) {
	case 16:
		return "BADSIG: the key's secret is not the server's";
	case 17:
		return "BADKEY: the server does not accept this key (unknown, "
		       "or not allowed to update this zone)";
	case 18:
		return "BADTIME: the clocks differ by more than 300 s";
	}
	return NULL;
}

enum dns_update_outcome
dns_update_send(struct dns_update *u, const char *server, unsigned port,
    const struct dns_tsig_key *k, int64_t deadline, char **detail)
{
	enum dns_update_outcome o = DNS_UPDATE_FAILED;
	struct sockaddr_storage ss;
	socklen_t		sslen;
	ldns_pkt	       *p, *a = NULL;
	ldns_buffer	       *qb;
	ldns_rr		       *tsig;
	ldns_rdf	       *mac = NULL;
	uint8_t		       *wire;
	size_t			len;
	ldns_pkt_rcode		rc;
	const char	       *te = NULL, *rcs;
	char		       *why;
	int			verified = 0;

	if (dns_update_addr(server, port, &ss, &sslen, detail) != 0)
		return DNS_UPDATE_FAILED;
	if ((p = dns_update_pkt(u)) == NULL) {
		*detail = xstrdup("the update could not be built");
		return DNS_UPDATE_FAILED;
	}
	if (k != NULL) {
		if (ldns_pkt_tsig_sign(p, k->name, k->secret, 300, k->alg,
			NULL) != LDNS_STATUS_OK) {
			*detail = xstrdup("the update could not be signed");
			ldns_pkt_free(p);
			return DNS_UPDATE_FAILED;
		}
		mac = ldns_rr_rdf(ldns_pkt_tsig(p), 3);
	}
	qb = ldns_buffer_new(LDNS_MAX_PACKETLEN);
	if (ldns_pkt2buffer_wire(qb, p) != LDNS_STATUS_OK) {
		*detail = xstrdup("the update does not fit a DNS message");
		goto out;
	}
	wire = dns_update_exchange(qb, &ss, sslen,
	    ldns_buffer_position(qb) > 512, deadline, &len, &why);
	if (wire == NULL) {
		*detail = xasprintf("%s: %s; it may or may not have been "
				    "applied",
		    server, why);
		free(why);
		goto out;
	}
	if (ldns_wire2pkt(&a, wire, len) != LDNS_STATUS_OK ||
	    ldns_pkt_id(a) != ldns_pkt_id(p)) {
		*detail = xasprintf("%s: the answer is not a DNS message for "
				    "this update",
		    server);
		LDNS_FREE(wire);
		goto out;
	}
	if (k != NULL)
		verified =
		    ldns_pkt_tsig_verify(a, wire, len, k->name, k->secret, mac);
	LDNS_FREE(wire);
	if ((tsig = ldns_pkt_tsig(a)) != NULL && ldns_rr_rd_count(tsig) > 5)
		te = dns_update_tsig_error(
		    ldns_rdf2native_int16(ldns_rr_rdf(tsig, 5)));
	rc = ldns_pkt_get_rcode(a);
	rcs = ldns_lookup_by_id(ldns_rcodes, rc) != NULL
	    ? ldns_lookup_by_id(ldns_rcodes, rc)->name
	    : "?";
	switch (rc) {
	case LDNS_RCODE_NOERROR:
		if (k != NULL && !verified) {
			*detail = xasprintf("%s answered NOERROR but its "
					    "answer's TSIG does not verify",
			    server);
			break;
		}
		o = DNS_UPDATE_OK;
		*detail = xasprintf("%s answered NOERROR: applied", server);
		break;
	case LDNS_RCODE_YXRRSET:
	case LDNS_RCODE_NXRRSET:
	case LDNS_RCODE_YXDOMAIN:
	case LDNS_RCODE_NXDOMAIN:
		o = DNS_UPDATE_CONFLICT;
		*detail = xasprintf("%s answered %s: the records changed "
				    "since they were read (a concurrent "
				    "edit?); nothing was changed",
		    server, rcs);
		break;
	case LDNS_RCODE_REFUSED:
		o = DNS_UPDATE_REFUSED;
		*detail = xasprintf("%s answered REFUSED: key %s may not "
				    "update %s there; nothing was changed",
		    server, k != NULL ? k->name : "(none)", u->zone);
		break;
	case LDNS_RCODE_NOTAUTH:
		o = DNS_UPDATE_NOTAUTH;
		*detail = xasprintf("%s answered NOTAUTH%s%s: %s; nothing "
				    "was changed",
		    server, te != NULL ? ", " : "", te != NULL ? te : "",
		    te != NULL ? "the update was not accepted"
			       : "the key is wrong or the server is not "
				 "authoritative for the zone");
		break;
	default:
		*detail = xasprintf("%s answered %s; nothing was changed",
		    server, rcs);
		break;
	}
out:
	ldns_buffer_free(qb);
	ldns_pkt_free(a);
	ldns_pkt_free(p);
	return o;
}
