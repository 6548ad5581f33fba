#include "config.h"
#include "cmd_scan_summary.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fleet.h"
#include "jsonl.h"
#include "jsonw.h"
#include "report_json.h"
#include "run_config.h"
#include "scan_db.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#define SS_FIRST 3 /* domains shown after a count, without --domains */

struct ss_opts {
	int	    json, per_domain, all_domains;
	const char *db;		 /* --db FILE */
	const char *since;	 /* --since DATE, as given */
	time_t	    since_t;	 /* 0: the scan before the newest */
	int	    expiry_warn; /* --expiry-warn DAYS, 0: 14 */
	char	  **paths;	 /* FILE... compared with the db, or NULL */
	int	    npaths;
};

/* The changes between two scans, kept to be listed by kind. */
struct ss_change {
	char *domain, *kind, *subject, *old, *new;
};
struct ss_changes {
	struct ss_change *v;
	size_t		  n;
};

/* Headings of the text output, by kind (scan_db.h lists the kinds). */
static const struct {
	const char *kind, *title;
} ss_titles[] = {
	{ "added", "domains added" },
	{ "removed", "domains removed" },
	{ "new_failure", "new failures" },
	{ "fixed", "fixed" },
	{ "answer", "delivery answer changed" },
	{ "mode", "mode changed" },
	{ "id", "_mta-sts id changed" },
	{ "policy", "policy body changed" },
	{ "mx", "MX set changed" },
	{ "cert_expiring", "certificates entering the expiry window" },
	{ "classes", "misconfiguration classes changed" },
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

/*
 * --since DATE: YYYY-MM-DD (the end of that day, UTC: the last scan made
 * on or before it), YYYY-MM-DDTHH:MM:SSZ, or Nd (N days ago).  0 or -1.
 */
int
scan_summary_parse_since(const char *s, time_t *out)
{
	struct tm tm;
	char	 *end;
	long	  days;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) != NULL &&
	    *end == '\0') {
		*out = timegm(&tm);
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d", &tm)) != NULL && *end == '\0') {
		tm.tm_hour = 23;
		tm.tm_min = 59;
		tm.tm_sec = 59;
		*out = timegm(&tm);
		return 0;
	}
	days = strtol(s, &end, 10);
	if (end != s && strcmp(end, "d") == 0 && days >= 0 && days < 36500) {
		*out = time(NULL) - (time_t)days * 86400;
		return 0;
	}
	return -1;
}

static char *
ss_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
ss_collect(void *arg, const struct scan_db_change *c)
{
	struct ss_changes *cs = arg;
	struct ss_change  *m;

	cs->v = xreallocarray(cs->v, cs->n + 1, sizeof(*cs->v));
	m = &cs->v[cs->n++];
	m->domain = xstrdup(c->domain);
	m->kind = xstrdup(c->kind);
	m->subject = ss_dup(c->subject);
	m->old = ss_dup(c->old);
	m->new = ss_dup(c->new);
}

static void
ss_changes_free(struct ss_changes *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i].domain);
		free(cs->v[i].kind);
		free(cs->v[i].subject);
		free(cs->v[i].old);
		free(cs->v[i].new);
	}
	free(cs->v);
}

static void
ss_json_scan(struct jsonw *j, const char *key, const struct scan_db_scan *s)
{
	jsonw_object_begin(j, key);
	jsonw_int(j, "id", s->id);
	report_json_time(j, "started_at", s->started_at);
	report_json_time(j, "ended_at", s->ended_at);
	if (s->shard[0] != '\0')
		jsonw_string(j, "shard", s->shard);
	else
		jsonw_null(j, "shard");
	jsonw_uint(j, "results", s->results);
	jsonw_object_end(j);
}

static void
ss_changes_json(const struct ss_opts *o, const struct scan_db_scan *from,
    const struct scan_db_scan *to, const struct ss_changes *cs)
{
	struct jsonw *j = jsonw_new(1);
	size_t	      i, k, n, len;
	char	     *out;

	jsonw_object_begin(j, NULL);
	jsonw_object_begin(j, "scan_changes");
	jsonw_uint(j, "version", 1);
	jsonw_string(j, "tool", "mtasts-tui " MTASTS_VERSION);
	jsonw_string(j, "db", o->db);
	if (o->since != NULL)
		report_json_time(j, "since", o->since_t);
	else
		jsonw_null(j, "since");
	jsonw_int(j, "expiry_warn_days",
	    o->expiry_warn > 0 ? o->expiry_warn : 14);
	ss_json_scan(j, "from", from);
	if (o->npaths > 0) {
		/* The newer side is the files, not a recorded scan. */
		jsonw_object_begin(j, "to");
		jsonw_array_begin(j, "inputs");
		for (i = 0; i < (size_t)o->npaths; i++)
			jsonw_string(j, NULL, o->paths[i]);
		jsonw_array_end(j);
		jsonw_uint(j, "results", to->results);
		jsonw_object_end(j);
	} else
		ss_json_scan(j, "to", to);
	jsonw_uint(j, "count", cs->n);
	jsonw_object_begin(j, "counts");
	for (k = 0; k < sizeof(ss_titles) / sizeof(ss_titles[0]); k++) {
		for (i = n = 0; i < cs->n; i++)
			n += strcmp(cs->v[i].kind, ss_titles[k].kind) == 0;
		jsonw_uint(j, ss_titles[k].kind, n);
	}
	jsonw_object_end(j);
	jsonw_array_begin(j, "changes");
	for (i = 0; i < cs->n; i++) {
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "domain", cs->v[i].domain);
		jsonw_string(j, "kind", cs->v[i].kind);
		jsonw_string(j, "subject", cs->v[i].subject);
		jsonw_string(j, "old", cs->v[i].old);
		jsonw_string(j, "new", cs->v[i].new);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	jsonw_object_end(j);
	jsonw_object_end(j);
	out = jsonw_finish(j, &len);
	fwrite(out, 1, len, stdout);
	putchar('\n');
	free(out);
	jsonw_free(j);
}

