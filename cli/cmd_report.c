#include "config.h"
#include "cmd_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "jsonw.h"
#include "report_imap.h"
#include "report_input.h"
#include "report_json.h"
#include "report_summary.h"
#include "report_text.h"
#include "tlsrpt_report.h"
#include "utf8.h"

#define C_RESET	   "\033[0m"
#define C_BOLD	   "\033[1m"
#define C_RED	   "\033[31m"
#define C_GREEN	   "\033[32m"
#define C_YELLOW   "\033[33m"
#define REPORT_BAR 20 /* width of the per-day failure bar */
#define REPORT_TOP 5  /* rows of each "by" table in text */

static void rpt_text(FILE *, const struct report_input *,
    const struct report_summary *, const struct report_text_style *);
static void rpt_json(FILE *, const struct report_input *,
    const struct report_summary *);
static void rpt_put(FILE *, const char *, const struct report_text_style *);
static const char *rpt_c(const struct report_text_style *, const char *);
static void	   rpt_rate(char *, size_t, uint64_t, uint64_t);

static const char *
rpt_c(const struct report_text_style *st, const char *code)
{
	return st->color ? code : "";
}

/* Report strings are hostile: sanitised before they reach a terminal. */
static void
rpt_put(FILE *f, const char *s, const struct report_text_style *st)
{
	char *clean;

	if (s == NULL)
		s = "-";
	clean = utf8_sanitize(s, strlen(s), st->ascii);
	fputs(clean, f);
	free(clean);
}

static void
rpt_rate(char *buf, size_t len, uint64_t ok, uint64_t failed)
{
	snprintf(buf, len, "%.2f", report_failure_rate(ok, failed));
}

static void
rpt_tally_text(FILE *f, const char *title, const struct report_tally *t,
    size_t n, const struct report_text_style *st)
{
	size_t i;

	if (n == 0)
		return;
	fprintf(f, "  %s\n", title);
	for (i = 0; i < n && i < REPORT_TOP; i++) {
		fprintf(f, "    %10llu  ", (unsigned long long)t[i].sessions);
		rpt_put(f, t[i].key, st);
		fputc('\n', f);
	}
	if (n > REPORT_TOP)
		fprintf(f, "    (%zu more)\n", n - REPORT_TOP);
}

static void
rpt_findings_text(FILE *f, const struct finding_list *fl,
    const struct report_text_style *st)
{
	const struct finding *fd;
	size_t		      i;

	for (i = 0; i < finding_list_count(fl); i++) {
		fd = finding_list_get(fl, i);
		fprintf(f, "  %s%-7s%s %s: ",
		    rpt_c(st,
			fd->severity == FINDING_ERROR	      ? C_RED
			    : fd->severity == FINDING_WARNING ? C_YELLOW
							      : ""),
		    finding_severity_name(fd->severity),
		    fd->severity > FINDING_INFO ? rpt_c(st, C_RESET) : "",
		    finding_code_name(fd->code));
		if (fd->subject != NULL) {
			rpt_put(f, fd->subject, st);
			fputs(": ", f);
		}
		rpt_put(f, fd->message, st);
		fputc('\n', f);
	}
}

