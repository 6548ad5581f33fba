#include "config.h"
#include "policy_fetch.h"

#include <arpa/inet.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <gnutls/gnutls.h>

#include "certinfo.h"
#include "clock.h"
#include "domain.h"
#include "finding.h"
#include "policy_fetch_internal.h"
#include "share.h"
#include "strbuf.h"
#include "xmalloc.h"

#define POLICY_FETCH_UA	    "mtasts-tui/" MTASTS_VERSION " (MTA-STS checker)"
#define POLICY_FETCH_HDRMAX 1024 /* kept of each header value */

/* Per-address transfer state; result fields live in addr. */
struct policy_fetch_xfer {
	struct policy_fetch_addr *addr;
	CURL			 *easy;
	struct curl_slist	 *connect_to;
	struct strbuf		  body;
	char			  errbuf[CURL_ERROR_SIZE];
	int			  done;
	int			  tls_seen;
	int			  slot; /* holds a share_dest slot */
};

static int	   policy_fetch_tchar(int);
static const char *policy_fetch_token(const char *);
static void	   policy_fetch_tls_info(struct policy_fetch_xfer *);
static void	   policy_fetch_header_set(char **, const char *, size_t, int);
static size_t	   policy_fetch_header_cb(char *, size_t, size_t, void *);
static size_t	   policy_fetch_write_cb(char *, size_t, size_t, void *);
static int policy_fetch_progress_cb(void *, curl_off_t, curl_off_t, curl_off_t,
    curl_off_t);
static CURL *policy_fetch_easy(struct policy_fetch_xfer *, const char *,
    const char *, unsigned, const struct policy_fetch_options *);
static void  policy_fetch_chain(struct policy_fetch_xfer *,
     const struct certinfo_trust *, const char *, time_t);
static void  policy_fetch_classify(struct policy_fetch_xfer *, CURLcode, long);
static enum finding_code policy_fetch_code(enum policy_fetch_outcome);
static void		 policy_fetch_findings(struct policy_fetch_result *);
static void		 policy_fetch_name_fix(struct finding *, const char *,
		 const struct policy_fetch_addr *);

const char *
policy_fetch_outcome_name(enum policy_fetch_outcome o)
{
	switch (o) {
	case POLICY_FETCH_OK:
		return "ok";
	case POLICY_FETCH_CONNECT_FAILED:
		return "connect-failed";
	case POLICY_FETCH_TIMEOUT:
		return "timeout";
	case POLICY_FETCH_TLS_HANDSHAKE:
		return "tls-handshake";
	case POLICY_FETCH_TLS_UNTRUSTED:
		return "tls-untrusted";
	case POLICY_FETCH_TLS_INCOMPLETE:
		return "tls-incomplete-chain";
	case POLICY_FETCH_TLS_EXPIRED:
		return "tls-expired";
	case POLICY_FETCH_TLS_NAME:
		return "tls-name-mismatch";
	case POLICY_FETCH_HTTP_ERROR:
		return "http-error";
	case POLICY_FETCH_HTTP_STATUS:
		return "http-status";
	case POLICY_FETCH_REDIRECT:
		return "redirect";
	case POLICY_FETCH_CONTENT_TYPE:
		return "content-type";
	case POLICY_FETCH_TOO_LARGE:
		return "too-large";
	}
	return "?";
}

