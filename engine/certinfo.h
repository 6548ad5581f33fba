/*
 * certinfo: what a TLS peer's certificate chain says, and whether an
 * MTA-STS sender would accept it.
 *
 * certinfo_chain_new() parses the DER chain exactly as the server sent it
 * (leaf first) into read-only records.  certinfo_verify() judges it the
 * way RFC 8461 asks (FETCH-3, TLS-3, TLS-5): PKIX path to a trust anchor
 * using only the presented certificates plus the trust store (no AIA
 * fetching), validity against the caller's `now`, and the reference name
 * against subjectAltName DNS-IDs only (never the subject CN; `*` only as the
 * whole left-most label, matching exactly one label; partial-label
 * wildcards never match).
 *
 * The module uses GnuTLS only, so the policy fetch (libcurl) and the SMTP
 * probe (GnuTLS session) share it.  No global state: every function may be
 * called from any thread, each on its own objects.  gnutls_global_init()
 * is implied by linking GnuTLS >= 3.3.
 *
 * Ownership: certinfo_chain_new, certinfo_trust_new and certinfo_verify
 * return objects the caller frees with the matching _free function; every
 * pointer inside them is owned by that object and read-only for callers.
 */
#ifndef MTASTS_CERTINFO_H
#define MTASTS_CERTINFO_H

#include <stddef.h>
#include <time.h>

#define CERTINFO_HEXLEN 64 /* SHA-256 in hex, without NUL */

/* One certificate, read-only for clients. */
struct certinfo {
	char	      *subject;	  /* RFC 4514 DN */
	char	      *issuer;	  /* RFC 4514 DN */
	char	     **dns_names; /* SAN dNSName entries, as written */
	size_t	       ndns;
	char	     **ip_addrs; /* SAN iPAddress entries, printable */
	size_t	       nip;
	time_t	       not_before;
	time_t	       not_after;
	long	       days_left; /* whole days from now to not_after,
					   negative once expired */
	char	      *key;	  /* "RSA 2048", "ECDSA P-256", ... */
	char	      *sig_alg;	  /* "RSA-SHA256", ... */
	char	       fpr_sha256[CERTINFO_HEXLEN + 1];	 /* of the DER */
	char	       spki_sha256[CERTINFO_HEXLEN + 1]; /* of the SPKI */
	int	       is_ca;	    /* basicConstraints cA=TRUE */
	int	       self_signed; /* issuer == subject and own key signs */
	unsigned char *der;
	size_t	       der_len;
};

/* A presented chain, leaf first, in the order the server sent it. */
struct certinfo_chain {
	struct certinfo *certs;
	size_t		 ncerts;
};

/* One DER certificate as received (borrowed by certinfo_chain_new). */
struct certinfo_der {
	const unsigned char *data;
	size_t		     len;
};

/*
 * Parses n DER certificates.  Returns a new chain, or NULL with *cause set
 * (caller frees) when a certificate cannot be parsed.  n may be 0.
 */
struct certinfo_chain *certinfo_chain_new(const struct certinfo_der *, size_t n,
    time_t now, char **cause);
/* Same, from a concatenation of PEM blocks (for libcurl's CERTINFO). */
struct certinfo_chain *certinfo_chain_new_pem(const char *const *pem, size_t n,
    time_t now, char **cause);
void		       certinfo_chain_free(struct certinfo_chain *);

/*
 * A loaded trust store.  cafile NULL means the system store.  Returns NULL
 * with *cause set (caller frees) when nothing could be loaded.
 */
struct certinfo_trust;

struct certinfo_trust *certinfo_trust_new(const char *cafile, char **cause);
/*
 * Reference-counted, so one store can serve every check of a run
 * (share.h): verifying against it only reads it, from any thread.
 * certinfo_trust_free() drops one reference.
 */
struct certinfo_trust *certinfo_trust_ref(struct certinfo_trust *);
void		       certinfo_trust_free(struct certinfo_trust *);
/*
 * From now on, keep the trust half of up to max_entries verifications
 * (links, path, signatures: what depends on the chain and the store only)
 * so a chain seen again is not re-verified; the name and validity checks
 * are made on every call.  For a store shared by a run (share.h).
 */
void certinfo_trust_cache(struct certinfo_trust *, size_t max_entries);
/* "system trust store" or "CA file PATH". */
const char *certinfo_trust_source(const struct certinfo_trust *);

/* Primary outcome; ordered by what to fix first (see certinfo_verify). */
enum certinfo_verdict {
	CERTINFO_OK = 0,
	CERTINFO_UNTRUSTED,	   /* self-signed or unknown CA */
	CERTINFO_INCOMPLETE_CHAIN, /* issuer of the last one missing */
	CERTINFO_OTHER,		   /* bad signature, not a CA, weak
					   algorithm, no certificate, ... */
	CERTINFO_NAME_MISMATCH,
	CERTINFO_EXPIRED,
	CERTINFO_NOT_YET_VALID
};

/* Every problem found, as bits, because one chain can have several. */
#define CERTINFO_P_UNTRUSTED  0x01u
#define CERTINFO_P_INCOMPLETE 0x02u
#define CERTINFO_P_OTHER      0x04u
#define CERTINFO_P_NAME	      0x08u
#define CERTINFO_P_EXPIRED    0x10u
#define CERTINFO_P_NOT_YET    0x20u

/* Per presented certificate: how it links to the next one or to an anchor. */
struct certinfo_link {
	int   signed_by_next; /* 1 yes, 0 no, -1 no next cert */
	int   is_anchor;      /* this cert is itself in the store */
	char *anchor;	      /* DN of the store cert that issued
					     and signed it, or NULL */
	int   in_path;	      /* part of the path that was judged */
};

struct certinfo_verify {
	enum certinfo_verdict verdict;
	unsigned	      problems;	     /* CERTINFO_P_* */
	unsigned	      gnutls_status; /* gnutls_certificate_status_t */
	char		     *detail;	     /* one line, always set */
	char		     *anchor;	     /* DN of the anchor reached */
	char		     *anchor_source; /* certinfo_trust_source() */
	struct certinfo_link *links;	     /* one per presented cert */
	size_t		      nlinks;
	long		      matched_dns; /* index into certs[0].dns_names
						   of the SAN that matched the
						   reference name, or -1 */
};

/*
 * Judges chain for refname (ASCII host name; NULL skips the name check) at
 * time now.  Never fails: a result is always returned, free it with
 * certinfo_verify_free.  The verdict is the first problem in this order:
 * trust (untrusted, incomplete chain, other), then name mismatch, then
 * validity period (expired, not yet valid).  Validity is checked for every
 * presented certificate on the judged path, not for the trust anchor.
 */
struct certinfo_verify *certinfo_verify(const struct certinfo_chain *,
    const struct certinfo_trust *, const char *refname, time_t now);
void			certinfo_verify_free(struct certinfo_verify *);
const char	       *certinfo_verdict_name(enum certinfo_verdict);

/*
 * RFC 6125 DNS-ID match as RFC 8461 uses it: case-insensitive, one trailing
 * dot on refname ignored, `*` only as the entire left-most label of pattern
 * standing for exactly one non-empty label, and at least two labels after
 * it.  Returns 1 on match.
 */
int certinfo_name_match(const char *pattern, const char *refname);

#endif
