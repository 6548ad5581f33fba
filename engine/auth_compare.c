/*
 * auth_compare: the servers with each other, the resolver with them.
 */
#include "config.h"
#include "auth_compare.h"

#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "xmalloc.h"

int
auth_rrset_same(const struct auth_rrset *a, const struct auth_rrset *b)
{
	size_t i;

	if (a->status != b->status || a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->rr[i], b->rr[i]) != 0)
			return 0;
	return 1;
}

char *
auth_rrset_text(const struct auth_rrset *s)
{
	char  *out, *t;
	size_t i;

	if (s->n == 0)
		return xstrdup(dns_status_name(s->status));
	out = xstrdup(s->rr[0]);
	for (i = 1; i < s->n; i++) {
		t = xasprintf("%s | %s", out, s->rr[i]);
		free(out);
		out = t;
	}
	return out;
}

char *
auth_question_text(enum auth_q q, const char *domain)
{
	const struct auth_question *aq = auth_question(q);

	return xasprintf("%s%s %s", aq->prefix, domain,
	    dns_type_name(aq->type));
}

/* "ns1 (192.0.2.1, serial 7)" */
static char *
auth_server_text(const struct auth_server *s)
{
	if (s->has_serial)
		return xasprintf("%s (%s, serial %u)", s->name, s->addr,
		    s->serial);
	return xasprintf("%s (%s)", s->name, s->addr);
}

/*
 * The servers grouped by what they answer to q: "A and B serve X; C
 * serves Y".  Returns the number of groups.
 */
static size_t
auth_groups(const struct auth_result *r, enum auth_q q, char **text)
{
	const struct auth_server *s;
	size_t			  i, j, ngroups = 0;
	char			 *out = xstrdup(""), *t, *who, *what;
	int			 *done = xcalloc(r->nsrv + 1, sizeof(*done));
	size_t			  nin;

	for (i = 0; i < r->nsrv; i++) {
		if (done[i] || r->srv[i].state != AUTH_SERVER_OK)
			continue;
		who = xstrdup("");
		nin = 0;
		for (j = i; j < r->nsrv; j++) {
			s = &r->srv[j];
			if (done[j] || s->state != AUTH_SERVER_OK ||
			    !auth_rrset_same(&r->srv[i].q[q], &s->q[q]))
				continue;
			done[j] = 1;
			t = auth_server_text(s);
			what = xasprintf("%s%s%s", who, nin > 0 ? ", " : "", t);
			free(t);
			free(who);
			who = what;
			nin++;
		}
		what = auth_rrset_text(&r->srv[i].q[q]);
		t = xasprintf("%s%s%s serve%s %s", out, ngroups > 0 ? "; " : "",
		    who, nin == 1 ? "s" : "", what);
		free(what);
		free(who);
		free(out);
		out = t;
		ngroups++;
	}
	free(done);
	*text = out;
	return ngroups;
}

/* Does some authoritative server serve exactly this answer now? */
static int
auth_served(const struct auth_result *r, enum auth_q q,
    const struct auth_rrset *a)
{
	size_t i;

	for (i = 0; i < r->nsrv; i++)
		if (r->srv[i].state == AUTH_SERVER_OK &&
		    auth_rrset_same(&r->srv[i].q[q], a))
			return 1;
	return 0;
}

static void
auth_compare_servers(const struct auth_result *r, const char *domain,
    struct finding_list *fl, struct auth_tally *t)
{
	const struct auth_server *s;
	char			 *groups, *name;
	size_t			  i;
	int			  q, have = 0;
	uint32_t		  serial = 0;