/* RFC 9110 tchar. */
static int
policy_fetch_tchar(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static const char *
policy_fetch_token(const char *p)
{
	while (policy_fetch_tchar((unsigned char)*p))
		p++;
	return p;
}

int
policy_fetch_content_type(const char *value, char **charset)
{
	const char   *p, *type, *slash, *end, *name, *nend;
	struct strbuf sb;
	int	      plain;

	*charset = NULL;
	p = value + strspn(value, " \t");
	type = p;
	slash = policy_fetch_token(type);
	if (slash == type || *slash != '/')
		return 0;
	end = policy_fetch_token(slash + 1);
	if (end == slash + 1)
		return 0;
	p = end + strspn(end, " \t");
	if (*p != '\0' && *p != ';')
		return 0; /* "text/plain html": not a media type */
	plain = slash - type == 4 && strncasecmp(type, "text", 4) == 0 &&
	    end - slash - 1 == 5 && strncasecmp(slash + 1, "plain", 5) == 0;

	/* Parameters: only the first charset matters (FETCH-9). */
	while (*p == ';') {
		p++;
		p += strspn(p, " \t");
		name = p;
		nend = policy_fetch_token(name);
		if (nend == name || *nend != '=')
			break;
		p = nend + 1;
		strbuf_init(&sb, POLICY_FETCH_HDRMAX);
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				strbuf_addc(&sb, *p);
			}
			if (*p != '"') {
				strbuf_free(&sb);
				break;
			}
			p++;
		} else {
			end = policy_fetch_token(p);
			strbuf_add(&sb, p, (size_t)(end - p));
			p = end;
		}
		if (*charset == NULL && nend - name == 7 &&
		    strncasecmp(name, "charset", 7) == 0)
			*charset = strbuf_detach(&sb, NULL);
		else
			strbuf_free(&sb);
		p += strspn(p, " \t");
	}
	return plain;
}

/* The session only exists during the transfer: read it from a callback. */
static void
policy_fetch_tls_info(struct policy_fetch_xfer *x)
{
	struct curl_tlssessioninfo *ti = NULL;
	gnutls_session_t	    s;
	const char		   *name;
	char			   *desc;
	curl_off_t		    appconnect = 0;

	if (x->tls_seen)
		return;
	/* Only once the handshake is over are version and cipher final. */
	if (curl_easy_getinfo(x->easy, CURLINFO_APPCONNECT_TIME_T,
		&appconnect) != CURLE_OK ||
	    appconnect == 0)
		return;
	x->tls_seen = 1;
	if (curl_easy_getinfo(x->easy, CURLINFO_TLS_SSL_PTR, &ti) != CURLE_OK ||
	    ti == NULL || ti->backend != CURLSSLBACKEND_GNUTLS ||
	    ti->internals == NULL)
		return;
	s = ti->internals;
	if ((name = gnutls_protocol_get_name(gnutls_protocol_get_version(s))))
		x->addr->tls_version = xstrdup(name);
	if ((name = gnutls_cipher_get_name(gnutls_cipher_get(s))))
		x->addr->tls_cipher = xstrdup(name);
	if ((desc = gnutls_session_get_desc(s)) != NULL) {
		x->addr->tls_desc = xstrdup(desc);
		gnutls_free(desc);
	}
}

/* Stores a header value, trimmed and bounded; append joins with ", ". */
static void
policy_fetch_header_set(char **dst, const char *v, size_t len, int append)
{
	char *old;

	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 &&
	    (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r' ||
		v[len - 1] == '\n'))
		len--;
	if (len > POLICY_FETCH_HDRMAX)
		len = POLICY_FETCH_HDRMAX;
	if (append && *dst != NULL) {
		if (strlen(*dst) > POLICY_FETCH_HDRMAX)
			return;
		old = *dst;
		*dst = xasprintf("%s, %.*s", old, (int)len, v);
		free(old);
		return;
	}
	free(*dst);
	*dst = xstrndup(v, len);
}

static size_t
policy_fetch_header_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct policy_fetch_xfer *x = arg;
	struct policy_fetch_addr *a = x->addr;
	size_t			  len = size * nitems, n;
	const char		 *colon;

	policy_fetch_tls_info(x);
	if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* A new response (after a 1xx): forget the last one's. */
		free(a->content_type);
		free(a->location);
		free(a->cache_control);
		a->content_type = a->location = a->cache_control = NULL;
		return len;
	}
	if ((colon = memchr(buf, ':', len)) == NULL)
		return len;
	n = (size_t)(colon - buf);
	colon++;
	if (n == 12 && strncasecmp(buf, "Content-Type", n) == 0)
		policy_fetch_header_set(&a->content_type, colon, len - n - 1,
		    0);
	else if (n == 8 && strncasecmp(buf, "Location", n) == 0)
		policy_fetch_header_set(&a->location, colon, len - n - 1, 0);
	else if (n == 13 && strncasecmp(buf, "Cache-Control", n) == 0)
		policy_fetch_header_set(&a->cache_control, colon, len - n - 1,
		    1);
	return len;
}

