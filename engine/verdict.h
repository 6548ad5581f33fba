/*
 * verdict: three answers a mail administrator can act on, each computed
 * from facts the layers established (doc/verdict.md):
 *
 *   delivery   what senders do today, per MX host and address and overall,
 *              for every kind of sender that acts differently (a strict
 *              RFC 8461 reader, a lenient one, one holding the served policy
 *              from before);
 *   promotion  the next safe step and the facts that block it: only what
 *              would change delivery under the target mode blocks;
 *   hygiene    what is wrong but changes no delivery.
 *
 * The exit status follows from these three in verdict_judge() and nowhere
 * else.  Pure: no I/O; the caller turns engine results into the facts below.
 */
#ifndef MTASTS_VERDICT_H
#define MTASTS_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "policy_parse.h"

struct finding_list;

/* What an MTA-STS sender's session with one MX address gives. */
enum verdict_tls {
	VERDICT_TLS_OK = 0,	 /* STARTTLS, TLS >= 1.2, PKIX-valid name */
	VERDICT_TLS_BAD,	 /* reachable; fails MTA-STS validation */
	VERDICT_TLS_UNREACHABLE, /* no SMTP service here: not MTA-STS */
	VERDICT_TLS_UNKNOWN	 /* not examined (skipped, port 25 blocked) */
};

struct verdict_addr_in {
	const char	 *address;
	enum verdict_tls  tls;
	enum finding_code code;		/* why BAD or UNREACHABLE */
	const char	 *why;		/* one line, or NULL */
	int		  dane_refuses; /* DANE senders defer (DANE-5) */
	enum finding_code dane_code;	/* why: dane.mismatch, ... */
	const char	 *dane_why;
};

struct verdict_host_in {
	const char		     *name;
	unsigned		      pref;
	int			      ip_literal;
	const struct verdict_addr_in *addrs;
	size_t			      naddrs; /* 0: does not resolve */
};

/* A policy as one kind of sender reads it. */
struct verdict_policy {
	enum policy_mode   mode;
	const char *const *patterns;
	size_t		   npatterns;
	int64_t		   max_age; /* -1: unknown */
};

enum verdict_mx_state {
	VERDICT_MX_OK = 0,   /* hosts listed (or implicit) */
	VERDICT_MX_NULL,     /* 0 . : the domain takes no mail */
	VERDICT_MX_NXDOMAIN, /* the domain does not exist */
	VERDICT_MX_DNS_ERROR /* no answer: senders queue and retry */
};

enum verdict_evidence {
	VERDICT_EVIDENCE_NO_TLSRPT = 0, /* nobody receives reports */
	VERDICT_EVIDENCE_NOT_GIVEN,	/* reports exist, none read */
	VERDICT_EVIDENCE_NOT_CLEAN,
	VERDICT_EVIDENCE_CLEAN
};

struct verdict_input {
	const char *domain;
	long long   now; /* epoch seconds, for fresh ids in advice */

	/* How first-contact senders discover the policy. */
	int		  txt_present; /* any v=STSv1 candidate */
	int		  txt_valid;   /* exactly one valid (strict) */
	int		  txt_lenient; /* the first of several is valid */
	enum finding_code txt_code;    /* why not valid */
	int		  fetched;     /* a 200 text/plain body, strictly */
	enum finding_code fetch_code;  /* why not */
	/* The served policy: strict reading, and a lenient reading where
	 * lenient senders take something the strict ones refuse (indented
	 * lines, blank lines, a BOM, a body over 64 KiB); NULL: none. */
	const struct verdict_policy *strict;
	const struct verdict_policy *lenient;
	enum finding_code	     policy_code; /* why strict is NULL */
	const char		    *lenient_why; /* what lenient senders do */

	enum verdict_mx_state	      mx_state;
	const struct verdict_host_in *hosts;
	size_t			      nhosts;

	int unknown_by_choice; /* MX TLS skipped as asked (--no-mx-tls,
				  --skip-mx), not cut off by the network */
	int tlsrpt_usable;
	enum verdict_evidence evidence; /* with tlsrpt_usable */
	const char	     *evidence_why;

	/* Every layer's findings, for hygiene and repair causes. */
	const struct finding_list *const *layers;
	size_t				  nlayers;
};

/* Per MX host and address: what one kind of sender does there. */
enum verdict_outcome {
	VERDICT_VERIFIED = 0,  /* delivers over verified TLS (enforce) */
	VERDICT_REPORTED,      /* delivers; failures reported (testing) */
	VERDICT_OPPORTUNISTIC, /* delivers without MTA-STS (none, no policy) */
	VERDICT_REFUSED,       /* will not deliver: MTA-STS (or DANE) */
	VERDICT_UNREACHABLE,   /* cannot deliver, not because of MTA-STS */
	VERDICT_UNKNOWN	       /* not examined */
};

