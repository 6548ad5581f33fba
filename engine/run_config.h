/*
 * run_config: what one run of mtasts-tui was asked to do, as plain values.
 *
 * cli/ parses argv and fills it; main.c hands it to the front end that
 * runs the command (the plain commands, the screen, the wizard), so no
 * front end needs another one's types.  Data only: no functions, and
 * every pointer borrows from argv or the parser for the whole run.
 */
#ifndef MTASTS_RUN_CONFIG_H
#define MTASTS_RUN_CONFIG_H

#include <time.h>

#include "check.h"

/* Nagios-style exit codes, the same for every command and front end. */
#define EXIT_CHECK_OK	   0
#define EXIT_CHECK_WARNING 1
#define EXIT_CHECK_ERROR   2
#define EXIT_CHECK_UNKNOWN 3

/* The front end that runs the command. */
enum run_front {
	RUN_PLAIN,  /* a plain command of cli/ */
	RUN_SCREEN, /* mtasts-tui DOMAIN: the interactive screen */
	RUN_WIZARD, /* mtasts-tui wizard DOMAIN: the rollout wizard */
	RUN_FLEET   /* mtasts-tui -f FILE | SCAN.jsonl...: the fleet table */
};

struct run_config {
	enum run_front	     front;
	const char	    *domain; /* as typed; NULL if none */
	struct check_options check;  /* ready for check_new() */
	int		     color;  /* 1 allowed, 0 never (NO_COLOR) */
	/*
	 * TLS-RPT reports (--reports), a file or directory; NULL: none.
	 * The rollout judging counts clean days in them.
	 */
	const char *reports;
	/* --from-json FILE: the screen opens on a stored document. */
	const char *from_json;
	/* The rollout request: where the plan and the outputs live. */
	const char *state_dir; /* --state-dir; NULL: $XDG_STATE_HOME */
	const char *out_dir;   /* --out; NULL: the default directory */
	int	    force;     /* --force: overwrite, go ahead early */
	/* The fleet table: a scan to run, or finished scans to open. */
	const char  *fleet_list;  /* -f FILE: the domains to scan */
	const char  *fleet_out;	  /* --out FILE with -f: its JSON Lines */
	char *const *fleet_scans; /* SCAN.jsonl operands (merged shards) */
	int	     nfleet_scans;
	unsigned     concurrency; /* --concurrency with -f; 0: default */
	unsigned     per_dest;	  /* --per-dest with -f; 0: default */
	/*
	 * The history of scans the table compares with (read only): --db
	 * FILE, NULL: the default file; --no-db; --since DATE (0: the scan
	 * before this one).
	 */
	const char *fleet_db;
	int	    fleet_no_db;
	time_t	    fleet_since;
	/* --watch: the screen checks again (check_ttl.h); watch_secs 0: at
	 * the shortest TTL. */
	int	 watch;
	unsigned watch_secs;
};

#endif