/* Keeps at most the cap, then stops the transfer (FETCH-10). */
static size_t
policy_fetch_write_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct policy_fetch_xfer *x = arg;
	size_t			  len = size * nmemb, room;

	room = x->body.max - x->body.len;
	if (len <= room) {
		strbuf_add(&x->body, buf, len);
		return len;
	}
	strbuf_add(&x->body, buf, room);
	x->addr->truncated = 1;
	return 0; /* CURLE_WRITE_ERROR: we have seen enough */
}

/* Called often during the transfer: catches the TLS details early. */
static int
policy_fetch_progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	policy_fetch_tls_info(arg);
	return 0;
}

static CURL *
policy_fetch_easy(struct policy_fetch_xfer *x, const char *host,
    const char *url, unsigned port, const struct policy_fetch_options *o)
{
	CURL *e;
	char *pin;
	int   fam = x->addr->family;

	if ((e = curl_easy_init()) == NULL)
		return NULL;
	/*
	 * The URL keeps port 443 so Host and SNI are exactly what senders
	 * send; CONNECT_TO sends the connection to this address (and to the
	 * test port), without touching any shared DNS cache.
	 */
	pin = xasprintf("%s:443:%s%s%s:%u", host, fam == 6 ? "[" : "",
	    x->addr->address, fam == 6 ? "]" : "", port);
	x->connect_to = curl_slist_append(NULL, pin);
	free(pin);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_CONNECT_TO, x->connect_to);
	curl_easy_setopt(e, CURLOPT_IPRESOLVE,
	    fam == 6 ? CURL_IPRESOLVE_V6 : CURL_IPRESOLVE_V4);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* FETCH-7 */
	curl_easy_setopt(e, CURLOPT_PROXY, "");		 /* ignore *_proxy */
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_USERAGENT, POLICY_FETCH_UA);
	/*
	 * certinfo judges the chain with the one store loaded per call (see
	 * the header); libcurl loads no store and verifies nothing.
	 */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
	curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(e, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	curl_easy_setopt(e, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    budget_left(o->deadline_ms, o->connect_timeout_ms) <
		    o->connect_timeout_ms
		? budget_left(o->deadline_ms, 0) + 1
		: o->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
	    budget_left(o->deadline_ms, o->total_timeout_ms) <
		    o->total_timeout_ms
		? budget_left(o->deadline_ms, 0) + 1
		: o->total_timeout_ms);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, policy_fetch_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, policy_fetch_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, policy_fetch_progress_cb);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	return e;
}

/* The chain as sent, from CURLINFO_CERTINFO's "Cert:" PEM entries. */
static void
policy_fetch_chain(struct policy_fetch_xfer *x,
    const struct certinfo_trust *trust, const char *host, time_t now)
{
	struct curl_certinfo *ci = NULL;
	struct curl_slist    *sl;
	const char	    **pem;
	char		     *cause = NULL;
	int		      i, n = 0;

	if (curl_easy_getinfo(x->easy, CURLINFO_CERTINFO, &ci) != CURLE_OK ||
	    ci == NULL || ci->num_of_certs <= 0)
		return;
	pem = xcalloc((size_t)ci->num_of_certs, sizeof(*pem));
	for (i = 0; i < ci->num_of_certs; i++)
		for (sl = ci->certinfo[i]; sl != NULL; sl = sl->next)
			if (strncmp(sl->data, "Cert:", 5) == 0) {
				pem[n++] = sl->data + 5;
				break;
			}
	if (n == ci->num_of_certs) {
		x->addr->chain =
		    certinfo_chain_new_pem(pem, (size_t)n, now, &cause);
		free(cause);
	}
	free(pem);
	if (x->addr->chain != NULL)
		x->addr->verify =
		    certinfo_verify(x->addr->chain, trust, host, now);
}