enum verdict_state {
	VERDICT_ALL = 0,      /* every MX host takes mail */
	VERDICT_SOME,	      /* only some MX hosts do */
	VERDICT_NONE,	      /* no MX host does */
	VERDICT_NO_MAIL,      /* null MX: the domain takes no mail */
	VERDICT_STATE_UNKNOWN /* not examined */
};

enum verdict_sender {
	VERDICT_SENDER_STRICT = 0, /* RFC 8461 as written, first contact */
	VERDICT_SENDER_LENIENT,	   /* reads the policy more loosely */
	VERDICT_SENDER_HOLDER	   /* holds the served policy from before */
};

struct verdict_addr {
	char		    *address;
	enum verdict_outcome outcome;
	int		     has_code;
	enum finding_code    code;
	char		    *why;
};

struct verdict_host {
	char		    *name;
	unsigned	     pref;
	enum verdict_outcome outcome;
	int		     has_code;
	enum finding_code    code;
	char		    *why;
	struct verdict_addr *addrs;
	size_t		     naddrs;
};

struct verdict_view {
	enum verdict_sender  sender;
	int		     has_policy;
	enum policy_mode     mode;
	enum verdict_state   state;
	int		     cause_mta_sts; /* some/none: MTA-STS refuses */
	int		     refused;	    /* any host or address refused */
	size_t		     nunknown;	    /* hosts not examined */
	char		    *summary;
	struct verdict_host *hosts;
	size_t		     nhosts;
};

enum verdict_step {
	VERDICT_STEP_DEPLOY = 0,    /* no policy: publish one in testing */
	VERDICT_STEP_REPAIR,	    /* announced or served, not usable */
	VERDICT_STEP_TO_ENFORCE,    /* testing -> enforce */
	VERDICT_STEP_FIX_NOW,	    /* enforce refuses mail: fix now */
	VERDICT_STEP_RAISE_MAX_AGE, /* enforce healthy, short max_age */
	VERDICT_STEP_KEEP,	    /* enforce healthy: keep watching */
	VERDICT_STEP_REMOVAL,	    /* mode none: removal in progress */
	VERDICT_STEP_MOOT	    /* no mail, no domain: nothing to do */
};

/* A fact that blocks the next step, or one to fix. */
struct verdict_item {
	enum finding_code code;
	char		 *subject; /* host, address, or NULL */
	char		 *why;
	char		 *fix; /* NULL: the finding's or catalog's */
};

/* Read-only for callers; free with verdict_free(). */
struct verdict {
	/* What strict first-contact senders apply. */
	int   policy_applied; /* a testing or enforce policy */
	char *mode;	      /* "enforce", "testing", "none", NULL */
	char *reason;	      /* one sentence on what senders do */
	char *summary;	      /* one line for a verdict bar */

	/* delivery: views[0] is the strict reader; others only where a
	 * kind of sender acts differently. */
	struct verdict_view *views;
	size_t		     nviews;
	enum verdict_state   state; /* the worst over the views */
	int		     cause_mta_sts;
	char		    *delivery; /* one line */

	/* promotion */
	enum verdict_step     step;
	char		     *next; /* the next safe step, in words */
	struct verdict_item  *blockers;
	size_t		      nblockers;
	struct verdict_item  *causes; /* repair: why unusable */
	size_t		      ncauses;
	int		      has_evidence;
	enum verdict_evidence evidence;
	int		      enforce_ready; /* enforce is, or would be, safe */
	int retire; /* MTA-STS published where it has no use (null MX) */
	int unknown_by_choice;

	/* hygiene: findings that change no delivery, warning or worse */
	struct verdict_item *hygiene;
	size_t		     nhygiene;

	int   exit_status; /* 0, 1 or 2; 3 is the caller's (not checked) */
	char *exit_why;
};

struct verdict *verdict_judge(const struct verdict_input *,
    struct finding_list *fl);
void		verdict_free(struct verdict *);

const char *verdict_outcome_name(enum verdict_outcome);
const char *verdict_state_name(enum verdict_state);
const char *verdict_sender_name(enum verdict_sender);
const char *verdict_step_name(enum verdict_step);
const char *verdict_evidence_name(enum verdict_evidence);
/* 1 when a sender delivers to a host or address with this outcome. */
int verdict_outcome_delivers(enum verdict_outcome);

#endif
