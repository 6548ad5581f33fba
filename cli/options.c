#include "config.h"
#include "options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "report_imap.h"
#include "report_nagios.h"
#include "check_ttl.h"
#include "cmd_scan_summary.h"
#include "scan.h"

enum {
	OPT_RESOLVER = 256,
	OPT_CA_FILE,
	OPT_TIMEOUT,
	OPT_DEADLINE,
	OPT_NO_COLOR,
	OPT_JSON,
	OPT_TEXT,
	OPT_MARKDOWN,
	OPT_NO_HISTORY,
	OPT_POLICY,
	OPT_TXT,
	OPT_TLSRPT,
	OPT_MX,
	OPT_VERSION,
	OPT_MODE,
	OPT_MAX_AGE,
	OPT_RUA,
	OPT_ID,
	OPT_HOST_ADDR,
	OPT_HOST_CNAME,
	OPT_FORMAT,
	OPT_OUT,
	OPT_STATE_DIR,
	OPT_ICS,
	OPT_FORCE,
	OPT_SERIAL,
	OPT_SKIP_MX,
	OPT_EXPIRY_WARN,
	OPT_EHLO,
	OPT_NO_MX_TLS,
	OPT_REPORTS,
	OPT_PASSWORD_FILE,
	OPT_FROM_JSON,
	OPT_CHANGE,
	OPT_NEW_MX,
	OPT_OLD_MX,
	OPT_NEW_HOST_CNAME,
	OPT_NEW_HOST_ADDR,
	OPT_CONCURRENCY,
	OPT_SHARD,
	OPT_RESUME,
	OPT_PER_DEST,
	OPT_HISTORY,
	OPT_METRICS,
	OPT_WATCH,
	OPT_COUNT,
	OPT_DB,
	OPT_NO_DB,
	OPT_SINCE,
	OPT_AUTH,
	OPT_SERVER,
	OPT_TSIG_KEY,
	OPT_YES,
	OPT_WEBROOT
};

static const struct option cli_long_options[] = {
	{ "resolver", required_argument, NULL, OPT_RESOLVER },
	{ "ca-file", required_argument, NULL, OPT_CA_FILE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "text", no_argument, NULL, OPT_TEXT },
	{ "markdown", no_argument, NULL, OPT_MARKDOWN },
	{ "no-history", no_argument, NULL, OPT_NO_HISTORY },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "txt", required_argument, NULL, OPT_TXT },
	{ "tlsrpt", required_argument, NULL, OPT_TLSRPT },
	{ "mx", required_argument, NULL, OPT_MX },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "max-age", required_argument, NULL, OPT_MAX_AGE },
	{ "rua", required_argument, NULL, OPT_RUA },
	{ "id", required_argument, NULL, OPT_ID },
	{ "policy-host-address", required_argument, NULL, OPT_HOST_ADDR },
	{ "policy-host-cname", required_argument, NULL, OPT_HOST_CNAME },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "ics", required_argument, NULL, OPT_ICS },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "serial", no_argument, NULL, OPT_SERIAL },
	{ "skip-mx", required_argument, NULL, OPT_SKIP_MX },
	{ "expiry-warn", required_argument, NULL, OPT_EXPIRY_WARN },
	{ "ehlo", required_argument, NULL, OPT_EHLO },
	{ "no-mx-tls", no_argument, NULL, OPT_NO_MX_TLS },
	{ "reports", required_argument, NULL, OPT_REPORTS },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "from-json", required_argument, NULL, OPT_FROM_JSON },
	{ "change", required_argument, NULL, OPT_CHANGE },
	{ "new-mx", required_argument, NULL, OPT_NEW_MX },
	{ "old-mx", required_argument, NULL, OPT_OLD_MX },
	{ "new-host-cname", required_argument, NULL, OPT_NEW_HOST_CNAME },
	{ "new-host-addr", required_argument, NULL, OPT_NEW_HOST_ADDR },
	{ "concurrency", required_argument, NULL, OPT_CONCURRENCY },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "resume", required_argument, NULL, OPT_RESUME },
	{ "per-dest", required_argument, NULL, OPT_PER_DEST },
	{ "history", no_argument, NULL, OPT_HISTORY },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "watch", optional_argument, NULL, OPT_WATCH },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "no-db", no_argument, NULL, OPT_NO_DB },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "auth", no_argument, NULL, OPT_AUTH },
	{ "server", required_argument, NULL, OPT_SERVER },
	{ "tsig-key", required_argument, NULL, OPT_TSIG_KEY },
	{ "yes", no_argument, NULL, OPT_YES },
	{ "webroot", required_argument, NULL, OPT_WEBROOT },
	{ NULL, 0, NULL, 0 }
};

static const struct {
	const char	*name;
	enum cli_command command;
} cli_commands[] = {
	{ "check", CLI_CHECK },
	{ "lint", CLI_LINT },
	{ "wizard", CLI_WIZARD },
	{ "export", CLI_EXPORT },
	{ "rollout", CLI_ROLLOUT },
	{ "findings", CLI_FINDINGS },
	{ "report", CLI_REPORT },
	{ "scan", CLI_SCAN },
	{ "help", CLI_HELP },
};

