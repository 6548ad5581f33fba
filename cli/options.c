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

#define DEFAULT_TIMEOUT	10.0	/* the default of the longest single step */

enum {
	OPT_RESOLVER = 256,
	OPT_CA_FILE,
	OPT_TIMEOUT,
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
	OPT_SERIAL
};

static const struct option cli_long_options[] = {
	{ "resolver",	required_argument, NULL, OPT_RESOLVER },
	{ "ca-file",	required_argument, NULL, OPT_CA_FILE },
	{ "timeout",	required_argument, NULL, OPT_TIMEOUT },
	{ "no-color",	no_argument,	   NULL, OPT_NO_COLOR },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "text",	no_argument,	   NULL, OPT_TEXT },
	{ "markdown",	no_argument,	   NULL, OPT_MARKDOWN },
	{ "no-history",	no_argument,	   NULL, OPT_NO_HISTORY },
	{ "policy",	required_argument, NULL, OPT_POLICY },
	{ "txt",	required_argument, NULL, OPT_TXT },
	{ "tlsrpt",	required_argument, NULL, OPT_TLSRPT },
	{ "mx",		required_argument, NULL, OPT_MX },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, OPT_VERSION },
	{ "serial",	no_argument,	   NULL, OPT_SERIAL },
	{ NULL, 0, NULL, 0 }
};

static const struct {
	const char		*name;
	enum cli_command	 command;
} cli_commands[] = {
	{ "check",	CLI_CHECK },
	{ "lint",	CLI_LINT },
	{ "wizard",	CLI_WIZARD },
	{ "findings",	CLI_FINDINGS },
	{ "help",	CLI_HELP },
};

void
cli_usage(void)
{
	printf(
"usage: mtasts-tui [options] DOMAIN          interactive check (terminal UI)\n"
"       mtasts-tui check [--json|--text] [options] DOMAIN\n"
"       mtasts-tui lint [--policy FILE|-] [--txt REC]... [--tlsrpt REC]...\n"
"                       [--mx HOST]... [--json|--text]\n"
"       mtasts-tui wizard DOMAIN\n"
"       mtasts-tui findings [--json|--markdown]\n"
"       mtasts-tui --help | --version\n"
"\n"
"Network options:\n"
"  --resolver ADDR[@PORT]  DNS resolver to ask (default: /etc/resolv.conf)\n"
"  --ca-file FILE          trust store in PEM (default: the system store)\n"
"  --timeout SECONDS       per-step timeout for the slowest step; the others\n"
"                          scale with it (default 10)\n"
"  -4, -6                  use only IPv4 or only IPv6 addresses\n"
"  --no-history            do not read or write the local history\n"
"Output options:\n"
"  --json, --text          output format of check and lint\n"
"  --no-color              no colour (also when NO_COLOR is set)\n"
"\n"
"Exit status: 0 ok, 1 warnings, 2 errors, 3 could not check.\n"
"See mtasts-tui(1).\n");
}

void
cli_usage_error(const char *fmt, ...)
{
	va_list	 ap;

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
	unsigned char	 buf[sizeof(struct in6_addr)];
	char		*at, *end;
	long		 port = 53;

	if ((at = strrchr(arg, '@')) != NULL) {
		*at = '\0';
		errno = 0;
		port = strtol(at + 1, &end, 10);
		if (errno != 0 || *end != '\0' || at[1] == '\0' ||
		    port < 1 || port > 65535) {
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

/* Which options make sense for which command: a cheap table in code. */
static int
cli_check_applicable(const struct cli_options *o)
{
	int	 lint = o->command == CLI_LINT;
	int	 net = o->command == CLI_CHECK || o->command == CLI_INTERACTIVE ||
		    o->command == CLI_WIZARD;

	if (!lint && (o->policy_file != NULL || o->ntxt || o->ntlsrpt ||
	    o->nmx)) {
		cli_usage_error("--policy, --txt, --tlsrpt and --mx belong to "
		    "'lint'");
		return -1;
	}
	if (!net && (o->resolver != NULL || o->ca_file != NULL ||
	    o->timeout != 0 || o->family != 0)) {
		cli_usage_error("network options do not apply to this command");
		return -1;
	}
	if (o->format == CLI_FORMAT_MARKDOWN && o->command != CLI_FINDINGS) {
		cli_usage_error("--markdown belongs to 'findings'");
		return -1;
	}
	if (o->format != CLI_FORMAT_AUTO && (o->command == CLI_INTERACTIVE ||
	    o->command == CLI_WIZARD)) {
		cli_usage_error("--json and --text belong to 'check' and 'lint'");
		return -1;
	}
	return 0;
}

int
cli_options_parse(struct cli_options *opts, int argc, char **argv)
{
	const char	*nc;
	char		*end;
	size_t		 i;
	int		 ch, nargs, version = 0, help = 0;

	memset(opts, 0, sizeof(*opts));
	opts->command = CLI_INTERACTIVE;
	opts->color = 1;
	opts->timeout_scale = 1.0;
	if ((nc = getenv("NO_COLOR")) != NULL && *nc != '\0')
		opts->color = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":46h", cli_long_options,
	    NULL)) != -1) {
		switch (ch) {
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
		case OPT_VERSION:
			version = 1;
			break;
		case OPT_RESOLVER:
			if (cli_parse_resolver(opts, optarg) != 0)
				return -1;
			break;
		case OPT_CA_FILE:
			if (access(optarg, R_OK) != 0) {
				cli_usage_error("--ca-file: cannot read '%s': %s",
				    optarg, strerror(errno));
				return -1;
			}
			opts->ca_file = optarg;
			break;
		case OPT_TIMEOUT:
			errno = 0;
			opts->timeout = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    !(opts->timeout > 0 && opts->timeout <= 600)) {
				cli_usage_error("--timeout: '%s' is not a number "
				    "of seconds between 0 and 600", optarg);
				return -1;
			}
			opts->timeout_scale = opts->timeout / DEFAULT_TIMEOUT;
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
			opts->format = ch == OPT_JSON ? CLI_FORMAT_JSON :
			    ch == OPT_TEXT ? CLI_FORMAT_TEXT :
			    CLI_FORMAT_MARKDOWN;
			break;
		case OPT_NO_HISTORY:
			opts->no_history = 1;
			break;
		case OPT_SERIAL:
			opts->serial = 1;
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
			if (cli_repeat(opts->mx, &opts->nmx, optarg,
			    "--mx") != 0)
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
	switch (opts->command) {
	case CLI_HELP:
	case CLI_FINDINGS:
	case CLI_LINT:
		if (nargs != 0) {
			cli_usage_error("unexpected argument '%s'", argv[0]);
			return -1;
		}
		break;
	default:
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
	return cli_check_applicable(opts);
}
