/*
 * dns_update: an RFC 2136 dynamic update of whole TXT RRsets, signed with
 * TSIG (RFC 8945), through ldns.
 *
 * Build with dns_update_new() and one dns_update_set() per owner whose
 * RRset changes: old is what was read from the server (dns_update_read()),
 * new what it must become.  Each change carries a prerequisite so the
 * server applies nothing if the RRset moved since it was read: "RRset
 * exists (value dependent)" with the old records, or "RRset does not
 * exist" when there were none (RFC 2136 2.4.2 and 2.4.3); then the RRset
 * is deleted and the new records added, all in one message, so the server
 * applies every change or none.
 *
 * dns_update_send() blocks until the answer or the caller's absolute
 * deadline (clock_ms()): UDP first, TCP when the answer is truncated.  The
 * answer's TSIG is verified.  Nothing here keeps global state; one update
 * belongs to one thread.
 */
#ifndef MTASTS_DNS_UPDATE_H
#define MTASTS_DNS_UPDATE_H

#include <stddef.h>
#include <stdint.h>

struct dns_update;

/* A TSIG key as `nsupdate -k` reads it (BIND key file); opaque. */
struct dns_tsig_key;

enum dns_update_outcome {
	DNS_UPDATE_OK,	     /* NOERROR: applied */
	DNS_UPDATE_CONFLICT, /* YXRRSET/NXRRSET/YXDOMAIN/NXDOMAIN: changed
				since read; nothing applied */
	DNS_UPDATE_REFUSED,  /* REFUSED: the key may not update this */
	DNS_UPDATE_NOTAUTH,  /* NOTAUTH: wrong key, or not the zone's server */
	DNS_UPDATE_FAILED    /* any other rcode, no answer, bad answer */
};

/*
 * Reads a BIND key file (key "name" { algorithm hmac-sha256; secret
 * "base64"; };), hmac-sha256 or hmac-sha512.  NULL with *cause set
 * (caller frees) when it cannot be read or used.
 */
struct dns_tsig_key *dns_tsig_key_read(const char *path, char **cause);
void		     dns_tsig_key_free(struct dns_tsig_key *);
const char	    *dns_tsig_key_name(const struct dns_tsig_key *);

/*
 * The TXT records at owner as server (an address; port 0: 53) serves them,
 * asked directly (RD=0, TCP).  Fills *rdata with presentation strings
 * ("\"v=STSv1; id=...\""), *n of them (0: none), their TTL in *ttl (0:
 * none).  Returns 0, or -1 with *cause set.
 */
int  dns_update_read(const char *server, unsigned port, const char *owner,
     int64_t deadline, char ***rdata, size_t *n, uint32_t *ttl, char **cause);
void dns_update_rdata_free(char **, size_t);

struct dns_update *dns_update_new(const char *zone);
void		   dns_update_free(struct dns_update *);
/*
 * owner's TXT RRset becomes the one record new_rdata (presentation form,
 * the quoted strings), with ttl; old/nold: what was read.  Returns 0, or -1
 * with *cause set when a name or record does not parse.
 */
int    dns_update_set(struct dns_update *, const char *owner, uint32_t ttl,
       char *const *old, size_t nold, const char *new_rdata, char **cause);
size_t dns_update_count(const struct dns_update *);
/* The update as dig/ldns print it (caller frees). */
char *dns_update_text(const struct dns_update *);
/* The same update as an nsupdate script (caller frees); NULLs are left out. */
char *dns_update_script(const struct dns_update *, const char *server,
    unsigned port);

/*
 * Signs (key NULL: unsigned) and sends.  Returns the outcome; *detail
 * always gets one line saying what the server said (caller frees).
 */
enum dns_update_outcome dns_update_send(struct dns_update *, const char *server,
    unsigned port, const struct dns_tsig_key *, int64_t deadline,
    char **detail);
const char	       *dns_update_outcome_name(enum dns_update_outcome);

#endif
