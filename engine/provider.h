/*
 * provider: to whom a domain's MTA-STS hosting is delegated, read from the
 * CNAME chains of mta-sts.DOMAIN and _mta-sts.DOMAIN, and what a failing
 * fetch from a delegated policy host means.
 *
 * Most third-party policy-host failures are domains pointing a CNAME at a
 * provider that never hosted them or no longer does (doc/field-data.md):
 * the target is NXDOMAIN, the certificate does not name mta-sts.DOMAIN, the
 * file is empty, or the provider serves mode none.  The fetch and policy
 * layers report each symptom; provider_judge() names the provider and adds
 * the diagnosis on top (fetch.delegated, fetch.delegation_dangling,
 * fetch.delegation_broken), with the concrete records in the fix.
 *
 * Pure: no network, no global state.  The table of known providers is
 * const; provider_match() may be called from any thread.
 *
 * Ownership: provider_judge() returns a result the caller frees with
 * provider_result_free(); its provider pointers point into the const table.
 */
#ifndef MTASTS_PROVIDER_H
#define MTASTS_PROVIDER_H

#include <stddef.h>

struct finding_list;
struct policy;
struct policy_fetch_result;

/* What a provider was seen doing after a customer left (field-data.md). */
#define PROVIDER_LEFT_NXDOMAIN	0x01 /* removes the name */
#define PROVIDER_LEFT_MODE_NONE 0x02 /* serves mode: none */
#define PROVIDER_LEFT_EMPTY	0x04 /* keeps the certificate, empty file */
#define PROVIDER_LEFT_STALE	0x08 /* keeps the certificate and old file */
#define PROVIDER_LEFT_SERVING	0x10 /* keeps serving as before */

/* One known policy-hosting provider; read-only. */
struct provider {
	const char *name;  /* "Mailhardener" */
	const char *zone;  /* its targets lie at or under this name */
	const char *form;  /* the target it gives a.com, for people */
	const char *after; /* what it does when a customer leaves */
	unsigned    left;  /* PROVIDER_LEFT_* */
};

/*
 * The known provider whose zone holds name, or NULL.  Case-insensitive; a
 * trailing root dot is ignored; the zone must match whole labels.
 */
const struct provider *provider_match(const char *name);
size_t		       provider_count(void);
const struct provider *provider_get(size_t);

/* How the delegated policy host looks, worst symptom first. */
enum provider_state {
	PROVIDER_STATE_NONE = 0,   /* mta-sts.DOMAIN is not delegated */
	PROVIDER_STATE_OK,	   /* delegated; nothing points to its end */
	PROVIDER_STATE_DANGLING,   /* the chain ends in NXDOMAIN */
	PROVIDER_STATE_NO_ADDRESS, /* the target exists, without address */
	PROVIDER_STATE_NO_CERT,	   /* no certificate names mta-sts.DOMAIN */
	PROVIDER_STATE_NOT_SERVED, /* other fetch failure (HTTP, TLS, TCP) */
	PROVIDER_STATE_EMPTY,	   /* 200 with an empty file */
	PROVIDER_STATE_MODE_NONE   /* the provider serves mode: none */
};

/* One delegated name; read-only for clients.  owner NULL: not delegated. */
struct provider_delegation {
	char		      *owner;	 /* "mta-sts.a.com" */
	char		      *cname;	 /* what owner's CNAME points at */
	char		      *target;	 /* first name of the chain outside
					    DOMAIN */
	const struct provider *provider; /* NULL: not a known provider */
};

struct provider_result {
	struct provider_delegation host;  /* mta-sts.DOMAIN */
	struct provider_delegation txt;	  /* _mta-sts.DOMAIN */
	enum provider_state	   state; /* of the host */
};

/* What the dns, fetch and policy layers found; all borrowed. */
struct provider_input {
	const char			 *domain;
	const char *const		 *host_cname; /* mta-sts.DOMAIN */
	size_t				  nhost_cname;
	int				  host_nxdomain; /* no such name */
	int				  host_nodata;	 /* no address */
	const char *const		 *txt_cname;	 /* _mta-sts.DOMAIN */
	size_t				  ntxt_cname;
	const struct policy_fetch_result *fetch;  /* NULL: none made */
	const struct policy		 *policy; /* NULL: none parsed */
};

/*
 * Finds the delegations and adds the fetch.delegated and
 * fetch.delegation_* findings to fl.  Always returns a result (the caller
 * frees it); state is PROVIDER_STATE_NONE when mta-sts.DOMAIN is not
 * delegated.
 */
struct provider_result *provider_judge(const struct provider_input *,
    struct finding_list *fl);
void			provider_result_free(struct provider_result *);
const char	       *provider_state_name(enum provider_state);
/* The provider's name, or "" for an unknown one. */
const char *provider_delegation_name(const struct provider_delegation *);

#endif