void
cli_usage(void)
{
	printf(
	    "usage: mtasts-tui [options] DOMAIN          interactive check (terminal UI)\n"
	    "       mtasts-tui -f FILE [--out FILE] [--concurrency N] [options]\n"
	    "       mtasts-tui SCAN.jsonl...             the fleet table: a scan of\n"
	    "                                            FILE's domains, or a finished scan\n"
	    "           [--db FILE|--no-db] [--since DATE]  and what changed since the\n"
	    "                                            previous scan recorded\n"
	    "       mtasts-tui --from-json FILE          the screen on a stored check --json\n"
	    "       mtasts-tui check [--json|--text] [options] DOMAIN\n"
	    "       mtasts-tui check --format nagios [-w DAYS] [-c DAYS] [options] DOMAIN\n"
	    "       mtasts-tui check --watch[=SECONDS] [--count N] [options] DOMAIN\n"
	    "       mtasts-tui lint [--policy FILE|-] [--txt REC]... [--tlsrpt REC]...\n"
	    "                       [--mx HOST]... [--json|--text]\n"
	    "       mtasts-tui wizard [--out DIR] [--state-dir DIR] [--force] DOMAIN\n"
	    "       mtasts-tui export [--format FMT|--out DIR] [wizard settings] DOMAIN\n"
	    "       mtasts-tui export --format nsupdate [--server ADDR] [wizard settings] DOMAIN\n"
	    "       mtasts-tui rollout start [wizard settings] [--ics FILE] DOMAIN\n"
	    "       mtasts-tui rollout start --change mx|remove|host|max-age\n"
	    "                              [change settings] [--ics FILE] DOMAIN\n"
	    "       mtasts-tui rollout status [--json|--text] [--ics FILE] DOMAIN\n"
	    "       mtasts-tui rollout next [--out DIR] [--force] DOMAIN\n"
	    "       mtasts-tui rollout apply [--server ADDR] [--tsig-key FILE]\n"
	    "                              [--webroot DIR] [--yes] DOMAIN\n"
	    "       mtasts-tui findings [--json|--markdown]\n"
	    "       mtasts-tui report [--json|--text] FILE|DIR...\n"
	    "       mtasts-tui report [--password-file FILE] imaps://USER@HOST/MAILBOX\n"
	    "       mtasts-tui scan [--out FILE|--resume FILE] [--concurrency N]\n"
	    "                       [--shard K/N] [--per-dest N] [--history]\n"
	    "                       [--db FILE|--no-db]\n"
	    "                       [network options] [FILE|-]\n"
	    "       mtasts-tui scan-summary [--json|--per-domain] [--domains] FILE...\n"
	    "       mtasts-tui scan-summary [--db FILE] [--since DATE] [--json]\n"
	    "       mtasts-tui --help | --version\n"
	    "\n"
	    "Network options:\n"
	    "  --resolver ADDR[@PORT]  DNS resolver to ask (default: /etc/resolv.conf)\n"
	    "  --ca-file FILE          trust store in PEM (default: the system store)\n"
	    "  --timeout SECONDS       scale every step and layer timeout by SECONDS/%d\n"
	    "                          (default %d: the values in mtasts-tui(1))\n"
	    "  --deadline SECONDS      the whole check ends by then with what it has;\n"
	    "                          steps still running are reported as cut (%d)\n"
	    "  -4, -6                  use only IPv4 or only IPv6 addresses\n"
	    "  --skip-mx HOST          do not probe this MX (nolisting, dummy backup);\n"
	    "                          repeatable\n"
	    "  --expiry-warn DAYS      warn when a certificate expires sooner (14)\n"
	    "  --ehlo NAME             EHLO name for the STARTTLS probe\n"
	    "  --no-mx-tls             do not probe the MX hosts on port 25\n"
	    "  --reports PATH          TLS-RPT reports (file, directory or an\n"
	    "                          imaps://user@host/MAILBOX URL): the verdict\n"
	    "                          needs 14 consecutive clean days for enforce\n"
	    "  --password-file FILE    the IMAP password (else $MTASTS_IMAP_PASSWORD,\n"
	    "                          then ~/.netrc)\n"
	    "  --no-history            do not read or write the local history\n"
	    "  --serial                run the layers one after another (debugging)\n"
	    "  --auth                  also ask the zone's name servers directly and\n"
	    "                          compare them with each other and the resolver\n"
	    "Wizard settings (export, rollout start):\n"
	    "  --mx PATTERN            mx pattern; repeatable (default: the live MX hosts)\n"
	    "  --mode MODE             testing (default), enforce or none\n"
	    "  --max-age SECONDS       policy max_age (86400 in testing, 1209600 enforce)\n"
	    "  --rua URI               TLS-RPT destination; repeatable\n"
	    "                          (default mailto:tlsrpt@DOMAIN)\n"
	    "  --id ID                 policy id (default: a new UTC timestamp id)\n"
	    "  --policy-host-address ADDR, --policy-host-cname NAME\n"
	    "                          mta-sts.DOMAIN record for the zone output\n"
	    "  --format FMT            export one of policy, zone, octodns, yaml, nginx,\n"
	    "                          apache to stdout\n"
	    "  --out DIR               write every file into DIR (default ./mtasts-DOMAIN)\n"
	    "  --force                 replace existing files (and an existing plan)\n"
	    "  --state-dir DIR         rollout plans (default\n"
	    "                          $XDG_STATE_HOME/mtasts-tui/rollouts)\n"
	    "  --ics FILE              write the plan's milestones as iCalendar\n"
	    "Change settings (rollout start --change KIND; start from what is served):\n"
	    "  --new-mx HOST           mx: the new MX host\n"
	    "  --old-mx HOST           mx: the MX host it replaces (default: the only MX)\n"
	    "  --new-host-cname NAME, --new-host-addr ADDR\n"
	    "                          host: where mta-sts.DOMAIN moves to\n"
	    "  --max-age SECONDS       remove: mode none's max_age (86400);\n"
	    "                          max-age: the new max_age (31557600)\n"
	    "  --rua URI               when the domain publishes no TLS-RPT record\n"
	    "Scan settings (scan; the network options apply to every domain):\n"
	    "  --out FILE              JSON Lines output (default: standard output)\n"
	    "  --resume FILE           skip the domains already in FILE, append to it\n"
	    "  --concurrency N         domains checked at once (%d; at most %d)\n"
	    "  --shard K/N             check only shard K of N (1-based)\n"
	    "  --per-dest N            connections at once per address (%d)\n"
	    "  --history               keep the per-domain history (off in a scan)\n"
	    "  --metrics FILE          also write an OpenMetrics textfile (node_exporter)\n"
	    "  --db FILE               record the scan in this SQLite file (default\n"
	    "                          $XDG_STATE_HOME/mtasts-tui/scans.db)\n"
	    "  --no-db                 do not record the scan\n"
	    "Watch (check and the screen):\n"
	    "  --watch[=SECONDS]       check again every SECONDS, or when the shortest\n"
	    "                          TTL of the answers shown runs out (%d..%d s),\n"
	    "                          and say what changed; until Ctrl-C\n"
	    "  --count N               check: stop after N runs\n"
	    "Output options:\n"
	    "  --json, --text          output format of check, lint and report\n"
	    "  --no-color              no colour (also when NO_COLOR is set)\n"
	    "  --format nagios         check: a monitoring plugin's status line, exit 0-3\n"
	    "  -w DAYS, -c DAYS        with it: WARNING, CRITICAL when a certificate\n"
	    "                          expires within DAYS (%d, %d)\n"
	    "\n"
	    "Exit status: 0 ok, 1 warnings, 2 errors, 3 could not check.\n"
	    "See mtasts-tui(1).\n",
	    BUDGET_TIMEOUT_BASE_MS / 1000, BUDGET_TIMEOUT_BASE_MS / 1000,
	    BUDGET_CHECK_MS / 1000, SCAN_CONCURRENCY, SCAN_CONCURRENCY_MAX,
	    SCAN_PER_DEST, CHECK_WATCH_MIN_S, CHECK_WATCH_MAX_S,
	    NAGIOS_WARN_DAYS, NAGIOS_CRIT_DAYS);
}