static void
rpt_text(FILE *f, const struct report_input *in, const struct report_summary *s,
    const struct report_text_style *st)
{
	const struct report_domain     *d;
	const struct report_day	       *day;
	const struct report_input_item *it;
	struct report_gate		g;
	char				rate[32];
	size_t				i, j, k, bar;

	fprintf(f,
	    "%sTLS-RPT reports%s: %zu read, %zu distinct, %zu "
	    "cop%s, %zu input%s without a report\n",
	    rpt_c(st, C_BOLD), rpt_c(st, C_RESET), s->nitems - s->nunreadable,
	    s->nreports, s->nduplicates, s->nduplicates == 1 ? "y" : "ies",
	    s->nunreadable, s->nunreadable == 1 ? "" : "s");
	for (i = 0; i < s->ndomains; i++) {
		d = &s->domains[i];
		fputs("\n", f);
		fputs(rpt_c(st, C_BOLD), f);
		rpt_put(f, d->domain, st);
		fputs(rpt_c(st, C_RESET), f);
		fputc('\n', f);
		rpt_rate(rate, sizeof(rate), d->successful, d->failed);
		fprintf(f,
		    "  sessions     %llu successful, %s%llu failed%s "
		    "(%s%%), %llu failed because of the MTA-STS policy\n",
		    (unsigned long long)d->successful,
		    rpt_c(st, d->failed > 0 ? C_RED : ""),
		    (unsigned long long)d->failed,
		    d->failed > 0 ? rpt_c(st, C_RESET) : "", rate,
		    (unsigned long long)d->attributable);
		fprintf(f, "  reports      %zu", d->nreports);
		if (d->nundated > 0)
			fprintf(f, " (%zu without a date)", d->nundated);
		fputs(" from ", f);
		for (j = 0; j < d->nreporters; j++) {
			if (j > 0)
				fputs(", ", f);
			rpt_put(f, d->reporters[j], st);
		}
		fputc('\n', f);
		if (d->mode != NULL) {
			fputs("  policy mode  ", f);
			rpt_put(f, d->mode, st);
			fputs(" (latest sts report)\n", f);
		}
		if (d->ndays > 0)
			fputs("  days\n", f);
		for (j = 0; j < d->ndays; j++) {
			day = &d->days[j];
			rpt_rate(rate, sizeof(rate), day->successful,
			    day->failed);
			bar = (size_t)(report_failure_rate(day->successful,
					   day->failed) *
				REPORT_BAR / 100.0 +
			    0.999);
			if (bar > REPORT_BAR)
				bar = REPORT_BAR;
			fprintf(f, "    %s  %s", day->date,
			    rpt_c(st, day->failed > 0 ? C_RED : C_GREEN));
			for (k = 0; k < REPORT_BAR; k++)
				fputc(k < bar ? '#' : '.', f);
			fprintf(f, "%s  %llu ok, %llu failed (%s%%)",
			    rpt_c(st, C_RESET),
			    (unsigned long long)day->successful,
			    (unsigned long long)day->failed, rate);
			if (!day->covered)
				fputs("  no sts report", f);
			else if (day->dirty)
				fputs("  blocks enforce", f);
			else
				fputs("  clean", f);
			/* Sessions spread from a report that started earlier. */
			if (day->nreports == 0)
				fputs(" (a share of a multi-day report)", f);
			fputc('\n', f);
		}
		rpt_tally_text(f, "failed sessions by result type",
		    d->by_result, d->nby_result, st);
		rpt_tally_text(f, "failed sessions by receiving MX", d->by_mx,
		    d->nby_mx, st);
		rpt_tally_text(f, "failed sessions by sending address",
		    d->by_ip, d->nby_ip, st);
		if (d->nadvice > 0)
			fputs("  what to do\n", f);
		for (j = 0; j < d->nadvice; j++) {
			fputs("    - ", f);
			rpt_put(f, d->advice[j].text, st);
			fputc('\n', f);
		}
		report_gate_evaluate(&g, s, d->domain, REPORT_DAY_NONE);
		fprintf(f, "  enforce gate %s%s%s: ",
		    rpt_c(st,
			g.state == REPORT_GATE_READY ? C_GREEN : C_YELLOW),
		    report_gate_state_name(g.state), rpt_c(st, C_RESET));
		rpt_put(f, g.why, st);
		fputc('\n', f);
		report_gate_clear(&g);
	}

	fprintf(f, "\n%sinputs%s\n", rpt_c(st, C_BOLD), rpt_c(st, C_RESET));
	for (i = 0; i < report_input_count(in); i++) {
		it = report_input_get(in, i);
		fputs("  ", f);
		rpt_put(f, it->source, st);
		if (it->report != NULL) {
			fputs(": ", f);
			rpt_put(f, it->report->organization, st);
			fputs(", ", f);
			rpt_put(f, it->report->start_text, st);
			fprintf(f, ", %zu polic%s\n", it->report->npolicies,
			    it->report->npolicies == 1 ? "y" : "ies");
		} else
			fputs(": no report\n", f);
	}
	fprintf(f, "\n%sproblems%s\n", rpt_c(st, C_BOLD), rpt_c(st, C_RESET));
	for (i = 0; i < report_input_count(in); i++)
		rpt_findings_text(f, report_input_get(in, i)->findings, st);
	rpt_findings_text(f, s->findings, st);
}

