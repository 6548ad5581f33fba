/*
 * Test driver for engine/share: runs the checks of every DOMAIN at once
 * (one thread each), all with ONE share (or, with -n, none), writes each
 * check's --json document to DIR/INDEX.json and prints the share's stats
 * on one line.  For tests/integration/share.sh.  Not installed.
 *
 * usage: share_driver [-n] [-p per_dest] [-r rounds] -o DIR DOMAIN ...
 *
 * With -r N the domains are checked N times in a row (the later rounds
 * find the answers and probes of the first).  The resolver, CA and ports
 * are the defaults, as `mtasts-tui check` inside the lab has them
 * (MTASTS_SMTP_PORT and MTASTS_FETCH_PORT are honoured likewise).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "report_json.h"
#include "share.h"
#include "xmalloc.h"

struct job {
	const char	    *domain;
	struct check_options co;
	char		    *path;
	int		     rc;
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: share_driver [-n] [-p per_dest] [-r rounds] "
	    "-o DIR DOMAIN ...\n");
	exit(2);
}

static void *
run(void *arg)
{
	struct job   *j = arg;
	struct check *c;
	char	     *cause = NULL, *json;
	FILE	     *f;

	if ((c = check_run_sync(j->domain, &j->co, NULL, NULL, &cause)) ==
	    NULL) {
		fprintf(stderr, "%s: %s\n", j->domain, cause);
		free(cause);
		j->rc = 1;
		return NULL;
	}
	json = report_json(c, NULL, "mtasts-tui share_driver", NULL);
	if ((f = fopen(j->path, "w")) == NULL || fputs(json, f) == EOF ||
	    fclose(f) == EOF) {
		fprintf(stderr, "%s: cannot write\n", j->path);
		j->rc = 1;
	}
	free(json);
	check_free(c);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct share	  *s = NULL;
	struct share_stats st;
	struct job	  *jobs;
	pthread_t	  *t;
	const char	  *dir = NULL, *port;
	char		  *cause = NULL;
	unsigned	   per_dest = 0;
	int		   ch, i, n, r, rounds = 1, noshare = 0, rc = 0;

	while ((ch = getopt(argc, argv, "no:p:r:")) != -1) {
		switch (ch) {
		case 'n':
			noshare = 1;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'p':
			per_dest = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			rounds = (int)strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (dir == NULL || argc < 1 || rounds < 1)
		usage();
	if (check_global_init(&cause) == -1) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	if (!noshare)
		s = share_new(&(struct share_options){ 0, per_dest, 0 });
	n = argc;
	jobs = xcalloc((size_t)n, sizeof(*jobs));
	t = xcalloc((size_t)n, sizeof(*t));
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			jobs[i].domain = argv[i];
			memset(&jobs[i].co, 0, sizeof(jobs[i].co));
			jobs[i].co.timeout_scale = 1;
			jobs[i].co.no_history = 1;
			jobs[i].co.share = s;
			if ((port = getenv("MTASTS_SMTP_PORT")) != NULL)
				jobs[i].co.smtp_port =
				    (unsigned)strtoul(port, NULL, 10);
			if ((port = getenv("MTASTS_FETCH_PORT")) != NULL)
				jobs[i].co.fetch_port =
				    (unsigned)strtoul(port, NULL, 10);
			free(jobs[i].path);
			jobs[i].path = xasprintf("%s/%d.%d.json", dir, r, i);
			pthread_create(&t[i], NULL, run, &jobs[i]);
		}
		for (i = 0; i < n; i++) {
			pthread_join(t[i], NULL);
			rc |= jobs[i].rc;
		}
	}
	if (s != NULL) {
		share_stats(s, &st);
		printf("dns_asked=%zu dns_reused=%zu probes_run=%zu "
		       "probes_reused=%zu dest_waits=%zu\n",
		    st.dns_asked, st.dns_reused, st.probes_run,
		    st.probes_reused, st.dest_waits);
		share_free(s);
	}
	for (i = 0; i < n; i++)
		free(jobs[i].path);
	free(jobs);
	free(t);
	/*
	 * No check_global_cleanup(): the share's workers end on their own
	 * after share_free() (pool_free does not wait for them), and GnuTLS
	 * and libcurl must not be torn down under a thread still ending.
	 */
	return rc;
}