/* A value from the network on one line: policy lines joined by " | ". */
static void
ss_value(const char *v)
{
	struct strbuf sb;
	char	     *safe;
	size_t	      i, len;

	if (v == NULL || *v == '\0') {
		fputs(v == NULL ? "(none)" : "(empty)", stdout);
		return;
	}
	len = strlen(v);
	while (len > 0 && (v[len - 1] == '\n' || v[len - 1] == '\r'))
		len--;
	strbuf_init(&sb, 3 * len + 1); /* "\n" becomes " | " */
	for (i = 0; i < len; i++) {
		if (v[i] == '\r')
			continue;
		if (v[i] == '\n')
			strbuf_add(&sb, " | ", 3);
		else
			strbuf_addc(&sb, v[i]);
	}
	safe = utf8_sanitize(sb.data != NULL ? sb.data : "", sb.len, 0);
	fputs(safe, stdout);
	free(safe);
	strbuf_free(&sb);
}

static void
ss_scan_line(const char *what, const struct scan_db_scan *s)
{
	char	  buf[32];
	struct tm tm;

	gmtime_r(&s->started_at, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	printf("%s scan %lld, %s UTC, %zu domains%s%s%s\n", what,
	    (long long)s->id, buf, s->results,
	    s->shard[0] != '\0' ? ", shard " : "", s->shard,
	    s->ended_at == 0 ? " (did not end)" : "");
}

static void
ss_changes_text(const struct ss_opts *o, const struct scan_db_scan *from,
    const struct scan_db_scan *to, const struct ss_changes *cs)
{
	const struct ss_change *c;
	size_t			i, k, n;

	ss_scan_line("from", from);
	if (o->npaths > 0) {
		fputs("to   ", stdout);
		for (i = 0; i < (size_t)o->npaths; i++)
			printf("%s%s", i ? ", " : "", o->paths[i]);
		printf(": %zu domains\n", to->results);
	} else
		ss_scan_line("to  ", to);
	printf("%zu change%s\n", cs->n, cs->n == 1 ? "" : "s");
	for (k = 0; k < sizeof(ss_titles) / sizeof(ss_titles[0]); k++) {
		for (i = n = 0; i < cs->n; i++)
			n += strcmp(cs->v[i].kind, ss_titles[k].kind) == 0;
		if (n == 0)
			continue;
		printf("\n%s (%zu)", ss_titles[k].title, n);
		if (strcmp(ss_titles[k].kind, "cert_expiring") == 0)
			printf(", under %d days",
			    o->expiry_warn > 0 ? o->expiry_warn : 14);
		putchar('\n');
		for (i = 0; i < cs->n; i++) {
			c = &cs->v[i];
			if (strcmp(c->kind, ss_titles[k].kind) != 0)
				continue;
			printf("  %-32s ", c->domain);
			if (c->subject != NULL)
				printf("%s: ", c->subject);
			ss_value(c->old);
			fputs(" -> ", stdout);
			ss_value(c->new);
			putchar('\n');
		}
	}
	if (o->npaths == 0 && to->ended_at == 0)
		printf("\nThe newest scan did not end: domains it did not "
		       "reach are not counted as removed.\n");
}

/*
 * scan-summary [--db FILE] [--since DATE] SCAN.jsonl...: the files (taken
 * as the whole newer side) against the newest recorded scan started at or
 * before DATE, or the newest of all.  1, 0 (nothing to compare) or -1,
 * with *why.
 */
static int
ss_db_files(const struct ss_opts *o, struct scan_db *db,
    struct scan_db_scan *from, struct scan_db_scan *to, struct ss_changes *cs,
    char **why)
{
	struct scan_db_set *set;
	struct jsonl	   *r;
	FILE		   *f;
	json_t		   *doc;
	unsigned long	    line;
	char		   *cause;
	int		    i, rc;

	if ((rc = scan_db_find(db, o->since_t, from, why)) <= 0)
		return rc;
	set = scan_db_set_new();
	for (i = 0; i < o->npaths; i++) {
		if ((f = fopen(o->paths[i], "r")) == NULL) {
			*why =
			    xasprintf("%s: %s", o->paths[i], strerror(errno));
			scan_db_set_free(set);
			return -1;
		}
		r = jsonl_new(f, o->paths[i], JSONL_MAX_LINE, ss_note, NULL);
		while ((rc = jsonl_next(r, &doc, &line)) == 1) {
			if (scan_db_set_add(set, doc, &cause) != 0) {
				fprintf(stderr,
				    "mtasts-tui: scan-summary: %s:%lu: %s, "
				    "skipped\n",
				    o->paths[i], line, cause);
				free(cause);
			}
			json_decref(doc);
		}
		jsonl_free(r);
		fclose(f);
		if (rc < 0) {
			*why = xasprintf("%s: read error", o->paths[i]);
			scan_db_set_free(set);
			return -1;
		}
	}
	to->results = scan_db_set_count(set);
	to->ended_at = 1;
	rc = scan_db_changes_set(db, from->id, set, NULL, o->expiry_warn,
		 ss_collect, cs, why) < 0
	    ? -1
	    : 1;
	scan_db_set_free(set);
	return rc;
}

/* scan-summary --db FILE [--since DATE]: what changed between two scans. */
static int
ss_db(const struct ss_opts *o)
{
	struct scan_db	   *db;
	struct scan_db_scan from, to;
	struct ss_changes   cs = { NULL, 0 };
	char		   *why;
	int		    rc;

	/* A reader creates nothing. */
	if (access(o->db, F_OK) != 0) {
		fprintf(stderr, "mtasts-tui: scan-summary: %s: %s\n", o->db,
		    strerror(errno));
		return EXIT_CHECK_UNKNOWN;
	}
	if ((db = scan_db_open(o->db, 0, &why)) == NULL) {
		fprintf(stderr, "mtasts-tui: scan-summary: %s\n", why);
		free(why);
		return EXIT_CHECK_UNKNOWN;
	}
	memset(&to, 0, sizeof(to));
	if (o->npaths > 0)
		rc = ss_db_files(o, db, &from, &to, &cs, &why);
	else if ((rc = scan_db_pick(db, o->since_t, &from, &to, &why)) > 0 &&
	    scan_db_changes(db, from.id, to.id, NULL, o->expiry_warn,
		ss_collect, &cs, &why) < 0)
		rc = -1;
	if (rc <= 0) {
		fprintf(stderr, "mtasts-tui: scan-summary: %s\n", why);
		free(why);
		ss_changes_free(&cs);
		scan_db_close(db);
		return EXIT_CHECK_UNKNOWN;
	}
	if (o->json)
		ss_changes_json(o, &from, &to, &cs);
	else
		ss_changes_text(o, &from, &to, &cs);
	ss_changes_free(&cs);
	scan_db_close(db);
	return EXIT_CHECK_OK;
}

int
cmd_scan_summary(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "per-domain", no_argument, NULL, 'p' },
		{ "domains", no_argument, NULL, 'd' },
		{ "db", required_argument, NULL, 'D' },
		{ "since", required_argument, NULL, 's' },
		{ "expiry-warn", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ss_opts o;
	char	      *end, *default_db = NULL;
	long	       l;
	struct fleet  *fl;
	unsigned long  skipped = 0;
	int	       c, i, status = EXIT_CHECK_OK;

	memset(&o, 0, sizeof(o));
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
		case 'D':
			o.db = optarg;
			break;
		case 's':
			o.since = optarg;
			if (scan_summary_parse_since(optarg, &o.since_t) != 0) {
				fprintf(stderr,
				    "mtasts-tui: scan-summary: --since: "
				    "'%s' is not YYYY-MM-DD, "
				    "YYYY-MM-DDTHH:MM:SSZ or Nd\n",
				    optarg);
				return EXIT_CHECK_UNKNOWN;
			}
			break;
		case 'e':
			l = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || l < 1 ||
			    l > 3650) {
				fprintf(stderr,
				    "mtasts-tui: scan-summary: --expiry-warn: "
				    "'%s' is not a number of days (1-3650)\n",
				    optarg);
				return EXIT_CHECK_UNKNOWN;
			}
			o.expiry_warn = (int)l;
			break;
		case 'h':
			printf("usage: mtasts-tui scan-summary [--json] "
			       "[--per-domain] [--domains] FILE...\n"
			       "       mtasts-tui scan-summary [--db FILE] "
			       "[--since DATE] [--expiry-warn DAYS] "
			       "[--json] [FILE...]\n");
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
	/* Without a FILE: what changed in the history of scans. */
	if (o.db != NULL || o.since != NULL || o.expiry_warn != 0 ||
	    (optind >= argc && !o.per_domain && !o.all_domains)) {
		if (o.per_domain || o.all_domains) {
			fprintf(stderr,
			    "mtasts-tui: scan-summary: --db, --since and "
			    "--expiry-warn list changes: no --per-domain or "
			    "--domains\n");
			return EXIT_CHECK_UNKNOWN;
		}
		o.paths = argv + optind;
		o.npaths = argc - optind;
		if (o.db == NULL) {
			/* The file scan records into by default. */
			o.db = default_db = scan_db_default_path();
		}
		c = ss_db(&o);
		free(default_db);
		return c;
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