	for (i = 0; i < r->nsrv; i++) {
		s = &r->srv[i];
		if (s->state == AUTH_SERVER_LAME) {
			t->lame++;
			finding_add(fl, FINDING_AUTH_LAME, s->name, 0,
			    "%s (%s) is listed as a name server of %s but "
			    "%s: lame delegation",
			    s->name, s->addr, r->apex, s->why);
		} else if (s->state == AUTH_SERVER_UNREACHABLE) {
			t->unreachable++;
			finding_add(fl, FINDING_AUTH_UNREACHABLE, s->name, 0,
			    "%s%s%s%s, a name server of %s: %s", s->name,
			    *s->addr != '\0' ? " (" : "", s->addr,
			    *s->addr != '\0' ? ")" : "", r->apex, s->why);
		} else {
			t->ok++;
			if (s->has_serial && have && s->serial != serial)
				t->serials = 1;
			if (s->has_serial && !have)
				serial = s->serial, have = 1;
		}
	}
	for (q = 0; q < AUTH_Q__COUNT; q++) {
		if (auth_groups(r, q, &groups) > 1) {
			t->disagree++;
			name = auth_question_text(q, domain);
			finding_add(fl, FINDING_AUTH_DISAGREE, name, 0,
			    "the name servers of %s disagree on %s: %s",
			    r->apex, name, groups);
			free(name);
		}
		free(groups);
	}
	if (t->serials && t->disagree == 0)
		finding_add(fl, FINDING_AUTH_SERIALS, r->apex, 0,
		    "the name servers of %s serve different SOA serials "
		    "but the same answers to every question asked",
		    r->apex);
}

static void
auth_compare_resolver(const struct auth_result *r, const char *domain,
    struct finding_list *fl, struct auth_tally *t)
{
	const struct auth_rrset *a;
	char			*name, *what, *groups;
	int			 q;

	if (t->ok == 0)
		return;
	for (q = 0; q < AUTH_Q__COUNT; q++) {
		a = &r->resolver[q];
		if (!a->asked ||
		    (a->status != DNS_OK && a->status != DNS_NODATA &&
			a->status != DNS_NXDOMAIN) ||
		    auth_served(r, q, a))
			continue;
		t->stale++;
		name = auth_question_text(q, domain);
		what = auth_rrset_text(a);
		auth_groups(r, q, &groups);
		if (a->has_ttl)
			finding_add(fl, FINDING_AUTH_RESOLVER_STALE, name, 0,
			    "the resolver answers %s for %s, which no "
			    "authoritative server serves now (%s): resolvers "
			    "holding it must drop it within %u s (its "
			    "remaining TTL)",
			    what, name, groups, a->ttl);
		else
			finding_add(fl, FINDING_AUTH_RESOLVER_STALE, name, 0,
			    "the resolver answers %s for %s, which no "
			    "authoritative server serves now (%s)",
			    what, name, groups);
		free(groups);
		free(what);
		free(name);
	}
}

void
auth_compare(const struct auth_result *r, const char *domain,
    struct finding_list *fl, struct auth_tally *t)
{
	memset(t, 0, sizeof(*t));
	if (r->apex == NULL || r->nsrv == 0) {
		finding_add(fl, FINDING_AUTH_NO_SERVERS, domain, 0,
		    "no authoritative server of %s could be asked: %s", domain,
		    r->error != NULL ? r->error : "the zone lists none");
		return;
	}
	auth_compare_servers(r, domain, fl, t);
	auth_compare_resolver(r, domain, fl, t);
	if (t->ok == 0)
		finding_add(fl, FINDING_AUTH_NO_SERVERS, r->apex, 0,
		    "none of the %zu name server address%s of %s answered "
		    "authoritatively",
		    r->nsrv, r->nsrv == 1 ? "" : "es", r->apex);
	else if (t->disagree == 0 && t->stale == 0 && t->lame == 0 &&
	    t->unreachable == 0)
		finding_add(fl, FINDING_AUTH_AGREE, r->apex, 0,
		    "the %zu name server address%s of %s and the resolver "
		    "give the same answers to all %d questions",
		    t->ok, t->ok == 1 ? "" : "es", r->apex, AUTH_Q__COUNT);
}
