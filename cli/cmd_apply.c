#include "config.h"
#include "cmd_apply.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "auth_ns.h"
#include "check.h"
#include "clock.h"
#include "cmd_check.h"
#include "cmd_export.h"
#include "cmd_rollout.h"
#include "dns_update.h"
#include "file_out.h"
#include "msg.h"
#include "policy_fetch.h"
#include "strbuf.h"
#include "xmalloc.h"
#include "wizard/gen.h"
#include "wizard/rollout.h"
#include "wizard/schedule.h"
#include "wizard/state.h"

/* How long apply waits for every name server to serve the update. */
#define APPLY_PROPAGATE_MS 30000
/* Each exchange with the update server. */
#define APPLY_EXCHANGE_MS 10000

/* The records a step publishes: owner prefix and its TXT text. */
struct apply_record {
	const char *prefix;
	enum auth_q q;
	char	   *owner;
	char	   *text; /* unquoted, as gen_*_txt() make it */
	char	   *rdata;
	char	  **old;
	size_t	    nold;
	uint32_t    ttl;
	int	    changes;
};

struct apply {
	const struct cli_options *opts;
	struct gen_spec		  spec;
	struct apply_record	  rec[2];
	char			 *body;
	size_t			  body_len;
	char			 *apex;
	char			 *server;
	struct dns_update	 *u;
	struct dns_tsig_key	 *key;
};

/* TXT presentation form: quoted strings of at most 255 bytes. */
static char *
apply_quote(const char *text)
{
	struct strbuf sb;
	size_t	      i, n = 0;

	strbuf_init(&sb, 64 * 1024);
	strbuf_addc(&sb, '"');
	for (i = 0; text[i] != '\0'; i++, n++) {
		if (n == 255) {
			strbuf_addstr(&sb, "\" \"");
			n = 0;
		}
		if (text[i] == '"' || text[i] == '\\')
			strbuf_addc(&sb, '\\');
		strbuf_addc(&sb, text[i]);
	}
	strbuf_addc(&sb, '"');
	return strbuf_detach(&sb, NULL);
}

/* The step's policy body and records, from a->spec. */
static void
apply_records(struct apply *a)
{
	static const char	*prefix[] = { "_mta-sts.", "_smtp._tls." };
	static const enum auth_q q[] = { AUTH_Q_STS, AUTH_Q_TLSRPT };
	size_t			 i;

	a->body = gen_policy(&a->spec, &a->body_len);
	a->rec[0].text = gen_sts_txt(&a->spec);
	a->rec[1].text = gen_tlsrpt_txt(&a->spec);
	for (i = 0; i < 2; i++) {
		a->rec[i].prefix = prefix[i];
		a->rec[i].q = q[i];
		a->rec[i].owner = xasprintf("%s%s.", prefix[i], a->spec.domain);
		a->rec[i].rdata = apply_quote(a->rec[i].text);
	}
}

static void
apply_clear(struct apply *a)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		free(a->rec[i].owner);
		free(a->rec[i].text);
		free(a->rec[i].rdata);
		dns_update_rdata_free(a->rec[i].old, a->rec[i].nold);
	}
	free(a->body);
	free(a->apex);
	free(a->server);
	dns_update_free(a->u);
	dns_tsig_key_free(a->key);
	gen_spec_free(&a->spec);
}

static void
apply_dns_options(const struct cli_options *opts, struct dns_options *d)
{
	memset(d, 0, sizeof(*d));
	d->resolver = opts->resolver;
	d->port = opts->resolver_port;
	d->timeout = 2.0 * (opts->timeout_scale > 0 ? opts->timeout_scale : 1);
}

/*
 * The zone apex and the server to update: --server, else the zone's
 * primary (SOA MNAME) among its name servers, else the first that answered.  Fills a->apex and a->server; 0 or -1.
 */