static void
policy_fetch_classify(struct policy_fetch_xfer *x, CURLcode rc, long tmo)
{
	struct policy_fetch_addr     *a = x->addr;
	const struct certinfo_verify *v = a->verify;
	const char		     *err;
	char			     *cs = NULL;

	a->curl_code = (int)rc;
	err = x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(rc);
	if (rc != CURLE_OK)
		a->curl_error = xstrdup(err);
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &a->http_status);

	/* Our certificate judgement is the only one (see the header). */
	if (v != NULL && v->verdict != CERTINFO_OK) {
		switch (v->verdict) {
		case CERTINFO_INCOMPLETE_CHAIN:
			a->outcome = POLICY_FETCH_TLS_INCOMPLETE;
			break;
		case CERTINFO_NAME_MISMATCH:
			a->outcome = POLICY_FETCH_TLS_NAME;
			break;
		case CERTINFO_EXPIRED:
		case CERTINFO_NOT_YET_VALID:
			a->outcome = POLICY_FETCH_TLS_EXPIRED;
			break;
		default:
			a->outcome = POLICY_FETCH_TLS_UNTRUSTED;
			break;
		}
		a->detail = xasprintf("certificate %s: %s",
		    certinfo_verdict_name(v->verdict), v->detail);
		/* A sender stops at the handshake: no HTTP answer counts. */
		a->http_status = 0;
		return;
	}

	/* libcurl does not verify (see the header): no chain, no trust. */
	if (v == NULL && (rc == CURLE_OK || a->http_status != 0)) {
		a->outcome = POLICY_FETCH_TLS_UNTRUSTED;
		a->detail = xstrdup("no certificate chain could be read from "
				    "the TLS session");
		return;
	}

	switch (rc) {
	case CURLE_OK:
		break;
	case CURLE_WRITE_ERROR:
		if (a->truncated)
			break;
		/* FALLTHROUGH */
	default:
		a->outcome = POLICY_FETCH_HTTP_ERROR;
		a->detail = xasprintf("no usable HTTP response: %s", err);
		return;
	case CURLE_OPERATION_TIMEDOUT:
		a->outcome = POLICY_FETCH_TIMEOUT;
		/* libcurl's connect timeout covers TCP and the handshake. */
		if (!x->tls_seen && a->elapsed_ms < tmo)
			a->detail = xasprintf(
			    "no TCP connection and TLS "
			    "handshake within the connect timeout: %s",
			    err);
		else
			a->detail = xasprintf("no complete answer within %ld "
					      "ms: %s",
			    tmo, err);
		return;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		a->outcome = POLICY_FETCH_CONNECT_FAILED;
		a->detail = xasprintf("TCP connection failed: %s", err);
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
		a->outcome = POLICY_FETCH_TLS_UNTRUSTED;
		a->detail = xasprintf("certificate rejected: %s", err);
		return;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		a->outcome = POLICY_FETCH_TLS_HANDSHAKE;
		a->detail = xasprintf("no TLS 1.2 or later handshake: %s", err);
		return;
	}

	if (a->http_status >= 300 && a->http_status < 400) {
		a->outcome = POLICY_FETCH_REDIRECT;
		a->detail = xasprintf("HTTP %ld redirect to %s", a->http_status,
		    a->location != NULL ? a->location : "(no Location)");
		return;
	}
	if (a->http_status != 200) {
		a->outcome = POLICY_FETCH_HTTP_STATUS;
		a->detail =
		    xasprintf("HTTP status %ld, not 200", a->http_status);
		return;
	}
	if (a->content_type != NULL &&
	    !policy_fetch_content_type(a->content_type, &cs)) {
		free(cs);
		a->outcome = POLICY_FETCH_CONTENT_TYPE;
		a->detail = xasprintf("Content-Type is \"%s\", not text/plain",
		    a->content_type);
		return;
	}
	free(cs);
	if (a->truncated) {
		a->outcome = POLICY_FETCH_TOO_LARGE;
		a->detail = xasprintf("body longer than %d bytes; stopped "
				      "reading there",
		    POLICY_FETCH_MAX_BODY);
		return;
	}
	a->outcome = POLICY_FETCH_OK;
	a->detail = xasprintf("HTTP 200, %zu bytes", a->body_len);
}