static void
rpt_json_tally(struct jsonw *j, const char *key, const char *name,
    const struct report_tally *t, size_t n)
{
	size_t i;

	jsonw_array_begin(j, key);
	for (i = 0; i < n; i++) {
		jsonw_object_begin(j, NULL);
		jsonw_string(j, name, t[i].key);
		jsonw_uint(j, "sessions", t[i].sessions);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
}

static void
rpt_json_gate(struct jsonw *j, const struct report_summary *s,
    const char *domain)
{
	struct report_gate g;
	char		   date[16];
	size_t		   i;

	report_gate_evaluate(&g, s, domain, REPORT_DAY_NONE);
	jsonw_object_begin(j, "gate");
	jsonw_string(j, "state", report_gate_state_name(g.state));
	jsonw_uint(j, "clean_days", g.clean_days);
	jsonw_uint(j, "needed", g.needed);
	if (g.latest_day != REPORT_DAY_NONE) {
		report_day_format(g.latest_day, date, sizeof(date));
		jsonw_string(j, "latest_day", date);
	} else
		jsonw_null(j, "latest_day");
	if (g.stop_day != REPORT_DAY_NONE) {
		report_day_format(g.stop_day, date, sizeof(date));
		jsonw_string(j, "stopped_on", date);
		jsonw_string(j, "stop_reason",
		    g.stop_missing ? "no-report" : "failures");
	} else {
		jsonw_null(j, "stopped_on");
		jsonw_null(j, "stop_reason");
	}
	jsonw_string(j, "why", g.why);
	jsonw_array_begin(j, "blockers");
	for (i = 0; i < g.nblockers; i++) {
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "date", g.blockers[i].date);
		jsonw_string(j, "result_type", g.blockers[i].result_name);
		jsonw_string(j, "mx", g.blockers[i].mx);
		jsonw_string(j, "sending_ip", g.blockers[i].sending_ip);
		jsonw_uint(j, "sessions", g.blockers[i].sessions);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	jsonw_object_end(j);
	report_gate_clear(&g);
}

static void
rpt_json_domain(struct jsonw *j, const struct report_summary *s,
    const struct report_domain *d)
{
	const struct report_day	    *day;
	const struct report_failure *f;
	char			     rate[32];
	size_t			     i, k;
	int			     r;

	jsonw_object_begin(j, NULL);
	jsonw_string(j, "domain", d->domain);
	jsonw_uint(j, "reports", d->nreports);
	jsonw_uint(j, "undated_reports", d->nundated);
	jsonw_uint(j, "successful", d->successful);
	jsonw_uint(j, "failed", d->failed);
	rpt_rate(rate, sizeof(rate), d->successful, d->failed);
	jsonw_string(j, "failure_rate", rate);
	jsonw_uint(j, "failed_attributable", d->attributable);
	jsonw_string(j, "mode", d->mode);
	jsonw_array_begin(j, "reporters");
	for (i = 0; i < d->nreporters; i++)
		jsonw_string(j, NULL, d->reporters[i]);
	jsonw_array_end(j);
	jsonw_array_begin(j, "days");
	for (i = 0; i < d->ndays; i++) {
		day = &d->days[i];
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "date", day->date);
		jsonw_uint(j, "reports", day->nreports);
		jsonw_uint(j, "successful", day->successful);
		jsonw_uint(j, "failed", day->failed);
		rpt_rate(rate, sizeof(rate), day->successful, day->failed);
		jsonw_string(j, "failure_rate", rate);
		jsonw_uint(j, "failed_attributable", day->attributable);
		jsonw_bool(j, "covered", day->covered);
		jsonw_bool(j, "clean", day->covered && !day->dirty);
		jsonw_object_begin(j, "by_result");
		for (r = 0; r < TLSRPT_RESULT__COUNT; r++)
			if (day->by_result[r] > 0)
				jsonw_uint(j,
				    tlsrpt_result_name((enum tlsrpt_result)r),
				    day->by_result[r]);
		jsonw_object_end(j);
		jsonw_array_begin(j, "failures");
		for (k = 0; k < day->nfailures; k++) {
			f = &day->failures[k];
			jsonw_object_begin(j, NULL);
			jsonw_string(j, "result_type", f->result_name);
			jsonw_string(j, "mx", f->mx);
			jsonw_string(j, "sending_ip", f->sending_ip);
			jsonw_string(j, "receiving_ip", f->receiving_ip);
			jsonw_uint(j, "sessions", f->sessions);
			jsonw_bool(j, "attributable", f->attributable);
			jsonw_object_end(j);
		}
		jsonw_array_end(j);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	rpt_json_tally(j, "by_result", "result_type", d->by_result,
	    d->nby_result);
	rpt_json_tally(j, "by_mx", "mx", d->by_mx, d->nby_mx);
	rpt_json_tally(j, "by_sending_ip", "sending_ip", d->by_ip, d->nby_ip);
	jsonw_array_begin(j, "advice");
	for (i = 0; i < d->nadvice; i++) {
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "result_type", d->advice[i].result_name);
		jsonw_uint(j, "sessions", d->advice[i].sessions);
		jsonw_string(j, "where", d->advice[i].where);
		jsonw_string(j, "meaning",
		    tlsrpt_result_meaning(d->advice[i].result));
		jsonw_string(j, "fix", tlsrpt_result_fix(d->advice[i].result));
		jsonw_string(j, "text", d->advice[i].text);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	rpt_json_gate(j, s, d->domain);
	jsonw_object_end(j);
}

static void
rpt_json(FILE *out, const struct report_input *in,
    const struct report_summary *s)
{
	const struct report_input_item *it;
	struct jsonw		       *j = jsonw_new(1);
	char			       *doc;
	size_t				i;

	jsonw_object_begin(j, NULL);
	jsonw_uint(j, "version", CMD_REPORT_JSON_VERSION);
	jsonw_uint(j, "inputs", s->nitems);
	jsonw_uint(j, "reports", s->nreports);
	jsonw_uint(j, "duplicates", s->nduplicates);
	jsonw_uint(j, "unreadable", s->nunreadable);
	jsonw_uint(j, "successful", s->successful);
	jsonw_uint(j, "failed", s->failed);
	jsonw_array_begin(j, "domains");
	for (i = 0; i < s->ndomains; i++)
		rpt_json_domain(j, s, &s->domains[i]);
	jsonw_array_end(j);
	jsonw_array_begin(j, "sources");
	for (i = 0; i < report_input_count(in); i++) {
		it = report_input_get(in, i);
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "source", it->source);
		jsonw_bool(j, "report", it->report != NULL);
		if (it->report != NULL) {
			jsonw_string(j, "organization",
			    it->report->organization);
			jsonw_string(j, "contact", it->report->contact);
			jsonw_string(j, "report_id", it->report->report_id);
			jsonw_string(j, "start", it->report->start_text);
			jsonw_string(j, "end", it->report->end_text);
			jsonw_uint(j, "policies", it->report->npolicies);
		}
		report_json_findings(j, "findings", it->findings, NULL);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	report_json_findings(j, "findings", s->findings, NULL);
	jsonw_object_end(j);
	doc = jsonw_finish(j, NULL);
	fputs(doc, out);
	free(doc);
	jsonw_free(j);
}

int
cmd_report(const struct cli_options *opts)
{
	struct report_text_style st;
	struct report_input	*in = report_input_new();
	struct report_summary	*s;
	struct report_imap_opts	 io;
	char			*cause;
	int			 i, rc;

	for (i = 0; i < opts->npaths; i++) {
		if (!report_imap_is_url(opts->paths[i])) {
			report_input_add_path(in, opts->paths[i]);
			continue;
		}
		/* A daily run reads only the mailbox's new messages. */
		io = *report_imap_defaults();
		io.update_state = 1;
		if (report_imap_read(in, opts->paths[i], &io, NULL, &cause) !=
		    0) {
			fprintf(stderr, "mtasts-tui: %s\n", cause);
			free(cause);
			report_input_free(in);
			return EXIT_CHECK_UNKNOWN;
		}
	}
	s = report_summary_new(in);
	if (opts->format == CLI_FORMAT_JSON)
		rpt_json(stdout, in, s);
	else {
		report_text_style_init(&st, opts->color, stdout);
		rpt_text(stdout, in, s, &st);
	}
	if (s->nreports == 0)
		rc = EXIT_CHECK_UNKNOWN;
	else if (s->failed > 0 || s->nunreadable > 0)
		rc = EXIT_CHECK_WARNING;
	else
		rc = EXIT_CHECK_OK;
	report_summary_free(s);
	report_input_free(in);
	return rc;
}