static int
apply_find_zone(struct apply *a)
{
	struct dns_options  d;
	struct auth_result *r;
	size_t		    i;

	apply_dns_options(a->opts, &d);
	r = auth_ns_run(&d, a->spec.domain, a->opts->family,
	    a->opts->timeout_scale > 0 ? a->opts->timeout_scale : 1,
	    clock_ms() + APPLY_EXCHANGE_MS);
	if (r->apex == NULL) {
		msg_error("cannot find the zone of %s: %s", a->spec.domain,
		    r->error != NULL ? r->error : "no SOA");
		auth_result_free(r);
		return -1;
	}
	a->apex = xstrdup(r->apex);
	if (a->opts->update_server != NULL)
		a->server = xstrdup(a->opts->update_server);
	/* RFC 2136 section 4: updates go to the primary, the SOA's MNAME,
	 * when it is one of the servers asked; else the first that answers
	 * (a secondary may forward the update, or refuse it). */
	for (i = 0; a->server == NULL && i < r->nsrv; i++)
		if (r->srv[i].state == AUTH_SERVER_OK &&
		    r->srv[i].mname != NULL &&
		    strcasecmp(r->srv[i].mname, r->srv[i].name) == 0)
			a->server = xstrdup(r->srv[i].addr);
	for (i = 0; a->server == NULL && i < r->nsrv; i++)
		if (r->srv[i].state == AUTH_SERVER_OK)
			a->server = xstrdup(r->srv[i].addr);
	auth_result_free(r);
	if (a->server == NULL) {
		msg_error("no name server of %s answers; give --server ADDR",
		    a->apex);
		return -1;
	}
	return 0;
}

/* Reads each record from the server and builds the update. */
static int
apply_build(struct apply *a)
{
	struct apply_record *rec;
	char		    *cause;
	size_t		     i;

	a->u = dns_update_new(a->apex);
	for (i = 0; i < 2; i++) {
		rec = &a->rec[i];
		if (dns_update_read(a->server, 0, rec->owner,
			clock_ms() + APPLY_EXCHANGE_MS, &rec->old, &rec->nold,
			&rec->ttl, &cause) != 0) {
			msg_error("reading the records to change: %s", cause);
			free(cause);
			return -1;
		}
		if (rec->nold == 0)
			rec->ttl = a->spec.ttl;
		rec->changes =
		    rec->nold != 1 || strcmp(rec->old[0], rec->rdata) != 0;
		if (!rec->changes)
			continue;
		if (dns_update_set(a->u, rec->owner, rec->ttl, rec->old,
			rec->nold, rec->rdata, &cause) != 0) {
			msg_error("%s", cause);
			free(cause);
			return -1;
		}
	}
	return 0;
}

/*
 * Fetches the policy as a sender does (the check's own fetch) and says
 * whether every address that answered serves the plan's body.  0 yes,
 * -1 no with *why set (caller frees).
 */
static int
apply_served(struct apply *a, char **why)
{
	const struct policy_fetch_result *fr;
	const struct policy_fetch_addr	 *pa;
	struct check_options		  co;
	struct check			 *c;
	char				 *cause;
	size_t				  i, good = 0;
	int				  rc = -1;

	cmd_check_options(&co, a->opts);
	co.no_mx_tls = 1;
	co.no_history = 1;
	if ((c = check_run_sync(a->spec.domain, &co, NULL, NULL, &cause)) ==
	    NULL) {
		*why = cause;
		return -1;
	}
	if ((fr = check_fetch(c)) == NULL || fr->naddrs == 0) {
		*why = xasprintf("https://mta-sts.%s/.well-known/mta-sts.txt "
				 "could not be fetched (no address)",
		    a->spec.domain);
		goto out;
	}
	for (i = 0; i < fr->naddrs; i++) {
		pa = &fr->addrs[i];
		if (pa->body == NULL || pa->http_status != 200) {
			*why = xasprintf("%s (%s): %s", fr->url, pa->address,
			    pa->detail != NULL ? pa->detail : "no body");
			goto out;
		}
		if (pa->body_len != a->body_len ||
		    memcmp(pa->body, a->body, a->body_len) != 0) {
			*why = xasprintf("%s (%s) serves another body than "
					 "the plan's for id %s (an old file, "
					 "or a cache in front)",
			    fr->url, pa->address, a->spec.id);
			goto out;
		}
		good++;
	}
	printf("Policy: %s serves the plan's body on %zu address%s\n", fr->url,
	    good, good == 1 ? "" : "es");
	rc = 0;
out:
	check_free(c);
	return rc;
}

/* Writes DIR/.well-known/mta-sts.txt, the previous one kept as .prev. */
static int
apply_webroot(struct apply *a)
{
	char *dir, *path, *prev, *cause;
	int   rc = -1;

	dir = xasprintf("%s/.well-known", a->opts->webroot);
	path = xasprintf("%s/mta-sts.txt", dir);
	prev = xasprintf("%s/mta-sts.txt.prev", dir);
	if (file_out_mkdirs(dir, 0755, &cause) != 0)
		goto fail;
	/* A hard link keeps the old file whole whatever happens next. */
	if (unlink(prev) != 0 && errno != ENOENT) {
		cause = xasprintf("%s: %s", prev, strerror(errno));
		goto fail;
	}
	if (link(path, prev) != 0 && errno != ENOENT) {
		cause = xasprintf("keeping %s as %s: %s", path, prev,
		    strerror(errno));
		goto fail;
	}
	if (file_out_write(path, a->body, a->body_len, 1, &cause) != 0)
		goto fail;
	printf("Policy: wrote %s (the previous one is %s)\n", path, prev);
	rc = 0;
	goto out;
fail:
	msg_error("--webroot: %s; nothing was sent", cause);
	free(cause);
out:
	free(dir);
	free(path);
	free(prev);
	return rc;
}

