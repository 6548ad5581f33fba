#include "config.h"
#include "cmd_scan_summary.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "jsonl.h"
#include "jsonw.h"
#include "run_config.h"
#include "xmalloc.h"

#define SS_FIRST 3 /* domains shown after a count, without --domains */

struct ss_opts {
	int json, per_domain, all_domains;
};

static void
ss_note(void *arg, const char *text)
{
	(void)arg;
	fprintf(stderr, "mtasts-tui: scan-summary: %s\n", text);
}

/* Reads one input into the fleet; -1 when it cannot be read. */
static int
ss_read(struct fleet *fl, const char *path, unsigned long *skipped)
{
	struct jsonl *r;
	FILE	     *f;
	json_t	     *doc;
	unsigned long line;
	char	     *where;
	int	      rv;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "mtasts-tui: scan-summary: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	r = jsonl_new(f, strcmp(path, "-") == 0 ? "(stdin)" : path,
	    JSONL_MAX_LINE, ss_note, NULL);
	while ((rv = jsonl_next(r, &doc, &line)) == 1) {
		where = xasprintf("%s:%lu",
		    strcmp(path, "-") == 0 ? "(stdin)" : path, line);
		if (fleet_add(fl, doc, where) != 0)
			(*skipped)++;
		free(where);
		json_decref(doc);
	}
	*skipped += jsonl_skipped(r);
	jsonl_free(r);
	if (f != stdin)
		fclose(f);
	return rv < 0 ? -1 : 0;
}

static void
ss_per_domain(struct fleet *fl)
{
	const struct fleet_row *r;
	size_t			i, k;

	for (i = 0; i < fleet_count(fl); i++) {
		r = fleet_row_at(fl, i);
		printf("%s\t%s\t%s\t", r->domain, r->answer, r->mode);
		if (r->nclasses == 0)
			putchar('-');
		for (k = 0; k < r->nclasses; k++)
			printf("%s%s", k ? "," : "", r->classes[k]);
		putchar('\n');
	}
}

/* The domains with at least one class, into a tally the caller frees. */
static struct fleet_tally
ss_misconfigured(struct fleet *fl)
{
	struct fleet_tally t = { "misconfigured", NULL, 0 };
	size_t		   i, n = fleet_count(fl);

	t.domains = xcalloc(n + 1, sizeof(*t.domains));
	for (i = 0; i < n; i++)
		if (fleet_row_at(fl, i)->nclasses > 0)
			t.domains[t.n++] = fleet_row_at(fl, i)->domain;
	return t;
}

static void
ss_json_tally(struct jsonw *j, const struct fleet_tally *t)
{
	size_t i;

	jsonw_object_begin(j, t->key);
	jsonw_uint(j, "count", t->n);
	jsonw_array_begin(j, "domains");
	for (i = 0; i < t->n; i++)
		jsonw_string(j, NULL, t->domains[i]);
	jsonw_array_end(j);
	jsonw_object_end(j);
}

static void
ss_json(struct fleet *fl, char **paths, int npaths, unsigned long skipped)
{
	struct fleet_tally mis = ss_misconfigured(fl);
	struct jsonw	  *j = jsonw_new(1);
	size_t		   d, i, len;
	char		  *out;
	int		   p;

	jsonw_object_begin(j, NULL);
	jsonw_object_begin(j, "scan_summary");
	jsonw_uint(j, "version", 1);
	jsonw_string(j, "tool", "mtasts-tui " MTASTS_VERSION);
	jsonw_array_begin(j, "inputs");
	for (p = 0; p < npaths; p++)
		jsonw_string(j, NULL, paths[p]);
	jsonw_array_end(j);
	jsonw_uint(j, "domains", fleet_count(fl));
	jsonw_uint(j, "skipped", skipped);
	ss_json_tally(j, &mis);
	for (d = 0; d < FLEET_NDIM; d++) {
		jsonw_object_begin(j, fleet_dim_name((enum fleet_dim)d));
		for (i = 0; i < fleet_tally_count(fl, (enum fleet_dim)d); i++)
			ss_json_tally(j,
			    fleet_tally_at(fl, (enum fleet_dim)d, i));
		jsonw_object_end(j);
	}
	jsonw_object_end(j);
	jsonw_object_end(j);
	out = jsonw_finish(j, &len);
	fwrite(out, 1, len, stdout);
	putchar('\n');
	free(out);
	jsonw_free(j);
	free(mis.domains);
}