static enum finding_code
policy_fetch_code(enum policy_fetch_outcome o)
{
	switch (o) {
	case POLICY_FETCH_CONNECT_FAILED:
		return FINDING_FETCH_CONNECT_FAILED;
	case POLICY_FETCH_TIMEOUT:
		return FINDING_FETCH_TIMEOUT;
	case POLICY_FETCH_TLS_HANDSHAKE:
		return FINDING_FETCH_TLS_VERSION;
	case POLICY_FETCH_TLS_INCOMPLETE:
		return FINDING_FETCH_TLS_INCOMPLETE_CHAIN;
	case POLICY_FETCH_TLS_EXPIRED:
		return FINDING_FETCH_TLS_EXPIRED;
	case POLICY_FETCH_TLS_NAME:
		return FINDING_FETCH_TLS_NAME_MISMATCH;
	case POLICY_FETCH_REDIRECT:
		return FINDING_FETCH_REDIRECT;
	case POLICY_FETCH_CONTENT_TYPE:
		return FINDING_FETCH_CONTENT_TYPE;
	case POLICY_FETCH_TOO_LARGE:
		return FINDING_FETCH_TOO_LARGE;
	case POLICY_FETCH_HTTP_ERROR:
	case POLICY_FETCH_HTTP_STATUS:
		return FINDING_FETCH_HTTP_STATUS;
	case POLICY_FETCH_TLS_UNTRUSTED:
	case POLICY_FETCH_OK:
		break;
	}
	return FINDING_FETCH_TLS_UNTRUSTED;
}

/*
 * fetch.tls_name_mismatch: the names the certificate has and the one it
 * lacks (94.5% of self-managed policy host TLS errors in the field).
 */
static void
policy_fetch_name_fix(struct finding *f, const char *host,
    const struct policy_fetch_addr *a)
{
	const struct certinfo *leaf;
	struct strbuf	       sb;
	char		      *names;
	const char	      *dot = strchr(host, '.');
	size_t		       i;

	if (a->chain == NULL || a->chain->ncerts == 0)
		return;
	leaf = &a->chain->certs[0];
	strbuf_init(&sb, 2048);
	for (i = 0; i < leaf->ndns && i < 16; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? ", " : "", leaf->dns_names[i]);
	if (leaf->ndns > 16)
		strbuf_addf(&sb, " and %zu more", leaf->ndns - 16);
	names = strbuf_detach(&sb, NULL);
	if (leaf->ndns == 0)
		finding_set_fix(f,
		    "The certificate served has no DNS names (subject %s); get "
		    "one whose subjectAltName lists %s%s%s%s and serve it for "
		    "that SNI name",
		    leaf->subject != NULL ? leaf->subject : "empty", host,
		    dot != NULL ? " (or *." : "", dot != NULL ? dot + 1 : "",
		    dot != NULL ? ")" : "");
	else
		finding_set_fix(f,
		    "The certificate served names %s but not %s; get one "
		    "whose subjectAltName lists %s%s%s%s and serve it for "
		    "that SNI name",
		    names, host, host, dot != NULL ? " (or *." : "",
		    dot != NULL ? dot + 1 : "", dot != NULL ? ")" : "");
	free(names);
	strbuf_free(&sb);
}