/* Does every rdata of rs equal rdata (one record)? */
static int
apply_serves(const struct auth_rrset *rs, const char *rdata)
{
	return rs->status == DNS_OK && rs->n == 1 &&
	    strcmp(rs->rr[0], rdata) == 0;
}

/* Asks every authoritative server until each serves the new records. */
static int
apply_propagate(struct apply *a)
{
	struct dns_options  d;
	struct auth_result *r;
	int64_t		    t0 = clock_ms(), end = t0 + APPLY_PROPAGATE_MS;
	char		  **done = NULL;
	size_t		    ndone = 0, i, j, k, nsrv = 0;
	int		    all, ok;

	apply_dns_options(a->opts, &d);
	for (;;) {
		r = auth_ns_run(&d, a->spec.domain, a->opts->family,
		    a->opts->timeout_scale > 0 ? a->opts->timeout_scale : 1,
		    clock_ms() + APPLY_EXCHANGE_MS);
		nsrv = r->nsrv;
		all = r->nsrv > 0;
		for (i = 0; i < r->nsrv; i++) {
			ok = r->srv[i].state == AUTH_SERVER_OK;
			for (k = 0; ok && k < 2; k++)
				ok = apply_serves(&r->srv[i].q[a->rec[k].q],
				    a->rec[k].rdata);
			for (j = 0; j < ndone; j++)
				if (strcmp(done[j], r->srv[i].addr) == 0)
					break;
			if (ok && j == ndone) {
				printf("  %s (%s) serves the new records "
				       "after %.1f s\n",
				    r->srv[i].name, r->srv[i].addr,
				    (double)(clock_ms() - t0) / 1000);
				done = xreallocarray(done, ndone + 1,
				    sizeof(*done));
				done[ndone++] = xstrdup(r->srv[i].addr);
			}
			if (!ok)
				all = 0;
		}
		if (all || clock_ms() + 1000 > end) {
			for (i = 0; !all && i < r->nsrv; i++) {
				for (j = 0; j < ndone; j++)
					if (strcmp(done[j], r->srv[i].addr) ==
					    0)
						break;
				if (j == ndone)
					printf("  %s (%s) does not serve them "
					       "after %d s%s%s\n",
					    r->srv[i].name, r->srv[i].addr,
					    APPLY_PROPAGATE_MS / 1000,
					    r->srv[i].why != NULL ? ": " : "",
					    r->srv[i].why != NULL
						? r->srv[i].why
						: "");
			}
			auth_result_free(r);
			break;
		}
		auth_result_free(r);
		usleep(500 * 1000);
	}
	for (i = 0; i < ndone; i++)
		free(done[i]);
	free(done);
	if (all)
		printf("Every name server of %s (%zu) serves the new "
		       "records.\n",
		    a->apex, nsrv);
	return all ? 0 : -1;
}

static void
apply_print(const struct apply *a, const char *title)
{
	const struct apply_record *rec;
	char			  *s;
	size_t			   i, j;

	printf("Step: %s (id %s)\n", title, a->spec.id);
	printf("Zone %s, update server %s%s%s\n", a->apex, a->server,
	    a->key != NULL ? ", key " : "",
	    a->key != NULL ? dns_tsig_key_name(a->key) : "");
	for (i = 0; i < 2; i++) {
		rec = &a->rec[i];
		printf("  %s TXT\n", rec->owner);
		for (j = 0; j < rec->nold; j++)
			printf("    now:  %s\n", rec->old[j]);
		if (rec->nold == 0)
			printf("    now:  (none)\n");
		printf("    %s %s\n",
		    rec->changes ? "new: " : "same:", rec->rdata);
	}
	if (dns_update_count(a->u) == 0)
		return;
	printf("\nThe update (RFC 2136):\n");
	s = dns_update_text(a->u);
	fputs(s, stdout);
	free(s);
	printf("\nThe same as an nsupdate script (nsupdate -k KEYFILE "
	       "script):\n");
	s = dns_update_script(a->u, a->server, 0);
	fputs(s, stdout);
	free(s);
}

