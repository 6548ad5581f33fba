/*
 * policy_fetch: GET https://mta-sts.DOMAIN/.well-known/mta-sts.txt from
 * every address of the policy host, as an RFC 8461 sender would (FETCH-1 to
 * FETCH-11, TLS-5).
 *
 * The caller resolves the host with its own DNS module and passes the
 * addresses (IPv4/IPv6 literals); an empty list means the host is
 * unresolvable.  Each address gets its own connection, pinned with
 * CURLOPT_CONNECT_TO, with SNI and the Host header set to the host name,
 * full PKIX verification, TLS >= 1.2, HTTP/1.1, no redirects followed, no
 * conditional or caching request headers, no proxy, and at most
 * POLICY_FETCH_MAX_BODY bytes kept.  At most BUDGET_FETCH_MAX_ADDRS
 * addresses are fetched, all at once (one curl multi handle per call); the
 * others get fetch.not_examined.  policy_fetch() blocks for about the total
 * timeout at most, and never long past the caller's absolute deadline_ms:
 * each transfer's CURLOPT_TIMEOUT_MS is the smaller of the total timeout
 * and the time left, and the multi loop stops there (result->cut).
 *
 * Trust: the store is loaded once per call, by certinfo, and that judgement
 * is the only one; libcurl gets no CA file at all (it would load and parse
 * the whole store again for every handle: with the system store, 1.4 MB
 * and ~15 ms each) and does not verify, so a bad certificate is always
 * certinfo's verdict, never a transfer aborted by libcurl.
 *
 * The certificate chain the server sent is captured with CURLOPT_CERTINFO
 * (libcurl's GnuTLS backend fills it before it verifies, so it is there
 * when verification fails) and judged again by certinfo_verify().  That
 * judgement is authoritative: libcurl with GnuTLS falls back to the subject
 * CN and accepts partial-label wildcards, RFC 8461 senders must not, so a
 * 200 response with such a certificate is still a TLS failure here.
 *
 * Threads: no global state; safe to call from a worker thread.  The caller
 * must have called curl_global_init(CURL_GLOBAL_DEFAULT) once, before any
 * thread starts.
 *
 * Findings (subject = the address, or the host for host_unresolvable):
 * - no address at all (or none left by the family filter):
 *   fetch.host_unresolvable;
 * - each failing address gets exactly one finding: its own code
 *   (fetch.connect_failed, timeout, tls_*, http_status, redirect,
 *   content_type, too_large) when no address succeeded, else
 *   fetch.address_failed naming that code in its message -- never both;
 * - each successful address may add fetch.content_type (missing header,
 *   severity lowered to warning), fetch.charset and fetch.cache_control.
 * An address succeeds when TLS verifies (certinfo), the status is 200, the
 * Content-Type is text/plain or absent, and the body fits the cap.
 *
 * Ownership: the result and everything in it belong to the result; free it
 * with policy_fetch_result_free().  It is read-only for clients.
 */
#ifndef MTASTS_POLICY_FETCH_H
#define MTASTS_POLICY_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "budget.h"

#define POLICY_FETCH_PATH     "/.well-known/mta-sts.txt"
#define POLICY_FETCH_MAX_BODY 65536 /* FETCH-10: 64 KiB, not 64 000 */

struct certinfo_chain;
struct certinfo_verify;
struct finding_list;

struct share;

struct policy_fetch_options {
	const char   *ca_file;		  /* NULL: the system trust store */
	long	      connect_timeout_ms; /* 0: BUDGET_FETCH_CONNECT_MS */
	long	      total_timeout_ms;	  /* 0: BUDGET_FETCH_TOTAL_MS */
	int	      family;		  /* 0 both, 4 or 6 */
	unsigned      port;		  /* 0: 443; other ports for tests */
	time_t	      now;		  /* 0: time(NULL); certificate dates */
	int64_t	      deadline_ms;	  /* absolute clock_ms(); 0: none */
	struct share *share; /* a run's trust store and per-address cap
				(share.h); NULL: none */
};

/* What happened at one address, first failing step wins. */
enum policy_fetch_outcome {
	POLICY_FETCH_OK = 0,
	POLICY_FETCH_CONNECT_FAILED, /* refused, unreachable, bad address */
	POLICY_FETCH_TIMEOUT,	     /* connect or total timeout */
	POLICY_FETCH_TLS_HANDSHAKE,  /* no TLS >= 1.2 handshake */
	POLICY_FETCH_TLS_UNTRUSTED,  /* includes other chain errors */
	POLICY_FETCH_TLS_INCOMPLETE,
	POLICY_FETCH_TLS_EXPIRED, /* includes not yet valid */
	POLICY_FETCH_TLS_NAME,
	POLICY_FETCH_HTTP_ERROR,   /* no usable HTTP response */
	POLICY_FETCH_HTTP_STATUS,  /* not 200 and not 3xx */
	POLICY_FETCH_REDIRECT,	   /* 3xx, Location recorded */
	POLICY_FETCH_CONTENT_TYPE, /* present and not text/plain */
	POLICY_FETCH_TOO_LARGE	   /* body over the cap, truncated */
};

/* One address; read-only for clients. */
struct policy_fetch_addr {
	char			 *address; /* as given */
	int			  family;  /* 4 or 6, 0 if not an address */
	long			  elapsed_ms;
	enum policy_fetch_outcome outcome;
	char			 *detail;	/* one line on the outcome */
	long			  http_status;	/* 0: none received */
	char			 *content_type; /* NULL: header absent */
	char			 *location;
	char			 *cache_control;
	char			 *body;	     /* NULL-terminated, may be NULL */
	size_t			  body_len;  /* bytes kept */
	int			  truncated; /* more than the cap was sent */
	char		       *tls_version; /* "TLS1.3"; NULL: no handshake */
	char		       *tls_cipher;  /* "AES-256-GCM" */
	char		       *tls_desc;    /* GnuTLS session description */
	struct certinfo_chain  *chain;	     /* as sent; NULL: none seen */
	struct certinfo_verify *verify;	     /* NULL when chain is NULL */
	int			curl_code;   /* CURLcode */
	char		       *curl_error;  /* curl's text; NULL if none */
};

struct policy_fetch_result {
	char			 *host;
	char			 *url;
	struct policy_fetch_addr *addrs; /* those tried, input order */
	size_t			  naddrs;
	/* From the first successful address in input order, or NULL. */
	const char	    *body;
	size_t		     body_len;
	long		     body_addr; /* index into addrs, or -1 */
	struct finding_list *findings;
	int		     cut;     /* some transfer hit deadline_ms */
	size_t		     ncapped; /* addresses over the cap, not tried */
};

/*
 * Fetches from every address in addrs (n of them) that matches the family
 * filter.  Returns a result, or NULL with *cause set (caller frees) when
 * the fetch cannot be made at all: host NULL, trust store unreadable,
 * libcurl unusable.
 */
struct policy_fetch_result *policy_fetch(const char *host,
    const char *const *addrs, size_t n, const struct policy_fetch_options *,
    char **cause);
void	    policy_fetch_result_free(struct policy_fetch_result *);
const char *policy_fetch_outcome_name(enum policy_fetch_outcome);

/*
 * Parses a Content-Type value (RFC 9110 media-type with parameters).
 * Returns 1 when the media type is text/plain (case-insensitive), else 0;
 * *charset gets the first charset parameter's value, unquoted (caller
 * frees), or NULL.
 */
int policy_fetch_content_type(const char *value, char **charset);

#endif