static void
policy_fetch_findings(struct policy_fetch_result *r)
{
	struct policy_fetch_addr *a;
	struct finding		 *f;
	enum finding_code	  code;
	size_t			  i, nok = 0;
	char			 *cs;

	for (i = 0; i < r->naddrs; i++)
		if (r->addrs[i].outcome == POLICY_FETCH_OK)
			nok++;
	for (i = 0; i < r->naddrs; i++) {
		a = &r->addrs[i];
		if (a->outcome != POLICY_FETCH_OK) {
			code = policy_fetch_code(a->outcome);
			if (nok > 0)
				f = finding_add(r->findings,
				    FINDING_FETCH_ADDRESS_FAILED, a->address, 0,
				    "%s: %s (%s)", a->address, a->detail,
				    finding_code_name(code));
			else
				f = finding_add(r->findings, code, a->address,
				    0, "%s: %s", a->address, a->detail);
			if (code == FINDING_FETCH_TLS_NAME_MISMATCH)
				policy_fetch_name_fix(f, r->host, a);
			continue;
		}
		if (a->content_type == NULL) {
			/* FETCH-9 is silent on a missing header: warn. */
			f = finding_add(r->findings, FINDING_FETCH_CONTENT_TYPE,
			    a->address, 0,
			    "%s: no Content-Type header; "
			    "senders that check for text/plain may reject "
			    "the policy",
			    a->address);
			f->severity = FINDING_WARNING;
		} else {
			policy_fetch_content_type(a->content_type, &cs);
			if (cs != NULL && strcasecmp(cs, "utf-8") != 0 &&
			    strcasecmp(cs, "us-ascii") != 0)
				finding_add(r->findings, FINDING_FETCH_CHARSET,
				    a->address, 0,
				    "%s: charset=%s is ignored "
				    "by senders",
				    a->address, cs);
			free(cs);
		}
		if (a->cache_control != NULL)
			finding_add(r->findings, FINDING_FETCH_CACHE_CONTROL,
			    a->address, 0, "%s: Cache-Control: %s", a->address,
			    a->cache_control);
	}
}

static int
policy_fetch_addr_cmp(const void *a, const void *b)
{
	const struct policy_fetch_xfer *xa =
	    *(const struct policy_fetch_xfer *const *)a;
	const struct policy_fetch_xfer *xb =
	    *(const struct policy_fetch_xfer *const *)b;

	return strcmp(xa->addr->address, xb->addr->address);
}

/*
 * The run's per-address cap (share.h): a slot for every address to
 * fetch, waiting at most the connect step.  Taken in address order, so
 * two checks holding some of the same addresses never wait on each
 * other.  An address without a slot is a timeout that says nothing about
 * the server (our cap): the result is marked cut.
 */