static int
apply_send(struct apply *a)
{
	enum dns_update_outcome o;
	const char	       *hook;
	char		       *detail;

	/* Tests change a record here, between the read and the send. */
	if ((hook = getenv("MTASTS_TEST_APPLY_BEFORE_SEND")) != NULL &&
	    *hook != '\0' && system(hook) != 0)
		msg_error("MTASTS_TEST_APPLY_BEFORE_SEND failed");
	o = dns_update_send(a->u, a->server, 0, a->key,
	    clock_ms() + APPLY_EXCHANGE_MS, &detail);
	if (o != DNS_UPDATE_OK) {
		msg_error("update %s: %s", dns_update_outcome_name(o), detail);
		free(detail);
		return -1;
	}
	printf("Sent: %s\n", detail);
	free(detail);
	return 0;
}

int
cmd_rollout_apply(const struct cli_options *opts, struct state *st,
    const char *path, long today)
{
	struct rollout_facts f;
	struct apply	     a;
	enum gen_field	     field;
	char		    *cause, *why = NULL;
	const char	    *title;
	int		     phase, fresh, rc = EXIT_CHECK_UNKNOWN;

	memset(&a, 0, sizeof(a));
	a.opts = opts;
	if ((phase = cmd_rollout_next_phase(opts, st, today, &f, "apply")) < 0)
		return phase == CMD_ROLLOUT_ALL_DONE ? EXIT_CHECK_OK
						     : EXIT_CHECK_UNKNOWN;
	if (cmd_rollout_may(opts, st, phase, today, &f) != 0)
		return EXIT_CHECK_ERROR;
	title = schedule_phase_title(phase);
	fresh =
	    rollout_phase_spec(st, phase, &a.spec, today, schedule_now(), &f);
	if (gen_validate(&a.spec, &field, &cause, NULL) != 0) {
		msg_error("the plan's settings (%s): %s; nothing was applied",
		    cmd_export_option(field), cause);
		free(cause);
		goto out;
	}
	apply_records(&a);
	if (opts->tsig_key != NULL &&
	    (a.key = dns_tsig_key_read(opts->tsig_key, &cause)) == NULL) {
		msg_error("--tsig-key %s", cause);
		free(cause);
		goto out;
	}
	if (apply_find_zone(&a) != 0 || apply_build(&a) != 0)
		goto out;
	apply_print(&a, title);
	if (!opts->yes) {
		if (opts->webroot != NULL)
			printf("\n--yes writes %s/.well-known/mta-sts.txt "
			       "first (%zu bytes)\n",
			    opts->webroot, a.body_len);
		printf("\nDry run: nothing was sent%s; give --yes to apply.\n",
		    opts->webroot != NULL ? " or written" : "");
		rc = EXIT_CHECK_OK;
		goto out;
	}
	if (opts->webroot != NULL && apply_webroot(&a) != 0)
		goto out;
	/* The plan's order: the policy is served before its id goes out. */
	if (a.rec[0].changes || opts->webroot != NULL) {
		if (apply_served(&a, &why) != 0) {
			msg_error("the policy for id %s is not served: %s; "
				  "the DNS update was not sent",
			    a.spec.id, why);
			free(why);
			rc = EXIT_CHECK_ERROR;
			goto out;
		}
	}
	if (dns_update_count(a.u) == 0) {
		printf(
		    "The records are already the step's; nothing to send.\n");
		rc = EXIT_CHECK_OK;
		goto out;
	}
	if (a.key == NULL)
		printf("No --tsig-key: the update goes unsigned.\n");
	if (apply_send(&a) != 0) {
		rc = EXIT_CHECK_ERROR;
		goto out;
	}
	/* The id is recorded only once it is published. */
	if (fresh && state_save(st, path, &cause) != 0) {
		msg_error("%s", cause);
		free(cause);
		goto out;
	}
	rc = apply_propagate(&a) == 0 ? EXIT_CHECK_OK : EXIT_CHECK_WARNING;
out:
	apply_clear(&a);
	return rc;
}

int
cmd_apply_nsupdate(const struct cli_options *opts, const struct gen_spec *spec)
{
	struct apply a;
	char	    *s;
	int	     rc = EXIT_CHECK_UNKNOWN;

	memset(&a, 0, sizeof(a));
	a.opts = opts;
	gen_spec_copy(&a.spec, spec);
	apply_records(&a);
	if (apply_find_zone(&a) != 0 || apply_build(&a) != 0)
		goto out;
	if (dns_update_count(a.u) == 0)
		msg_error("%s already serves these records: the script "
			  "changes nothing",
		    a.server);
	s = dns_update_script(a.u, a.server, 0);
	fputs(s, stdout);
	free(s);
	rc = EXIT_CHECK_OK;
out:
	apply_clear(&a);
	return rc;
}
