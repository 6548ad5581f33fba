/*
 * doc_certs: the leaf certificates a check document (`check --json`, a
 * scan line) shows, one per policy-host address and one per MX address,
 * with days left and the expiry time.  Shared by the Nagios output and the
 * metrics textfile, which both read documents rather than live checks so
 * that a stored scan line gives the same answer.
 *
 * Pure; the strings borrow from the document (valid while it lives).
 */
#ifndef MTASTS_DOC_CERTS_H
#define MTASTS_DOC_CERTS_H

#include <jansson.h>
#include <stddef.h>

#define DOC_CERTS_MAX 256 /* a hostile document lists no more than this */

struct doc_cert {
	const char *host;      /* the MX name; for the policy host, DOMAIN */
	const char *address;   /* the address it was served from */
	int	    policy;    /* 1: the policy host, 0: an MX */
	long	    days_left; /* negative once expired */
	long long   not_after; /* epoch seconds, -1 when unreadable */
};

/* Fills at most max entries of out in document order; returns the count
 * found (which may exceed max: the rest were left out). */
size_t doc_certs(const json_t *doc, struct doc_cert *out, size_t max);

/* The layer object with this id, or NULL. */
const json_t *doc_layer(const json_t *doc, const char *id);
/* Its "data" object, or NULL. */
const json_t *doc_layer_data(const json_t *doc, const char *id);

#endif
