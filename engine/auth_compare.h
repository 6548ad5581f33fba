/*
 * auth_compare: what the views of auth_ns_run() say, judged (pure: a
 * result in, findings out, no network, no clock).  Only servers that
 * answered authoritatively are compared with each other; the resolver is
 * compared with all of them: an answer no server serves now is one it
 * still holds from before (its remaining TTL says for how long).
 */
#ifndef MTASTS_AUTH_COMPARE_H
#define MTASTS_AUTH_COMPARE_H

#include "auth_ns.h"

struct finding_list;

/* 1 when two answers are the same records (or the same failure). */
int auth_rrset_same(const struct auth_rrset *, const struct auth_rrset *);
/* The answer as one line: its records joined by " | ", or its status. */
char *auth_rrset_text(const struct auth_rrset *);
/* "_mta-sts.example.org TXT" (caller frees). */
char *auth_question_text(enum auth_q, const char *domain);

/* What auth_compare() found, for the summary and the JSON. */
struct auth_tally {
	size_t ok, lame, unreachable;
	size_t disagree; /* questions the servers disagree on */
	size_t stale;	 /* questions the resolver answers from before */
	int    serials;	 /* the servers' SOA serials differ */
};

/* Adds the auth.* findings to fl (subject: the names asked). */
void auth_compare(const struct auth_result *, const char *domain,
    struct finding_list *, struct auth_tally *);

#endif
