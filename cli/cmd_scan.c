#include "config.h"
#include "cmd_scan.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "budget.h"
#include "check.h"
#include "clock.h"
#include "cmd_check.h"
#include "domain_list.h"
#include "jsonl.h"
#include "jsonw.h"
#include "metrics.h"
#include "report_json.h"
#include "scan.h"
#include "scan_db.h"
#include "share.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

#define CMD_SCAN_TOOL "mtasts-tui " MTASTS_VERSION

struct cmd_scan {
	const struct cli_options *opts;
	const char		 *input_name; /* for notes */
	const char		 *out_name;   /* NULL: stdout */
	int			  out;
	int			  io_error;
	int			  tty; /* progress on stderr */
	int64_t			  last_progress_ms;
	int			  progress_shown;
	size_t			  shown_done;
	struct scan_progress	  last;
	struct metrics		 *metrics; /* --metrics FILE, else NULL */
	long long		  started;
	struct scan_db		 *db; /* NULL: --no-db, or it failed */
	int			  db_failed;
};

/* The self-pipe of SIGINT and SIGTERM (and of a failed write). */
static int cmd_scan_pipe[2] = { -1, -1 };

static void
cmd_scan_signal(int sig)
{
	int  saved = errno;
	char c = (char)sig;

	if (write(cmd_scan_pipe[1], &c, 1) == -1) {
		/* Full pipe: a stop is already pending. */
	}
	errno = saved;
}

/* "scan: " and a sanitised message on stderr. */
static void cmd_scan_msg(const char *, ...)
    __attribute__((format(printf, 1, 2)));

static void
cmd_scan_msg(const char *fmt, ...)
{
	va_list ap;
	char   *s, *safe;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	safe = utf8_sanitize(s, strlen(s), 0);
	fprintf(stderr, "scan: %s\n", safe);
	free(safe);
	free(s);
}

static void
cmd_scan_note(unsigned long line, const char *msg, void *arg)
{
	struct cmd_scan *cs = arg;

	cmd_scan_msg("%s:%lu: %s", cs->input_name, line, msg);
}

