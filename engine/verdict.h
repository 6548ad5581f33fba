/*
 * verdict: what a first-contact, RFC 8461-conforming sender applies to the
 * domain today, and whether mode enforce is safe (or healthy).
 *
 * Pure: it reads the facts the layers established and their findings.
 */
#ifndef MTASTS_VERDICT_H
#define MTASTS_VERDICT_H

#include <stddef.h>

struct finding_list;

struct verdict_input {
	const char *domain;
	int	    txt_valid;	    /* exactly one valid v=STSv1 record */
	int	    txt_present;    /* any v=STSv1 candidate at all */
	int	    policy_fetched; /* a 200 text/plain body was read */
	int	    policy_valid;   /* it parses as a usable policy */
	const char *mode;	    /* "enforce", "testing", "none", NULL */
	int	    tlsrpt_usable;  /* one valid record, >= 1 usable rua */
	int	    mx_null;	    /* the domain takes no mail */
	int	    have_reports;   /* --reports was given */
	int	    reports_ready;  /* 14+ consecutive clean days */
	const char *reports_why;    /* the gate in words */
	/* Every other layer's findings, for the blockers. */
	const struct finding_list *const *layers;
	size_t				  nlayers;
};

/* Read-only for callers; free with verdict_free(). */
struct verdict {
	int    policy_applied;
	char  *mode;	      /* what is applied; NULL: none */
	char  *reason;	      /* one sentence on what senders do */
	int    enforce_ready; /* enforce is (or would be) safe */
	char  *summary;	      /* one line for a verdict bar */
	char **blockers;      /* finding codes, unique, worst first */
	size_t nblockers;
};

struct verdict *verdict_judge(const struct verdict_input *,
    struct finding_list *fl);
void		verdict_free(struct verdict *);

#endif
