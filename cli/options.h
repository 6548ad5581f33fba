/*
 * options: the command line, parsed once for every subcommand.
 *
 * One option table serves all subcommands; cli_options_parse() checks that
 * each option given is meaningful for the chosen command.
 */
#ifndef MTASTS_CLI_OPTIONS_H
#define MTASTS_CLI_OPTIONS_H

/* Nagios-style exit codes, used by every command. */
#define EXIT_CHECK_OK		0
#define EXIT_CHECK_WARNING	1
#define EXIT_CHECK_ERROR	2
#define EXIT_CHECK_UNKNOWN	3

enum cli_command {
	CLI_INTERACTIVE,	/* mtasts-tui DOMAIN */
	CLI_CHECK,
	CLI_LINT,
	CLI_WIZARD,
	CLI_FINDINGS,
	CLI_HELP,
	CLI_VERSION
};

enum cli_format {
	CLI_FORMAT_AUTO,	/* text; the TUI for the interactive command */
	CLI_FORMAT_TEXT,
	CLI_FORMAT_JSON,
	CLI_FORMAT_MARKDOWN
};

#define CLI_MAX_REPEAT	64	/* repeatable options (--txt, --mx, ...) */

struct cli_options {
	enum cli_command	 command;
	enum cli_format		 format;
	const char		*domain;	/* as typed; NULL if none */
	const char		*resolver;	/* address, NULL = resolv.conf */
	unsigned		 resolver_port;
	const char		*ca_file;	/* NULL = system trust store */
	double			 timeout_scale;	/* --timeout / default */
	double			 timeout;	/* seconds, 0 = defaults */
	int			 family;	/* 0 both, 4 or 6 */
	int			 color;		/* 1 allowed, 0 never */
	int			 no_history;
	int			 serial;		/* --serial (debugging) */
	const char		*policy_file;	/* lint --policy */
	const char		*txt[CLI_MAX_REPEAT];
	int			 ntxt;
	const char		*tlsrpt[CLI_MAX_REPEAT];
	int			 ntlsrpt;
	const char		*mx[CLI_MAX_REPEAT];
	int			 nmx;
};

/*
 * Fills opts from argv.  Returns 0, or -1 after printing a one-line usage
 * error to stderr (the caller exits with EXIT_CHECK_UNKNOWN).
 */
int	cli_options_parse(struct cli_options *opts, int argc, char **argv);
void	cli_usage(void);
/* Prints "mtasts-tui: MESSAGE (try 'mtasts-tui --help')" to stderr. */
void	cli_usage_error(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

#endif