void
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mtasts-tui: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try 'mtasts-tui --help')\n", stderr);
}

/* ADDR or ADDR@PORT, where ADDR is an IPv4 or IPv6 literal. */
static int
cli_parse_resolver(struct cli_options *opts, char *arg)
{
	unsigned char buf[sizeof(struct in6_addr)];
	char	     *at, *end;
	long	      port = 53;

	if ((at = strrchr(arg, '@')) != NULL) {
		*at = '\0';
		errno = 0;
		port = strtol(at + 1, &end, 10);
		if (errno != 0 || *end != '\0' || at[1] == '\0' || port < 1 ||
		    port > 65535) {
			cli_usage_error("--resolver: bad port '%s'", at + 1);
			return -1;
		}
	}
	if (inet_pton(AF_INET, arg, buf) != 1 &&
	    inet_pton(AF_INET6, arg, buf) != 1) {
		cli_usage_error("--resolver: '%s' is not an IP address", arg);
		return -1;
	}
	opts->resolver = arg;
	opts->resolver_port = (unsigned)port;
	return 0;
}

static int
cli_parse_uint(const char *arg, const char *name, unsigned min, unsigned max,
    unsigned *out)
{
	char *end;
	long  v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || v < (long)min ||
	    v > (long)max) {
		cli_usage_error("%s: '%s' is not a number from %u to %u", name,
		    arg, min, max);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* -w/-c DAYS: certificate days for check --format nagios. */
static int
cli_parse_days(const char *arg, int ch, int *out)
{
	unsigned v;

	if (cli_parse_uint(arg, ch == 'w' ? "-w" : "-c", 0, 3650, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* check --format nagios, -w and -c; --format FMT is export's otherwise. */
static int
cli_check_nagios(struct cli_options *o)
{
	if (o->command == CLI_CHECK && o->out_format != NULL) {
		if (strcmp(o->out_format, "nagios") != 0) {
			cli_usage_error("check --format: only 'nagios' "
					"(--json and --text for the others)");
			return -1;
		}
		if (o->format != CLI_FORMAT_AUTO) {
			cli_usage_error("give only one output format");
			return -1;
		}
		o->format = CLI_FORMAT_NAGIOS;
		o->out_format = NULL;
	}
	if (o->format != CLI_FORMAT_NAGIOS) {
		if (o->warn_days >= 0 || o->crit_days >= 0) {
			cli_usage_error("-w and -c belong to 'check --format "
					"nagios'");
			return -1;
		}
		return 0;
	}
	if (o->warn_days < 0)
		o->warn_days = o->crit_days >= NAGIOS_WARN_DAYS
		    ? o->crit_days + 1
		    : NAGIOS_WARN_DAYS;
	if (o->crit_days < 0)
		o->crit_days =
		    o->warn_days <= NAGIOS_CRIT_DAYS ? 0 : NAGIOS_CRIT_DAYS;
	if (o->crit_days >= o->warn_days && o->warn_days > 0) {
		cli_usage_error("-c %d: CRITICAL needs fewer days than -w %d",
		    o->crit_days, o->warn_days);
		return -1;
	}
	return 0;
}

/* K/N with 1 <= K <= N. */
static int
cli_parse_shard(struct cli_options *opts, const char *arg)
{
	char *end, *end2;
	long  k, n;

	errno = 0;
	k = strtol(arg, &end, 10);
	if (errno == 0 && end != arg && *end == '/') {
		n = strtol(end + 1, &end2, 10);
		if (errno == 0 && end2 != end + 1 && *end2 == '\0' && n >= 1 &&
		    n <= 1000000 && k >= 1 && k <= n) {
			opts->shard = (unsigned)k;
			opts->nshards = (unsigned)n;
			return 0;
		}
	}
	cli_usage_error("--shard: '%s' is not K/N with 1 <= K <= N", arg);
	return -1;
}

static int
cli_repeat(const char **v, int *n, const char *arg, const char *name)
{
	if (*n == CLI_MAX_REPEAT) {
		cli_usage_error("%s given more than %d times", name,
		    CLI_MAX_REPEAT);
		return -1;
	}
	v[(*n)++] = arg;
	return 0;
}

/* The options of export, rollout and wizard. */
static int
cli_check_wizard(const struct cli_options *o)
{
	int exp = o->command == CLI_EXPORT;
	int start = o->command == CLI_ROLLOUT &&
	    strcmp(o->rollout_action, "start") == 0;
	int next =
	    o->command == CLI_ROLLOUT && strcmp(o->rollout_action, "next") == 0;
	int wiz = o->command == CLI_WIZARD;
	int apply = o->command == CLI_ROLLOUT &&
	    strcmp(o->rollout_action, "apply") == 0;

	if (o->nmx && !exp && !start && o->command != CLI_LINT) {
		cli_usage_error("--mx belongs to 'lint', 'export' and "
				"'rollout start'");
		return -1;
	}
	if ((o->mode != NULL || o->max_age != NULL || o->nrua ||
		o->id != NULL || o->nhost_addr || o->host_cname != NULL) &&
	    !exp && !start) {
		cli_usage_error(
		    "--mode, --max-age, --rua, --id and "
		    "--policy-host-* belong to 'export' and 'rollout start'");
		return -1;
	}
	if ((o->change != NULL || o->new_mx != NULL || o->old_mx != NULL ||
		o->new_host_cname != NULL || o->new_host_addr != NULL) &&
	    !start) {
		cli_usage_error("--change, --new-mx, --old-mx and --new-host-* "
				"belong to 'rollout start'");
		return -1;
	}
	if (o->change != NULL &&
	    (o->nmx || o->mode != NULL || o->id != NULL || o->nhost_addr ||
		o->host_cname != NULL)) {
		cli_usage_error("a change plan starts from what is served: "
				"--mx, --mode, --id and --policy-host-* do not "
				"go with --change");
		return -1;
	}
	if (o->change == NULL &&
	    (o->new_mx != NULL || o->old_mx != NULL ||
		o->new_host_cname != NULL || o->new_host_addr != NULL)) {
		cli_usage_error("--new-mx, --old-mx and --new-host-* need "
				"--change");
		return -1;
	}
	if (o->out_format != NULL && !exp) {
		cli_usage_error("--format belongs to 'export'");
		return -1;
	}
	if (o->out_dir != NULL && !exp && !next && !wiz &&
	    o->command != CLI_SCAN && o->command != CLI_FLEET) {
		cli_usage_error("--out belongs to 'export', 'rollout next', "
				"'wizard' and 'scan'");
		return -1;
	}
	if (o->force && !exp && !next && !apply && !start && !wiz) {
		cli_usage_error("--force belongs to 'export', 'rollout' and "
				"'wizard'");
		return -1;
	}
	if (o->state_dir != NULL && !exp && !wiz && o->command != CLI_ROLLOUT) {
		cli_usage_error("--state-dir belongs to 'export', 'rollout' "
				"and 'wizard'");
		return -1;
	}
	if ((o->tsig_key != NULL || o->yes || o->webroot != NULL) && !apply) {
		cli_usage_error("--tsig-key, --yes and --webroot "
				"belong to 'rollout apply'");
		return -1;
	}
	if (o->update_server != NULL && !apply && !exp) {
		cli_usage_error("--server belongs to 'rollout apply' and "
				"'export --format nsupdate'");
		return -1;
	}
	if (o->ics_file != NULL && o->command != CLI_ROLLOUT) {
		cli_usage_error("--ics belongs to 'rollout'");
		return -1;
	}
	if (o->format != CLI_FORMAT_AUTO &&
	    (exp ||
		(o->command == CLI_ROLLOUT &&
		    strcmp(o->rollout_action, "status") != 0))) {
		cli_usage_error("--json and --text belong to 'rollout status'; "
				"export takes --format");
		return -1;
	}
	return 0;
}

/* A finished scan's file rather than a domain: a path or *.jsonl. */
static int
cli_is_scan_file(const char *arg)
{
	size_t n = strlen(arg);

	return strchr(arg, '/') != NULL ||
	    (n > 6 && strcmp(arg + n - 6, ".jsonl") == 0);
}

/*
 * The screen's fleet table: -f FILE (no operand), or operands that are
 * all scan files (shards of one scan).
 */
static int
cli_fleet_operands(struct cli_options *o, char **argv, int nargs)
{
	int i, files = 0;

	for (i = 0; i < nargs; i++)
		files += cli_is_scan_file(argv[i]);
	if (o->fleet_list != NULL) {
		if (nargs != 0) {
			cli_usage_error("-f FILE names the domains: no "
					"operand '%s'",
			    argv[0]);
			return -1;
		}
		o->command = CLI_FLEET;
		return 0;
	}
	if (files == 0)
		return 0;
	if (files != nargs) {
		cli_usage_error("give one domain, or scan files (*.jsonl), "
				"not both");
		return -1;
	}
	o->command = CLI_FLEET;
	o->paths = argv;
	o->npaths = nargs;
	return 0;
}

static int
cli_all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Which options make sense for which command: a cheap table in code. */
static int
cli_check_applicable(const struct cli_options *o)
{
	int lint = o->command == CLI_LINT;
	int scan = o->command == CLI_SCAN;
	/* -f runs a scan on the screen: some of scan's options apply. */
	int fscan = o->command == CLI_FLEET && o->fleet_list != NULL;
	int net = o->command == CLI_CHECK || o->command == CLI_INTERACTIVE ||
	    o->command == CLI_WIZARD || o->command == CLI_ROLLOUT ||
	    o->command == CLI_EXPORT || o->command == CLI_FLEET || scan;

	if (o->password_file != NULL && o->command != CLI_REPORT &&
	    o->command != CLI_CHECK && o->command != CLI_ROLLOUT &&
	    o->command != CLI_INTERACTIVE) {
		cli_usage_error("--password-file belongs to 'report', 'check' "
				"and 'rollout' (an imaps:// --reports URL)");
		return -1;
	}
	if (o->fleet_list != NULL && o->command != CLI_FLEET) {
		cli_usage_error("-f FILE belongs to the screen "
				"(mtasts-tui -f FILE)");
		return -1;
	}
	if (o->command == CLI_FLEET &&
	    (o->format != CLI_FORMAT_AUTO || o->reports != NULL ||
		o->nshards != 0 || o->resume != NULL || o->history ||
		o->metrics != NULL)) {
		cli_usage_error("the fleet table takes no --json, --text, "
				"--reports, --shard, --resume, --history "
				"or --metrics");
		return -1;
	}
	/* The fleet table reads the history of scans (never writes it). */
	if (o->command == CLI_FLEET && o->no_db &&
	    (o->db != NULL || o->since != NULL)) {
		cli_usage_error("--no-db excludes --db FILE and --since DATE");
		return -1;
	}
	if (o->since != NULL && o->command != CLI_FLEET) {
		cli_usage_error("--since DATE belongs to the fleet table and "
				"'scan-summary'");
		return -1;
	}
	if (o->command == CLI_FLEET && !fscan &&
	    (o->out_dir != NULL || o->concurrency != 0 || o->per_dest != 0)) {
		cli_usage_error("--out, --concurrency and --per-dest go with "
				"-f FILE");
		return -1;
	}

	if (!lint && (o->policy_file != NULL || o->ntxt || o->ntlsrpt)) {
		cli_usage_error("--policy, --txt and --tlsrpt belong to "
				"'lint'");
		return -1;
	}
	if (cli_check_wizard(o) != 0)
		return -1;
	if (!scan && !fscan &&
	    (o->concurrency != 0 || o->nshards != 0 || o->per_dest != 0 ||
		o->resume != NULL || o->history || o->metrics != NULL ||
		((o->db != NULL || o->no_db) && o->command != CLI_FLEET))) {
		cli_usage_error("--concurrency, --shard, --per-dest, --resume, "
				"--history, --metrics, --db and --no-db belong "
				"to 'scan' (--db and --no-db also to the fleet "
				"table)");
		return -1;
	}
	if (scan && o->db != NULL && o->no_db) {
		cli_usage_error("--db FILE and --no-db exclude each other");
		return -1;
	}
	if (scan && o->resume != NULL && o->out_dir != NULL) {
		cli_usage_error("--resume FILE appends to FILE: no --out");
		return -1;
	}
	if (scan && (o->format != CLI_FORMAT_AUTO || o->reports != NULL)) {
		cli_usage_error("a scan writes JSON Lines: no --json, --text "
				"or --reports");
		return -1;
	}
	if (!net &&
	    (o->resolver != NULL || o->ca_file != NULL ||
		/* report: --timeout bounds the IMAP waits */
		(o->timeout != 0 && o->command != CLI_REPORT) ||
		o->deadline != 0 || o->family != 0 || o->nskip_mx != 0 ||
		o->expiry_warn != 0 || o->ehlo != NULL || o->no_mx_tls ||
		o->serial || o->reports != NULL)) {
		cli_usage_error("network options do not apply to this command");
		return -1;
	}
	if (o->from_json != NULL && o->command != CLI_INTERACTIVE) {
		cli_usage_error("--from-json opens the screen: no command");
		return -1;
	}
	if (o->watch && o->command != CLI_CHECK &&
	    o->command != CLI_INTERACTIVE) {
		cli_usage_error("--watch belongs to 'check' and the screen");
		return -1;
	}
	if (o->count != 0 && (!o->watch || o->command != CLI_CHECK)) {
		cli_usage_error("--count belongs to 'check --watch'");
		return -1;
	}
	if (o->format == CLI_FORMAT_MARKDOWN && o->command != CLI_FINDINGS) {
		cli_usage_error("--markdown belongs to 'findings'");
		return -1;
	}
	if (o->format != CLI_FORMAT_AUTO &&
	    (o->command == CLI_INTERACTIVE || o->command == CLI_WIZARD)) {
		cli_usage_error(
		    "--json and --text belong to 'check' and 'lint'");
		return -1;
	}
	return 0;
}

int
cli_options_parse(struct cli_options *opts, int argc, char **argv)
{
	const char *nc;
	char	   *end;
	size_t	    i;
	long	    lval;
	int	    ch, nargs, version = 0, help = 0;

	memset(opts, 0, sizeof(*opts));
	opts->command = CLI_INTERACTIVE;
	opts->color = 1;
	opts->timeout_scale = 1.0;
	opts->warn_days = opts->crit_days = -1;
	if ((nc = getenv("NO_COLOR")) != NULL && *nc != '\0')
		opts->color = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":46hf:w:c:", cli_long_options,
		    NULL)) != -1) {
		switch (ch) {
		case 'f':
			opts->fleet_list = optarg;
			break;
		case '4':
		case '6':
			if (opts->family != 0 && opts->family != ch - '0') {
				cli_usage_error("-4 and -6 exclude each other");
				return -1;
			}
			opts->family = ch - '0';
			break;
		case 'h':
			help = 1;
			break;
		case 'w':
		case 'c':
			if (cli_parse_days(optarg, ch,
				ch == 'w' ? &opts->warn_days
					  : &opts->crit_days) != 0)
				return -1;
			break;
		case OPT_VERSION:
			version = 1;
			break;
		case OPT_RESOLVER:
			if (cli_parse_resolver(opts, optarg) != 0)
				return -1;
			break;
		case OPT_CA_FILE:
			if (access(optarg, R_OK) != 0) {
				cli_usage_error(
				    "--ca-file: cannot read '%s': %s", optarg,
				    strerror(errno));
				return -1;
			}
			opts->ca_file = optarg;
			break;
		case OPT_TIMEOUT:
			errno = 0;
			opts->timeout = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    !(opts->timeout > 0 &&
				opts->timeout <=
				    BUDGET_TIMEOUT_MAX_MS / 1000.0)) {
				cli_usage_error(
				    "--timeout: '%s' is not a number "
				    "of seconds between 0 and %d",
				    optarg, BUDGET_TIMEOUT_MAX_MS / 1000);
				return -1;
			}
			opts->timeout_scale = budget_scale(opts->timeout);
			break;
		case OPT_DEADLINE:
			errno = 0;
			opts->deadline = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    !(opts->deadline >= BUDGET_CHECK_MIN_MS / 1000.0 &&
				opts->deadline <=
				    BUDGET_CHECK_MAX_MS / 1000.0)) {
				cli_usage_error(
				    "--deadline: '%s' is not a number "
				    "of seconds between %d and %d",
				    optarg, BUDGET_CHECK_MIN_MS / 1000,
				    BUDGET_CHECK_MAX_MS / 1000);
				return -1;
			}
			break;
		case OPT_NO_COLOR:
			opts->color = 0;
			break;
		case OPT_JSON:
		case OPT_TEXT:
		case OPT_MARKDOWN:
			if (opts->format != CLI_FORMAT_AUTO) {
				cli_usage_error("give only one output format");
				return -1;
			}
			opts->format = ch == OPT_JSON ? CLI_FORMAT_JSON
			    : ch == OPT_TEXT	      ? CLI_FORMAT_TEXT
						      : CLI_FORMAT_MARKDOWN;
			break;
		case OPT_NO_HISTORY:
			opts->no_history = 1;
			break;
		case OPT_SERIAL:
			opts->serial = 1;
			break;
		case OPT_AUTH:
			opts->auth = 1;
			break;
		case OPT_MODE:
			opts->mode = optarg;
			break;
		case OPT_MAX_AGE:
			opts->max_age = optarg;
			break;
		case OPT_RUA:
			if (cli_repeat(opts->rua, &opts->nrua, optarg,
				"--rua") != 0)
				return -1;
			break;
		case OPT_ID:
			opts->id = optarg;
			break;
		case OPT_HOST_ADDR:
			if (cli_repeat(opts->host_addr, &opts->nhost_addr,
				optarg, "--policy-host-address") != 0)
				return -1;
			break;
		case OPT_HOST_CNAME:
			opts->host_cname = optarg;
			break;
		case OPT_FORMAT:
			opts->out_format = optarg;
			break;
		case OPT_OUT:
			opts->out_dir = optarg;
			break;
		case OPT_STATE_DIR:
			opts->state_dir = optarg;
			break;
		case OPT_ICS:
			opts->ics_file = optarg;
			break;
		case OPT_SERVER:
			opts->update_server = optarg;
			break;
		case OPT_TSIG_KEY:
			opts->tsig_key = optarg;
			break;
		case OPT_YES:
			opts->yes = 1;
			break;
		case OPT_WEBROOT:
			opts->webroot = optarg;
			break;
		case OPT_FORCE:
			opts->force = 1;
			break;
		case OPT_CHANGE:
			opts->change = optarg;
			break;
		case OPT_NEW_MX:
			opts->new_mx = optarg;
			break;
		case OPT_OLD_MX:
			opts->old_mx = optarg;
			break;
		case OPT_NEW_HOST_CNAME:
			opts->new_host_cname = optarg;
			break;
		case OPT_NEW_HOST_ADDR:
			opts->new_host_addr = optarg;
			break;
		case OPT_CONCURRENCY:
			if (cli_parse_uint(optarg, "--concurrency", 1,
				SCAN_CONCURRENCY_MAX, &opts->concurrency) != 0)
				return -1;
			break;
		case OPT_PER_DEST:
			if (cli_parse_uint(optarg, "--per-dest", 1, 1024,
				&opts->per_dest) != 0)
				return -1;
			break;
		case OPT_SHARD:
			if (cli_parse_shard(opts, optarg) != 0)
				return -1;
			break;
		case OPT_RESUME:
			opts->resume = optarg;
			break;
		case OPT_DB:
			opts->db = optarg;
			break;
		case OPT_NO_DB:
			opts->no_db = 1;
			break;
		case OPT_SINCE:
			if (scan_summary_parse_since(optarg, &opts->since_t) !=
			    0) {
				cli_usage_error("--since: '%s' is not "
						"YYYY-MM-DD, "
						"YYYY-MM-DDTHH:MM:SSZ or Nd",
				    optarg);
				return -1;
			}
			opts->since = optarg;
			break;
		case OPT_HISTORY:
			opts->history = 1;
			break;
		case OPT_METRICS:
			opts->metrics = optarg;
			break;
		case OPT_SKIP_MX:
			if (cli_repeat(opts->skip_mx, &opts->nskip_mx, optarg,
				"--skip-mx") != 0)
				return -1;
			break;
		case OPT_EXPIRY_WARN:
			errno = 0;
			lval = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    lval < 1 || lval > 3650) {
				cli_usage_error("--expiry-warn: '%s' is not a "
						"number of days from 1 to 3650",
				    optarg);
				return -1;
			}
			opts->expiry_warn = (int)lval;
			break;
		case OPT_EHLO:
			opts->ehlo = optarg;
			break;
		case OPT_WATCH:
			/* "--watch 30" as well as "--watch=30": a domain is
			 * never all digits. */
			if (optarg == NULL && optind < argc &&
			    cli_all_digits(argv[optind]))
				optarg = argv[optind++];
			opts->watch = 1;
			if (optarg == NULL)
				break;
			errno = 0;
			lval = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    lval < 1 || lval > CHECK_WATCH_SECS_MAX) {
				cli_usage_error("--watch: '%s' is not a number "
						"of seconds from 1 to %d",
				    optarg, CHECK_WATCH_SECS_MAX);
				return -1;
			}
			opts->watch_secs = (unsigned)lval;
			break;
		case OPT_COUNT:
			errno = 0;
			lval = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    lval < 1 || lval > 1000000) {
				cli_usage_error("--count: '%s' is not a number "
						"from 1 to 1000000",
				    optarg);
				return -1;
			}
			opts->count = (unsigned)lval;
			break;
		case OPT_NO_MX_TLS:
			opts->no_mx_tls = 1;
			break;
		case OPT_FROM_JSON:
			opts->from_json = optarg;
			break;
		case OPT_PASSWORD_FILE:
			opts->password_file = optarg;
			break;
		case OPT_REPORTS:
			/* A mailbox URL is read later (report_imap.h). */
			if (!report_imap_is_url(optarg) &&
			    access(optarg, R_OK) != 0) {
				cli_usage_error(
				    "--reports: cannot read '%s': %s", optarg,
				    strerror(errno));
				return -1;
			}
			opts->reports = optarg;
			break;
		case OPT_POLICY:
			opts->policy_file = optarg;
			break;
		case OPT_TXT:
			if (cli_repeat(opts->txt, &opts->ntxt, optarg,
				"--txt") != 0)
				return -1;
			break;
		case OPT_TLSRPT:
			if (cli_repeat(opts->tlsrpt, &opts->ntlsrpt, optarg,
				"--tlsrpt") != 0)
				return -1;
			break;
		case OPT_MX:
			if (cli_repeat(opts->mx, &opts->nmx, optarg, "--mx") !=
			    0)
				return -1;
			break;
		case ':':
			cli_usage_error("option '%s' needs an argument",
			    argv[optind - 1]);
			return -1;
		default:
			if (optopt != 0)
				cli_usage_error("unknown option '-%c'", optopt);
			else
				cli_usage_error("unknown option '%s'",
				    argv[optind - 1]);
			return -1;
		}
	}
	if (version || help) {
		opts->command = version ? CLI_VERSION : CLI_HELP;
		return 0;
	}

	argv += optind;
	nargs = argc - optind;
	if (nargs > 0) {
		for (i = 0; i < sizeof(cli_commands) / sizeof(cli_commands[0]);
		     i++) {
			if (strcmp(argv[0], cli_commands[i].name) == 0) {
				opts->command = cli_commands[i].command;
				argv++;
				nargs--;
				break;
			}
		}
	}
	if (opts->command == CLI_ROLLOUT) {
		if (nargs == 0 ||
		    (strcmp(argv[0], "start") != 0 &&
			strcmp(argv[0], "status") != 0 &&
			strcmp(argv[0], "next") != 0 &&
			strcmp(argv[0], "apply") != 0)) {
			cli_usage_error("rollout needs 'start', 'status', "
					"'next' or 'apply'");
			return -1;
		}
		opts->rollout_action = argv[0];
		argv++;
		nargs--;
	}
	if (opts->command == CLI_INTERACTIVE &&
	    cli_fleet_operands(opts, argv, nargs) != 0)
		return -1;
	switch (opts->command) {
	case CLI_FLEET:
		break;
	case CLI_SCAN:
		if (nargs > 1) {
			cli_usage_error("scan reads one FILE (or -), got '%s' "
					"too",
			    argv[1]);
			return -1;
		}
		opts->scan_input = nargs == 1 ? argv[0] : NULL;
		break;
	case CLI_REPORT:
		if (nargs == 0) {
			cli_usage_error("report needs a FILE, DIR or "
					"imaps:// URL");
			return -1;
		}
		opts->paths = argv;
		opts->npaths = nargs;
		break;
	case CLI_HELP:
	case CLI_FINDINGS:
	case CLI_LINT:
		if (nargs != 0) {
			cli_usage_error("unexpected argument '%s'", argv[0]);
			return -1;
		}
		break;
	default:
		if (opts->from_json != NULL && nargs == 0)
			break; /* the document names the domain */
		if (opts->from_json != NULL) {
			cli_usage_error("--from-json FILE names the domain: "
					"no DOMAIN");
			return -1;
		}
		if (nargs == 0) {
			cli_usage_error("no domain given");
			return -1;
		}
		if (nargs > 1) {
			cli_usage_error("one domain at a time, got '%s' too",
			    argv[1]);
			return -1;
		}
		opts->domain = argv[0];
	}
	if (cli_check_nagios(opts) != 0)
		return -1;
	return cli_check_applicable(opts);
}
