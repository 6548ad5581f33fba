#include "config.h"
#include "cmd_check.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_diff.h"
#include "check_ttl.h"
#include "clock.h"
#include "domain.h"
#include "msg.h"
#include "report_json.h"
#include "report_nagios.h"
#include "report_text.h"
#include "xmalloc.h"

/* Set by SIGINT/SIGTERM during --watch: finish the run, then stop. */
static volatile sig_atomic_t cmd_check_stop;

void
cmd_check_options(struct check_options *co, const struct cli_options *opts)
{
	const char *port;

	memset(co, 0, sizeof(*co));
	co->resolver = opts->resolver;
	co->resolver_port = opts->resolver_port;
	co->ca_file = opts->ca_file;
	co->timeout_scale = opts->timeout_scale;
	co->deadline = opts->deadline;
	co->family = opts->family;
	co->no_history = opts->no_history;
	co->serial = opts->serial;
	co->skip_mx = opts->skip_mx;
	co->nskip_mx = (size_t)opts->nskip_mx;
	co->expiry_warn_days = opts->expiry_warn;
	co->ehlo_name = opts->ehlo;
	co->no_mx_tls = opts->no_mx_tls;
	co->reports = opts->reports;
	if ((port = getenv("MTASTS_SMTP_PORT")) != NULL)
		co->smtp_port = (unsigned)strtoul(port, NULL, 10);
	/* For tests against servers on other ports; not a user option. */
	if ((port = getenv("MTASTS_FETCH_PORT")) != NULL)
		co->fetch_port = (unsigned)strtoul(port, NULL, 10);
}

/* The plugin output is made from the --json document (report_nagios.h). */
static int
cmd_check_nagios(struct check *c, const struct domain_name *dn,
    const struct cli_options *opts)
{
	struct report_nagios_limits lim;
	json_t			   *doc;
	char			   *json;
	int			    rc;

	lim.warn_days = opts->warn_days;
	lim.crit_days = opts->crit_days;
	json = report_json(c, domain_name_unicode(dn),
	    "mtasts-tui " MTASTS_VERSION, NULL);
	if ((doc = json_loads(json, 0, NULL)) == NULL)
		rc = report_nagios_unknown(stdout,
		    "internal: unreadable report");
	else
		rc = report_nagios(stdout, doc, &lim);
	json_decref(doc);
	free(json);
	return rc;
}

static int cmd_check_watch(const struct cli_options *,
    const struct domain_name *);

int
cmd_check(const struct cli_options *opts, const struct domain_name *dn)
{
	struct report_text_style st;
	struct check_options	 co;
	struct check		*c;
	char			*cause, *json;
	int			 rc;

	if (opts->watch)
		return cmd_check_watch(opts, dn);
	cmd_check_options(&co, opts);
	/* -w also sets the findings' expiry window (unless --expiry-warn
	 * does), so that hygiene and the threshold agree. */
	if (opts->format == CLI_FORMAT_NAGIOS && opts->expiry_warn == 0 &&
	    opts->warn_days > 0)
		co.expiry_warn_days = opts->warn_days;
	if ((c = check_run_sync(domain_name_ascii(dn), &co, NULL, NULL,
		 &cause)) == NULL) {
		if (opts->format == CLI_FORMAT_NAGIOS)
			report_nagios_unknown(stdout, cause);
		msg_error("%s", cause);
		free(cause);
		return EXIT_CHECK_UNKNOWN;
	}
	if (opts->format == CLI_FORMAT_NAGIOS) {
		rc = cmd_check_nagios(c, dn, opts);
		fflush(stdout);
		check_free(c);
		return rc;
	}
	if (opts->format == CLI_FORMAT_JSON) {
		json = report_json(c, domain_name_unicode(dn),
		    "mtasts-tui " MTASTS_VERSION, NULL);
		fputs(json, stdout);
		free(json);
	} else {
		report_text_style_init(&st, opts->color, stdout);
		report_text_check(stdout, c, domain_name_unicode(dn), &st);
	}
	if (check_failure(c) != NULL)
		msg_error("could not check %s: %s", domain_name_ascii(dn),
		    check_failure(c));
	rc = check_exit_status(c);
	/* The report is out before any wait for worker threads to end. */
	fflush(stdout);
	check_free(c);
	return rc;
}

static void
cmd_check_signal(int sig)
{
	/* A second one does not wait for the run: the default action. */
	if (cmd_check_stop) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	cmd_check_stop = 1;
}

/* Sleeps secs seconds, or until a signal asks to stop. */
static void
cmd_check_sleep(unsigned secs)
{
	int64_t		end = clock_ms() + (int64_t)secs * 1000, left;
	struct timespec ts;

	while (!cmd_check_stop && (left = end - clock_ms()) > 0) {
		ts.tv_sec = (time_t)(left / 1000);
		ts.tv_nsec = (long)(left % 1000) * 1000000L;
		/* EINTR: a signal; the loop looks at the flag. */
		if (nanosleep(&ts, NULL) != 0 && errno != EINTR)
			break;
	}
}