static size_t
policy_fetch_slots(struct policy_fetch_xfer *xs, size_t n,
    const struct policy_fetch_options *o)
{
	struct policy_fetch_xfer **order;
	int64_t			   deadline;
	size_t			   i, failed = 0;

	if (o->share == NULL || n == 0)
		return 0;
	order = xcalloc(n, sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = &xs[i];
	qsort(order, n, sizeof(*order), policy_fetch_addr_cmp);
	/*
	 * Bounded by the layer's deadline, not the connect timeout: a policy
	 * host shared by many domains of a scan is busy, not broken.  The
	 * transfers' own timeouts start after this.
	 */
	deadline = o->deadline_ms != 0 ? o->deadline_ms
				       : clock_ms() + o->connect_timeout_ms;
	for (i = 0; i < n; i++) {
		if (order[i]->done || order[i]->easy == NULL)
			continue;
		if (share_dest_acquire(o->share, order[i]->addr->address,
			deadline) == 0) {
			order[i]->slot = 1;
			continue;
		}
		failed++;
		order[i]->done = 1;
		order[i]->addr->outcome = POLICY_FETCH_TIMEOUT;
		order[i]->addr->detail = xasprintf("no connection slot for %s "
						   "before the deadline "
						   "(per-address cap of the "
						   "run)",
		    order[i]->addr->address);
	}
	free(order);
	return failed;
}

struct policy_fetch_result *
policy_fetch(const char *host, const char *const *addrs, size_t n,
    const struct policy_fetch_options *opts, char **cause)
{
	struct policy_fetch_options o;
	struct policy_fetch_result *r;
	struct policy_fetch_xfer   *xs, *x;
	struct certinfo_trust	   *trust = NULL;
	CURLM			   *multi;
	CURLMsg			   *msg;
	curl_off_t		    total_us;
	char			   *priv;
	int64_t			    start, deadline;
	size_t			    i;
	int			    fam, running = 0, left;

	if (host == NULL || (n > 0 && addrs == NULL) || opts == NULL) {
		*cause = xstrdup("policy_fetch: bad arguments");
		return NULL;
	}
	o = *opts;
	if (o.connect_timeout_ms <= 0)
		o.connect_timeout_ms = BUDGET_FETCH_CONNECT_MS;
	if (o.total_timeout_ms <= 0)
		o.total_timeout_ms = BUDGET_FETCH_TOTAL_MS;
	if (o.port == 0)
		o.port = 443;
	if (o.now == 0)
		o.now = time(NULL);
	if ((multi = curl_multi_init()) == NULL) {
		*cause = xstrdup("curl_multi_init failed");
		return NULL;
	}

	r = xcalloc(1, sizeof(*r));
	r->host = xstrdup(host);
	r->url = xasprintf("https://%s%s", host, POLICY_FETCH_PATH);
	r->body_addr = -1;
	r->findings = finding_list_new();
	r->addrs = xcalloc(n ? n : 1, sizeof(*r->addrs));
	xs = xcalloc(n ? n : 1, sizeof(*xs));
	for (i = 0; i < n; i++) {
		fam = domain_addr_family(addrs[i]);
		if (o.family != 0 && fam != 0 && fam != o.family)
			continue;
		if (r->naddrs == BUDGET_FETCH_MAX_ADDRS) {
			r->ncapped++;
			continue;
		}
		x = &xs[r->naddrs];
		x->addr = &r->addrs[r->naddrs++];
		x->addr->address = xstrdup(addrs[i]);
		x->addr->family = fam;
		strbuf_init(&x->body, POLICY_FETCH_MAX_BODY);
		if (fam == 0) {
			x->done = 1;
			x->addr->outcome = POLICY_FETCH_CONNECT_FAILED;
			x->addr->detail = xstrdup("not an IP address");
			continue;
		}
		x->easy = policy_fetch_easy(x, host, r->url, o.port, &o);
		if (x->easy == NULL) {
			x->done = 1;
			x->addr->outcome = POLICY_FETCH_CONNECT_FAILED;
			x->addr->detail = xstrdup("curl_easy_init failed");
		}
	}
	if (policy_fetch_slots(xs, r->naddrs, &o) > 0)
		r->cut = 1;
	for (i = 0; i < r->naddrs; i++) {
		x = &xs[i];
		if (x->done || x->easy == NULL)
			continue;
		if (curl_multi_add_handle(multi, x->easy) != CURLM_OK) {
			x->done = 1;
			x->addr->outcome = POLICY_FETCH_CONNECT_FAILED;
			x->addr->detail = xstrdup("curl_multi_add_handle "
						  "failed");
		}
	}

	start = clock_ms();
	deadline = start + o.total_timeout_ms + BUDGET_FETCH_SLACK_MS;
	if (o.deadline_ms != 0 && o.deadline_ms < deadline)
		deadline = o.deadline_ms;
	for (;;) {
		curl_multi_perform(multi, &running);
		/*
		 * Loading the store takes ~15 ms: do it while TCP connects
		 * (a run's share has it loaded once for all its checks).
		 */
		if (trust == NULL &&
		    (trust = o.share != NULL
			    ? share_trust(o.share, o.ca_file, cause)
			    : certinfo_trust_new(o.ca_file, cause)) == NULL)
			break;
		while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			priv = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    &priv);
			x = (struct policy_fetch_xfer *)(void *)priv;
			x->done = 1;
			x->addr->body_len = x->body.len;
			x->addr->body = strbuf_detach(&x->body, NULL);
			total_us = 0;
			curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME_T,
			    &total_us);
			x->addr->elapsed_ms = (long)(total_us / 1000);
			policy_fetch_chain(x, trust, host, o.now);
			/* The limit this transfer had: its own, or less. */
			policy_fetch_classify(x, msg->data.result,
			    o.deadline_ms != 0 &&
				    o.deadline_ms - start < o.total_timeout_ms
				? (long)(o.deadline_ms - start)
				: o.total_timeout_ms);
			if (x->addr->outcome == POLICY_FETCH_TIMEOUT &&
			    o.deadline_ms != 0 &&
			    clock_ms() + 50 >= o.deadline_ms)
				r->cut = 1;
		}
		if (running == 0 || clock_ms() >= deadline)
			break;
		curl_multi_poll(multi, NULL, 0, 200, NULL);
	}

	for (i = 0; i < r->naddrs; i++) {
		x = &xs[i];
		if (!x->done && trust != NULL) {
			/* curl's own timer did not fire: never hang on it. */
			x->addr->outcome = POLICY_FETCH_TIMEOUT;
			x->addr->elapsed_ms = (long)(clock_ms() - start);
			x->addr->detail = xasprintf("no complete answer within "
						    "%ld ms",
			    x->addr->elapsed_ms);
			if (o.deadline_ms != 0 && clock_ms() >= o.deadline_ms)
				r->cut = 1;
		}
		if (x->easy != NULL) {
			curl_multi_remove_handle(multi, x->easy);
			curl_easy_cleanup(x->easy);
		}
		if (x->slot)
			share_dest_release(o.share, x->addr->address);
		curl_slist_free_all(x->connect_to);
		strbuf_free(&x->body);
		if (r->body_addr < 0 && x->addr->outcome == POLICY_FETCH_OK) {
			r->body_addr = (long)i;
			r->body = x->addr->body;
			r->body_len = x->addr->body_len;
		}
	}
	free(xs);
	curl_multi_cleanup(multi);
	if (trust == NULL) {
		policy_fetch_result_free(r);
		return NULL;
	}
	certinfo_trust_free(trust);

	if (r->naddrs == 0) {
		if (n == 0)
			finding_add(r->findings,
			    FINDING_FETCH_HOST_UNRESOLVABLE, host, 0,
			    "%s has no A or AAAA record", host);
		else
			finding_add(r->findings,
			    FINDING_FETCH_HOST_UNRESOLVABLE, host, 0,
			    "%s has no IPv%d address (the others "
			    "are excluded by the address family option)",
			    host, o.family);
	} else
		policy_fetch_findings(r);
	if (r->ncapped > 0)
		finding_add(r->findings, FINDING_FETCH_NOT_EXAMINED, host, 0,
		    "%s has %zu more address%s than the %d fetched from; "
		    "those are not examined",
		    host, r->ncapped, r->ncapped == 1 ? "" : "es",
		    BUDGET_FETCH_MAX_ADDRS);
	return r;
}

void
policy_fetch_result_free(struct policy_fetch_result *r)
{
	struct policy_fetch_addr *a;
	size_t			  i;

	if (r == NULL)
		return;
	for (i = 0; i < r->naddrs; i++) {
		a = &r->addrs[i];
		free(a->address);
		free(a->detail);
		free(a->content_type);
		free(a->location);
		free(a->cache_control);
		free(a->body);
		free(a->tls_version);
		free(a->tls_cipher);
		free(a->tls_desc);
		certinfo_chain_free(a->chain);
		certinfo_verify_free(a->verify);
		free(a->curl_error);
	}
	free(r->addrs);
	free(r->host);
	free(r->url);
	finding_list_free(r->findings);
	free(r);
}

/*
 * For the fuzzer and tests (policy_fetch_internal.h): one header line fed
 * to the header callback as libcurl would, without a transfer.
 */
size_t
policy_fetch_header_feed(struct policy_fetch_addr *a, char *line, size_t len)
{
	struct policy_fetch_xfer x;

	memset(&x, 0, sizeof(x));
	x.addr = a;
	x.tls_seen = 1; /* no handle to ask for the TLS session */
	return policy_fetch_header_cb(line, 1, len, &x);
}