/* One whole line in one write(); the rest only if the kernel cut it. */
static int
cmd_scan_write(struct cmd_scan *cs, const char *buf, size_t len)
{
	ssize_t n;

	if (cs->io_error)
		return -1;
	while (len > 0) {
		n = write(cs->out, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			cmd_scan_msg("%s: %s",
			    cs->out_name != NULL ? cs->out_name
						 : "standard output",
			    n < 0 ? strerror(errno) : "short write");
			cs->io_error = 1;
			/* Stops the scan as an interrupt would. */
			cmd_scan_signal(SIGTERM);
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
cmd_scan_write_doc(struct cmd_scan *cs, char *doc, size_t len)
{
	doc = xreallocarray(doc, len + 2, 1);
	doc[len++] = '\n';
	cmd_scan_write(cs, doc, len);
	free(doc);
}

/* A database error stops the recording, not the scan. */
static void
cmd_scan_db_fail(struct cmd_scan *cs, char *why)
{
	cmd_scan_msg("%s; not recording the rest (the output has every "
		     "domain)",
	    why);
	free(why);
	cs->db_failed = 1;
	scan_db_close(cs->db);
	cs->db = NULL;
}

/* The scan's row: a resumed run goes on with the scan it resumes. */
static void
cmd_scan_db_begin(struct cmd_scan *cs, const struct scan_db_scan_info *info)
{
	char *why;
	int   r = 0;

	if (cs->db == NULL)
		return;
	if (cs->opts->resume != NULL)
		r = scan_db_scan_continue(cs->db, info->shard, &why);
	if (r == 0)
		r = scan_db_scan_begin(cs->db, info, &why) == 0 ? 1 : -1;
	if (r < 0)
		cmd_scan_db_fail(cs, why);
}

/*
 * --resume: the documents already in the file go into the scan's record
 * too (a killed run may not have committed its last ones).
 */
static void
cmd_scan_db_backfill(struct cmd_scan *cs)
{
	struct jsonl *r;
	FILE	     *f;
	json_t	     *doc;
	unsigned long line;
	char	     *why;

	if (cs->db == NULL || (f = fopen(cs->opts->resume, "r")) == NULL)
		return;
	r = jsonl_new(f, cs->opts->resume, JSONL_MAX_LINE, NULL, NULL);
	while (cs->db != NULL && jsonl_next(r, &doc, &line) == 1) {
		if (scan_db_add_json(cs->db, doc, &why) != 0)
			cmd_scan_db_fail(cs, why);
		json_decref(doc);
	}
	jsonl_free(r);
	fclose(f);
}

/* Opens the history (--db, or the default unless --no-db): 0 or -1. */
static int
cmd_scan_db_open(struct cmd_scan *cs)
{
	char *path, *why;

	if (cs->opts->no_db)
		return 0;
	path = cs->opts->db != NULL ? xstrdup(cs->opts->db)
				    : scan_db_default_path();
	cs->db = scan_db_open(path, 0, &why);
	free(path);
	if (cs->db == NULL) {
		cmd_scan_msg("%s (--no-db scans without recording)", why);
		free(why);
		return -1;
	}
	return 0;
}

static void
cmd_scan_metrics_add(struct cmd_scan *cs, const char *doc, size_t len)
{
	json_t *j;

	if ((j = json_loadb(doc, len, 0, NULL)) != NULL) {
		metrics_add(cs->metrics, j);
		json_decref(j);
	}
}

/* Only a finished run replaces the file: an interrupted one would drop
 * the domains it did not reach (doc/monitoring.md). */
static int
cmd_scan_metrics_write(struct cmd_scan *cs, const struct scan *s,
    size_t resumed)
{
	struct metrics_scan  ms;
	struct scan_progress p;
	char		    *buf, *cause;
	size_t		     len;

	scan_progress(s, &p);
	memset(&ms, 0, sizeof(ms));
	ms.started = cs->started;
	ms.finished = (long long)time(NULL);
	ms.to_check = p.total;
	ms.checked = p.done;
	ms.errors = p.errors;
	ms.resumed = resumed;
	if ((buf = metrics_render(cs->metrics, &ms, &len)) == NULL) {
		cmd_scan_msg("%s: too large", cs->opts->metrics);
		return -1;
	}
	if (metrics_write(cs->opts->metrics, buf, len, &cause) != 0) {
		cmd_scan_msg("%s", cause);
		free(cause);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

static void
cmd_scan_done(struct check *c, const char *unicode, void *arg)
{
	struct cmd_scan *cs = arg;
	size_t		 len;
	char		*doc, *why;

	doc = report_json_compact(c, unicode, CMD_SCAN_TOOL, &len);
	if (cs->metrics != NULL)
		cmd_scan_metrics_add(cs, doc, len);
	if (cs->db != NULL && scan_db_add(cs->db, doc, len, &why) != 0)
		cmd_scan_db_fail(cs, why);
	cmd_scan_write_doc(cs, doc, len);
}

static void
cmd_scan_progress_line(struct cmd_scan *cs, const struct scan_progress *p)
{
	double	 rate;
	unsigned eta;
	char	 etabuf[32];

	rate = p->elapsed_ms == 0 ? 0 : p->done * 1000.0 / p->elapsed_ms;
	if (rate > 0 && p->total > p->done) {
		eta = (unsigned)((p->total - p->done) / rate);
		snprintf(etabuf, sizeof(etabuf), "%uh%02um%02us", eta / 3600,
		    eta / 60 % 60, eta % 60);
	} else
		snprintf(etabuf, sizeof(etabuf), "-");
	fprintf(stderr,
	    "\rscan: %zu/%zu domains, %.1f/s, ETA %s, %zu with errors\033[K",
	    p->done, p->total, rate, etabuf, p->errors);
	fflush(stderr);
	cs->progress_shown = 1;
	cs->shown_done = p->done;
}

static void
cmd_scan_progress(const struct scan_progress *p, void *arg)
{
	struct cmd_scan *cs = arg;
	int64_t		 now = clock_ms();

	cs->last = *p;
	if (!cs->tty ||
	    (now - cs->last_progress_ms < 250 && p->done != p->total))
		return;
	cs->last_progress_ms = now;
	cmd_scan_progress_line(cs, p);
}

/*
 * Reads a --resume file: every whole line that is a check document names a
 * domain not to check again.  A last line without its newline (a killed
 * run) is cut off the file.  Returns 0, or -1 after a message.
 */
static int
cmd_scan_resume(struct cmd_scan *cs, struct scan *s, size_t *resumed)
{
	const char   *path = cs->opts->resume;
	struct strbuf sb;
	json_error_t  jerr;
	json_t	     *doc, *dom;
	FILE	     *f;
	off_t	      good = 0, pos = 0;
	unsigned long line = 0;
	int	      ch, rc = 0;

	*resumed = 0;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0; /* nothing done yet */
		cmd_scan_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	strbuf_init(&sb, CMD_SCAN_RESUME_MAX_LINE);
	for (;;) {
		ch = getc(f);
		if (ch == EOF)
			break;
		pos++;
		if (ch != '\n') {
			strbuf_addc(&sb, (char)ch);
			continue;
		}
		line++;
		good = pos;
		doc = NULL;
		if (sb.toobig)
			cmd_scan_msg("%s:%lu: line longer than %d bytes, "
				     "ignored",
			    path, line, CMD_SCAN_RESUME_MAX_LINE);
		else if ((doc = json_loadb(sb.data == NULL ? "" : sb.data,
			      sb.len, 0, &jerr)) == NULL ||
		    !json_is_object(doc))
			cmd_scan_msg("%s:%lu: not a JSON object, ignored", path,
			    line);
		else if (json_object_get(doc, "mtasts_scan") == NULL &&
		    json_object_get(doc, "mtasts_scan_end") == NULL) {
			dom = json_object_get(doc, "domain");
			if (!json_is_string(dom))
				cmd_scan_msg("%s:%lu: no domain member, "
					     "ignored",
				    path, line);
			else {
				scan_skip(s, json_string_value(dom));
				(*resumed)++;
				if (cs->metrics != NULL)
					metrics_add(cs->metrics, doc);
			}
		}
		if (doc != NULL)
			json_decref(doc);
		strbuf_reset(&sb);
		sb.toobig = 0;
	}
	if (ferror(f)) {
		cmd_scan_msg("%s: %s", path, strerror(errno));
		rc = -1;
	} else if (pos != good) {
		cmd_scan_msg("%s:%lu: last line has no newline (a killed run): "
			     "dropped, checked again",
		    path, line + 1);
		if (truncate(path, good) != 0) {
			cmd_scan_msg("%s: truncate: %s", path, strerror(errno));
			rc = -1;
		}
	}
	fclose(f);
	strbuf_free(&sb);
	return rc;
}

static void
cmd_scan_write_meta(struct cmd_scan *cs, const struct domain_list *dl,
    const struct scan *s, size_t resumed)
{
	const struct cli_options *o = cs->opts;
	struct domain_list_counts dc;
	struct scan_progress	  p;
	struct jsonw		 *j = jsonw_new(0);
	struct scan_db_scan_info  info;
	char			 *doc, shard[32];
	size_t			  len;
	int			  i;

	domain_list_counts(dl, &dc);
	scan_progress(s, &p);
	jsonw_object_begin(j, NULL);
	jsonw_object_begin(j, "mtasts_scan");
	jsonw_int(j, "version", CMD_SCAN_JSON_VERSION);
	jsonw_string(j, "tool", CMD_SCAN_TOOL);
	report_json_time(j, "started_at", time(NULL));
	jsonw_object_begin(j, "options");
	jsonw_uint(j, "concurrency", scan_concurrency(s));
	jsonw_uint(j, "per_dest",
	    o->per_dest != 0 ? o->per_dest : SCAN_PER_DEST);
	jsonw_uint(j, "threads", scan_threads(s));
	jsonw_double(j, "deadline",
	    o->deadline != 0 ? o->deadline : BUDGET_CHECK_MS / 1000.0);
	if (o->timeout != 0)
		jsonw_double(j, "timeout", o->timeout);
	else
		jsonw_null(j, "timeout");
	jsonw_string(j, "resolver", o->resolver);
	if (o->family != 0)
		jsonw_int(j, "family", o->family);
	else
		jsonw_null(j, "family");
	jsonw_bool(j, "history", o->history);
	jsonw_bool(j, "mx_tls", !o->no_mx_tls);
	jsonw_array_begin(j, "skip_mx");
	for (i = 0; i < o->nskip_mx; i++)
		jsonw_string(j, NULL, o->skip_mx[i]);
	jsonw_array_end(j);
	jsonw_string(j, "resume", o->resume);
	jsonw_object_end(j);
	if (o->nshards != 0) {
		snprintf(shard, sizeof(shard), "%u/%u", o->shard, o->nshards);
		jsonw_string(j, "shard", shard);
	} else
		jsonw_null(j, "shard");
	jsonw_object_begin(j, "input");
	jsonw_string(j, "name", cs->input_name);
	jsonw_uint(j, "lines", dc.lines);
	jsonw_uint(j, "domains", dc.domains);
	jsonw_uint(j, "invalid", dc.invalid);
	jsonw_uint(j, "duplicates", dc.duplicates);
	jsonw_uint(j, "over_limit", dc.over);
	jsonw_uint(j, "other_shards", p.other_shards);
	jsonw_uint(j, "resumed", p.skipped);
	jsonw_uint(j, "resume_documents", resumed);
	jsonw_uint(j, "to_check", p.total);
	jsonw_object_end(j);
	jsonw_object_end(j);
	jsonw_object_end(j);
	doc = jsonw_finish(j, &len);
	jsonw_free(j);
	info.started_at = time(NULL);
	info.tool = CMD_SCAN_TOOL;
	info.options = doc; /* the whole metadata line */
	info.shard = o->nshards != 0 ? shard : NULL;
	cmd_scan_db_begin(cs, &info);
	cmd_scan_write_doc(cs, doc, len);
}

static void
cmd_scan_write_end(struct cmd_scan *cs, const struct scan *s)
{
	struct scan_progress p;
	struct share_stats   st;
	struct jsonw	    *j = jsonw_new(0);
	char		    *doc;
	size_t		     len;

	scan_progress(s, &p);
	scan_share_stats(s, &st);
	jsonw_object_begin(j, NULL);
	jsonw_object_begin(j, "mtasts_scan_end");
	jsonw_int(j, "version", CMD_SCAN_JSON_VERSION);
	report_json_time(j, "finished_at", time(NULL));
	jsonw_uint(j, "elapsed_ms", p.elapsed_ms);
	jsonw_uint(j, "checked", p.done);
	jsonw_uint(j, "errors", p.errors);
	jsonw_object_begin(j, "share");
	jsonw_uint(j, "dns_asked", st.dns_asked);
	jsonw_uint(j, "dns_reused", st.dns_reused);
	jsonw_uint(j, "probes_run", st.probes_run);
	jsonw_uint(j, "probes_reused", st.probes_reused);
	jsonw_uint(j, "dest_waits", st.dest_waits);
	jsonw_object_end(j);
	jsonw_object_end(j);
	jsonw_object_end(j);
	doc = jsonw_finish(j, &len);
	jsonw_free(j);
	cmd_scan_write_doc(cs, doc, len);
}

/*
 * Each check in flight holds a pipe and its sockets (DNS, fetches, one per
 * MX address probed), CMD_SCAN_FDS_PER_CHECK at most in practice: raise
 * the soft limit on descriptors (often 1024) towards the hard one, and
 * when even that is short, check fewer domains at once rather than fail
 * checks for want of a socket.  Returns the concurrency to use.
 */
static unsigned
cmd_scan_fit_nofile(unsigned concurrency)
{
	struct rlimit rl;
	rlim_t	      want = (rlim_t)concurrency * CMD_SCAN_FDS_PER_CHECK + 64;
	unsigned      fit;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return concurrency;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
	    ? want
	    : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur >= want)
		return concurrency;
	fit = rl.rlim_cur <= 64 + CMD_SCAN_FDS_PER_CHECK
	    ? 1
	    : (unsigned)((rl.rlim_cur - 64) / CMD_SCAN_FDS_PER_CHECK);
	cmd_scan_msg("at most %llu open files (ulimit -n): %u domains at "
		     "once instead of %u",
	    (unsigned long long)rl.rlim_cur, fit, concurrency);
	return fit;
}

/* The input list; NULL after a message. */
static struct domain_list *
cmd_scan_read_input(struct cmd_scan *cs)
{
	struct domain_list *dl;
	const char	   *in = cs->opts->scan_input;
	char		   *cause;
	int		    fd = 0;

	if (in != NULL && strcmp(in, "-") != 0 &&
	    (fd = open(in, O_RDONLY | O_CLOEXEC)) == -1) {
		cmd_scan_msg("%s: %s", in, strerror(errno));
		return NULL;
	}
	dl = domain_list_new(cmd_scan_note, cs);
	if (domain_list_read_fd(dl, fd, &cause) != 0) {
		cmd_scan_msg("%s: %s", cs->input_name, cause);
		free(cause);
		domain_list_free(dl);
		dl = NULL;
	}
	if (fd != 0)
		close(fd);
	return dl;
}

static int
cmd_scan_open_out(struct cmd_scan *cs)
{
	const struct cli_options *o = cs->opts;
	int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;

	if (o->resume != NULL)
		cs->out_name = o->resume;
	else if (o->out_dir != NULL && strcmp(o->out_dir, "-") != 0) {
		cs->out_name = o->out_dir;
		flags |= O_TRUNC;
	}
	if (cs->out_name == NULL) {
		cs->out = 1;
		return 0;
	}
	if ((cs->out = open(cs->out_name, flags, 0644)) == -1) {
		cmd_scan_msg("%s: %s", cs->out_name, strerror(errno));
		return -1;
	}
	return 0;
}

int
cmd_scan(const struct cli_options *opts)
{
	struct cmd_scan	     cs;
	struct check_options co;
	struct scan_options  so;
	struct domain_list  *dl;
	struct scan	    *s = NULL;
	struct sigaction     sa, old_int, old_term, old_pipe;
	struct scan_progress p;
	char		    *cause;
	size_t		     resumed = 0;
	int		     rc = EXIT_CHECK_UNKNOWN, r, i, abandoned = 0;

	memset(&cs, 0, sizeof(cs));
	cs.opts = opts;
	cs.out = -1;
	cs.input_name =
	    opts->scan_input == NULL || strcmp(opts->scan_input, "-") == 0
	    ? "stdin"
	    : opts->scan_input;
	cs.tty = isatty(2);
	cs.started = (long long)time(NULL);
	if (opts->metrics != NULL)
		cs.metrics = metrics_new();
	if ((dl = cmd_scan_read_input(&cs)) == NULL)
		return EXIT_CHECK_UNKNOWN;
	if (check_global_init(&cause) != 0) {
		cmd_scan_msg("%s", cause);
		free(cause);
		domain_list_free(dl);
		return EXIT_CHECK_UNKNOWN;
	}
	cmd_check_options(&co, opts);
	/* A scan is an audit: no per-domain history unless asked. */
	co.no_history = !opts->history;
	memset(&so, 0, sizeof(so));
	so.check = &co;
	so.concurrency = cmd_scan_fit_nofile(
	    opts->concurrency != 0 ? opts->concurrency : SCAN_CONCURRENCY);
	so.shard = opts->shard;
	so.nshards = opts->nshards;
	so.per_dest = opts->per_dest;
	s = scan_new(dl, &so, cmd_scan_done, cmd_scan_progress, &cs);
	if (opts->resume != NULL && cmd_scan_resume(&cs, s, &resumed) != 0)
		goto out;
	if (cmd_scan_open_out(&cs) != 0 || cmd_scan_db_open(&cs) != 0)
		goto out;

	if (pipe(cmd_scan_pipe) != 0) {
		cmd_scan_msg("pipe: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < 2; i++) {
		fcntl(cmd_scan_pipe[i], F_SETFL,
		    fcntl(cmd_scan_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(cmd_scan_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cmd_scan_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	/* A closed output is a write error, not a silent death. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);

	cmd_scan_write_meta(&cs, dl, s, resumed);
	if (opts->resume != NULL)
		cmd_scan_db_backfill(&cs);
	r = cs.io_error ? 1 : scan_run(s, cmd_scan_pipe[0], &cause);
	scan_progress(s, &p);
	abandoned = r != 0;
	if (cs.tty && cs.progress_shown) {
		if (cs.shown_done != p.done)
			cmd_scan_progress_line(&cs, &p);
		fputc('\n', stderr);
	}
	if (r < 0) {
		cmd_scan_msg("%s", cause);
		free(cause);
	} else if (cs.io_error)
		; /* said when it happened */
	else if (r == 1) {
		cmd_scan_msg("interrupted after %zu of %zu domains; run again "
			     "with --resume %s",
		    p.done, p.total,
		    cs.out_name != NULL ? cs.out_name : "FILE (the output)");
		rc = CMD_SCAN_EXIT_INTERRUPTED;
		if (cs.metrics != NULL)
			cmd_scan_msg("%s left as it was", opts->metrics);
	} else {
		cmd_scan_write_end(&cs, s);
		if (!cs.io_error)
			rc = EXIT_CHECK_OK;
		if (cs.metrics != NULL &&
		    cmd_scan_metrics_write(&cs, s, resumed) != 0)
			rc = EXIT_CHECK_UNKNOWN;
	}
	/* Commits the last batch; a stopped scan's row keeps no end. */
	if (cs.db != NULL &&
	    (r == 0 ? scan_db_scan_end(cs.db, time(NULL), &cause)
		    : scan_db_flush(cs.db, &cause)) != 0)
		cmd_scan_db_fail(&cs, cause);
	if (cs.db_failed && rc == EXIT_CHECK_OK)
		rc = EXIT_CHECK_UNKNOWN;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	close(cmd_scan_pipe[0]);
	close(cmd_scan_pipe[1]);
	cmd_scan_pipe[0] = cmd_scan_pipe[1] = -1;
out:
	scan_db_close(cs.db);
	/* What was written is out before any wait for worker threads. */
	if (cs.out > 1 && close(cs.out) != 0 && rc == EXIT_CHECK_OK) {
		cmd_scan_msg("%s: %s", cs.out_name, strerror(errno));
		rc = EXIT_CHECK_UNKNOWN;
	}
	/*
	 * Checks abandoned by a stop still run on their threads, and exit()
	 * would run the libraries' global cleanup under them: end at once,
	 * everything written being out (the output is closed, stderr is not
	 * buffered).
	 */
	if (abandoned) {
		fflush(NULL);
		_exit(rc);
	}
	/*
	 * Nothing is out: freeing the scan frees its share, which joins the
	 * workers (pool_free_join), so none is still ending when exit() runs
	 * the libraries' global cleanup.
	 */
	scan_free(s);
	domain_list_free(dl);
	metrics_free(cs.metrics);
	return rc;
}
