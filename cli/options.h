/*
 * options: the command line, parsed once for every subcommand.
 *
 * One option table serves all subcommands; cli_options_parse() checks that
 * each option given is meaningful for the chosen command.
 */
#ifndef MTASTS_CLI_OPTIONS_H
#define MTASTS_CLI_OPTIONS_H

#include "run_config.h" /* the exit codes */

enum cli_command {
	CLI_INTERACTIVE, /* mtasts-tui DOMAIN */
	CLI_CHECK,
	CLI_LINT,
	CLI_WIZARD,
	CLI_EXPORT,  /* export DOMAIN (wizard, no screens) */
	CLI_ROLLOUT, /* rollout start|status|next DOMAIN */
	CLI_FINDINGS,
	CLI_REPORT,	  /* mtasts-tui report FILE|DIR... */
	CLI_SCAN,	  /* mtasts-tui scan [FILE|-] */
	CLI_SCAN_SUMMARY, /* scan-summary [opts] FILE... (own parser) */
	CLI_FLEET,	  /* mtasts-tui -f FILE | SCAN.jsonl...: the table */
	CLI_HELP,
	CLI_VERSION
};

enum cli_format {
	CLI_FORMAT_AUTO, /* text; the TUI for the interactive command */
	CLI_FORMAT_TEXT,
	CLI_FORMAT_JSON,
	CLI_FORMAT_MARKDOWN,
	CLI_FORMAT_NAGIOS /* check --format nagios */
};

#define CLI_MAX_REPEAT 64 /* repeatable options (--txt, --mx, ...) */

struct cli_options {
	enum cli_command command;
	enum cli_format	 format;
	const char	*domain;   /* as typed; NULL if none */
	const char	*resolver; /* address, NULL = resolv.conf */
	unsigned	 resolver_port;
	const char	*ca_file;	/* NULL = system trust store */
	double		 timeout_scale; /* --timeout / default */
	double		 timeout;	/* seconds, 0 = defaults */
	double		 deadline;	/* --deadline seconds, 0 = default */
	int		 family;	/* 0 both, 4 or 6 */
	int		 color;		/* 1 allowed, 0 never */
	int		 no_history;
	int		 auth;	 /* --auth: the optional layer "auth" */
	int		 serial; /* --serial (debugging) */
	const char	*skip_mx[CLI_MAX_REPEAT]; /* --skip-mx */
	int		 nskip_mx;
	int		 expiry_warn;	/* --expiry-warn DAYS, 0 default */
	const char	*ehlo;		/* --ehlo NAME */
	int		 no_mx_tls;	/* --no-mx-tls */
	const char	*reports;	/* check --reports DIR */
	const char	*password_file; /* --password-file (report_imap.h) */
	const char	*from_json;	/* the screen on a stored document */
	const char	*policy_file;	/* lint --policy */
	const char	*txt[CLI_MAX_REPEAT];
	int		 ntxt;
	const char	*tlsrpt[CLI_MAX_REPEAT];
	int		 ntlsrpt;
	const char	*mx[CLI_MAX_REPEAT];
	int		 nmx;
	char	       **paths; /* report operands (argv) */
	int		 npaths;
	/* export, rollout and wizard (values checked by the command) */
	const char *rollout_action; /* start, status, next, apply */
	const char *mode;	    /* --mode */
	const char *max_age;	    /* --max-age */
	const char *rua[CLI_MAX_REPEAT];
	int	    nrua;
	const char *id; /* --id */
	const char *host_addr[CLI_MAX_REPEAT];
	int	    nhost_addr;
	const char *host_cname; /* --policy-host-cname */
	const char *out_format; /* --format */
	const char *out_dir;	/* --out */
	const char *state_dir;	/* --state-dir */
	const char *ics_file;	/* --ics */
	int	    force;	/* --force */
	/* rollout apply (cli/cmd_rollout.c) */
	const char *update_server; /* --server ADDR */
	const char *tsig_key;	   /* --tsig-key FILE */
	int	    yes;	   /* --yes: send, write */
	const char *webroot;	   /* --webroot DIR */
	/* rollout start --change (wizard/change.h) */
	const char *change;	    /* --change */
	const char *new_mx;	    /* --new-mx */
	const char *old_mx;	    /* --old-mx */
	const char *new_host_cname; /* --new-host-cname */
	const char *new_host_addr;  /* --new-host-addr */
	/* scan (cli/cmd_scan.h); --out is its output file */
	const char *scan_input;	 /* FILE, "-" or NULL: stdin */
	unsigned    concurrency; /* --concurrency, 0: default */
	unsigned    shard;	 /* --shard K/N: K (1-based) */
	unsigned    nshards;	 /* N, 0: no shard */
	unsigned    per_dest;	 /* --per-dest, 0: default */
	const char *resume;	 /* --resume FILE */
	int	    history;	 /* --history */
	/* the fleet table: -f FILE (domains), or paths (SCAN.jsonl...) */
	const char *fleet_list;
	const char *metrics; /* scan --metrics FILE */
	/* check --format nagios: certificate days thresholds, -1 unset */
	int	    warn_days;	/* -w DAYS */
	int	    crit_days;	/* -c DAYS */
	int	    watch;	/* --watch: check again and again */
	unsigned    watch_secs; /* --watch=SECONDS; 0: at the TTL */
	unsigned    count;	/* --count N runs; 0: until a signal */
	const char *db;		/* --db FILE; NULL: the default */
	int	    no_db;	/* --no-db */
	const char *since;	/* --since DATE (the fleet table) */
	time_t	    since_t;
};

/*
 * Fills opts from argv.  Returns 0, or -1 after printing a one-line usage
 * error to stderr (the caller exits with EXIT_CHECK_UNKNOWN).
 */
int  cli_options_parse(struct cli_options *opts, int argc, char **argv);
void cli_usage(void);
/* Prints "mtasts-tui: MESSAGE (try 'mtasts-tui --help')" to stderr. */
void cli_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