static void
cmd_check_when(char *buf, size_t len)
{
	time_t	  now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One run's JSON line: the check document with "watch" and "changes". */
static void
cmd_check_watch_json(json_t *doc, const struct check_diff *d, unsigned run,
    long next, long ttl)
{
	json_t *w;
	char   *line;

	w = json_pack("{s:I}", "run", (json_int_t)run);
	json_object_set_new(w, "next_in",
	    next >= 0 ? json_integer(next) : json_null());
	json_object_set_new(w, "ttl",
	    ttl >= 0 ? json_integer(ttl) : json_null());
	json_object_set_new(w, "changes_cut",
	    json_boolean(d != NULL && check_diff_truncated(d)));
	json_object_set_new(doc, "watch", w);
	json_object_set_new(doc, "changes",
	    d != NULL ? check_diff_json(d) : json_array());
	line = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (line != NULL) {
		fputs(line, stdout);
		fputc('\n', stdout);
		free(line);
	}
	json_object_del(doc, "watch");
	json_object_del(doc, "changes");
}

/* A later run in text: one line for the run, one per change. */
static void
cmd_check_watch_text(const struct check_diff *d, unsigned run, long next)
{
	char   when[32], *line;
	size_t i, n = check_diff_count(d);

	cmd_check_when(when, sizeof(when));
	printf("watch: run %u at %s: ", run, when);
	if (n == 0)
		printf("no change");
	else
		printf("%zu change%s%s", n, n == 1 ? "" : "s",
		    check_diff_truncated(d) ? " (more left out)" : "");
	if (next >= 0)
		printf("; next run in %ld s", next);
	putchar('\n');
	for (i = 0; i < n; i++) {
		line = check_diff_line(check_diff_at(d, i));
		printf("  %s\n", line);
		free(line);
	}
}

/*
 * check --watch: run, report, wait, run again and say what changed, until
 * --count runs or SIGINT/SIGTERM.  Each run is a whole new check with its
 * own deadline, so a stalled server holds one run up to --deadline at
 * most.  The first run prints the usual report; later ones only what
 * changed (text) or one document per run (JSON Lines).  Exits with the
 * last run's status.
 */
static int
cmd_check_watch(const struct cli_options *opts, const struct domain_name *dn)
{
	struct report_text_style st;
	struct check_options	 co;
	struct sigaction	 sa, oint, oterm;
	struct check		*c;
	struct check_diff	*d;
	json_t			*prev = NULL, *cur;
	json_error_t		 je;
	unsigned		 run, next;
	long			 ttl;
	char			*cause, *json;
	int			 rc = EXIT_CHECK_UNKNOWN, last;

	cmd_check_options(&co, opts);
	/* TODO(auth): co.auth = 1 once the authoritative layer exists. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cmd_check_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	report_text_style_init(&st, opts->color, stdout);
	for (run = 1; !cmd_check_stop; run++) {
		co.now = 0;
		if ((c = check_run_sync(domain_name_ascii(dn), &co, NULL, NULL,
			 &cause)) == NULL) {
			msg_error("%s", cause);
			free(cause);
			break;
		}
		last = opts->count != 0 && run >= opts->count;
		next = check_watch_next(c, opts->watch_secs, &ttl);
		json = report_json(c, domain_name_unicode(dn),
		    "mtasts-tui " MTASTS_VERSION, NULL);
		cur = json_loads(json, 0, &je);
		free(json);
		if (cur == NULL) {
			msg_error("watch: own document unreadable: %s",
			    je.text);
			check_free(c);
			break;
		}
		d = prev != NULL ? check_diff_new(prev, cur) : NULL;
		if (opts->format == CLI_FORMAT_JSON)
			cmd_check_watch_json(cur, d, run,
			    last ? -1 : (long)next, ttl);
		else if (d == NULL) {
			report_text_check(stdout, c, domain_name_unicode(dn),
			    &st);
			if (!last)
				printf("watch: next run in %u s%s; Ctrl-C "
				       "ends\n",
				    next,
				    opts->watch_secs ? "" : " (shortest TTL)");
		} else
			cmd_check_watch_text(d, run, last ? -1 : (long)next);
		if (check_failure(c) != NULL)
			msg_error("could not check %s: %s",
			    domain_name_ascii(dn), check_failure(c));
		rc = check_exit_status(c);
		fflush(stdout);
		check_diff_free(d);
		check_free(c);
		json_decref(prev);
		prev = cur;
		if (last)
			break;
		cmd_check_sleep(next);
	}
	json_decref(prev);
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	return rc;
}