static void
ss_text_tally(const struct fleet_tally *t, size_t total, int all)
{
	size_t i, show = all ? t->n : (t->n < SS_FIRST ? t->n : SS_FIRST);

	printf("  %-28s %7zu %6.1f%%", t->key, t->n,
	    total ? 100.0 * (double)t->n / (double)total : 0.0);
	for (i = 0; i < show; i++)
		printf("%s%s", i ? ", " : "  ", t->domains[i]);
	if (show < t->n)
		printf(", ... (%zu more)", t->n - show);
	putchar('\n');
}

static void
ss_text(struct fleet *fl, int npaths, unsigned long skipped, int all)
{
	static const char *const  titles[FLEET_NDIM] = { "delivery answer",
		 "mode", "promotion blockers", "misconfiguration classes" };
	struct fleet_tally	  mis = ss_misconfigured(fl);
	const struct fleet_tally *t;
	size_t			  d, i, n = fleet_count(fl), shown;

	printf("%zu domains from %d input%s", n, npaths,
	    npaths == 1 ? "" : "s");
	if (skipped > 0)
		printf(" (%lu lines skipped, see above)", skipped);
	printf("\n");
	for (d = 0; d < FLEET_NDIM; d++) {
		printf("\n%s\n", titles[d]);
		shown = 0;
		for (i = 0; i < fleet_tally_count(fl, (enum fleet_dim)d); i++) {
			t = fleet_tally_at(fl, (enum fleet_dim)d, i);
			/* Zero rows only where every value is expected. */
			if (t->n == 0 && d >= FLEET_BLOCKER)
				continue;
			ss_text_tally(t, n, all);
			shown++;
		}
		if (d == FLEET_CLASS)
			ss_text_tally(&mis, n, all);
		else if (shown == 0)
			printf("  (none)\n");
	}
	free(mis.domains);
}

int
cmd_scan_summary(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "per-domain", no_argument, NULL, 'p' },
		{ "domains", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ss_opts o = { 0, 0, 0 };
	struct fleet  *fl;
	unsigned long  skipped = 0;
	int	       c, i, status = EXIT_CHECK_OK;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = 1;
			break;
		case 'p':
			o.per_domain = 1;
			break;
		case 'd':
			o.all_domains = 1;
			break;
		case 'h':
			printf("usage: mtasts-tui scan-summary [--json] "
			       "[--per-domain] [--domains] FILE...\n");
			return EXIT_CHECK_OK;
		default:
			fprintf(stderr,
			    "mtasts-tui: scan-summary: unknown option '%s'\n",
			    argv[optind - 1]);
			return EXIT_CHECK_UNKNOWN;
		}
	}
	if (o.json && o.per_domain) {
		fprintf(stderr,
		    "mtasts-tui: scan-summary: --json and "
		    "--per-domain exclude each other\n");
		return EXIT_CHECK_UNKNOWN;
	}
	if (optind >= argc) {
		fprintf(stderr,
		    "mtasts-tui: scan-summary needs a FILE (- for stdin)\n");
		return EXIT_CHECK_UNKNOWN;
	}
	fl = fleet_new(ss_note, NULL);
	for (i = optind; i < argc; i++)
		if (ss_read(fl, argv[i], &skipped) != 0)
			status = EXIT_CHECK_UNKNOWN;
	if (o.per_domain)
		ss_per_domain(fl);
	else if (o.json)
		ss_json(fl, argv + optind, argc - optind, skipped);
	else
		ss_text(fl, argc - optind, skipped, o.all_domains);
	fleet_free(fl);
	return status;
}
