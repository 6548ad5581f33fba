#include "config.h"
#include "report_text.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "finding.h"
#include "summary.h"
#include "utf8.h"
#include "verdict.h"

#define C_RESET	 "\033[0m"
#define C_BOLD	 "\033[1m"
#define C_DIM	 "\033[2m"
#define C_RED	 "\033[31m"
#define C_GREEN	 "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN	 "\033[36m"

void
report_text_style_init(struct report_text_style *st, int color_allowed, FILE *f)
{
	const char *cs = nl_langinfo(CODESET);

	st->color = color_allowed && isatty(fileno(f));
	st->ascii =
	    cs == NULL || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0);
}

static const char *
report_text_color(const struct report_text_style *st, const char *code)
{
	return st->color ? code : "";
}

static const char *
report_text_status_color(enum check_status s)
{
	switch (s) {
	case CHECK_PASS:
		return C_GREEN;
	case CHECK_WARN:
	case CHECK_CUT:
		return C_YELLOW;
	case CHECK_FAIL:
		return C_RED;
	default:
		return C_DIM;
	}
}

static const char *
report_text_sev_color(enum finding_severity s)
{
	return s == FINDING_ERROR  ? C_RED
	    : s == FINDING_WARNING ? C_YELLOW
				   : C_CYAN;
}

/* Prints network-derived text with control bytes made visible. */
static void
report_text_safe(FILE *f, const char *s, const struct report_text_style *st)
{
	char *clean;

	if (s == NULL)
		return;
	clean = utf8_sanitize(s, strlen(s), st->ascii);
	fputs(clean, f);
	free(clean);
}

void
report_text_layer(FILE *f, const char *name, enum check_status status,
    unsigned elapsed_ms, const char *const *lines, size_t nlines,
    const struct finding_list *fl, const struct report_text_style *st)
{
	const struct finding *fd;
	size_t		      i;
	char		      head[16];

	snprintf(head, sizeof(head), "%s", check_status_name(status));
	for (i = 0; head[i] != '\0'; i++)
		head[i] = (char)(head[i] - 'a' + 'A');
	fprintf(f, "%s%-4s%s  %s%-8s%s",
	    report_text_color(st, report_text_status_color(status)), head,
	    report_text_color(st, C_RESET), report_text_color(st, C_BOLD), name,
	    report_text_color(st, C_RESET));
	if (elapsed_ms > 0)
		fprintf(f, " %s(%u ms)%s", report_text_color(st, C_DIM),
		    elapsed_ms, report_text_color(st, C_RESET));
	fputc('\n', f);
	for (i = 0; i < nlines; i++) {
		fputs("      ", f);
		fputs(lines[i], f); /* already neutralised by summary */
		fputc('\n', f);
	}
	for (i = 0; fl != NULL && i < finding_list_count(fl); i++) {
		fd = finding_list_get(fl, i);
		fprintf(f, "      %s%-7s%s %s",
		    report_text_color(st, report_text_sev_color(fd->severity)),
		    finding_severity_name(fd->severity),
		    report_text_color(st, C_RESET),
		    finding_code_name(fd->code));
		if (fd->line > 0)
			fprintf(f, " (line %u)", fd->line);
		fputs("\n              ", f);
		report_text_safe(f, fd->message, st);
		fprintf(f, "\n              %sfix:%s ",
		    report_text_color(st, C_DIM),
		    report_text_color(st, C_RESET));
		report_text_safe(f, finding_fix(fd), st);
		fprintf(f, " %s[%s]%s\n", report_text_color(st, C_DIM),
		    finding_code_rule(fd->code),
		    report_text_color(st, C_RESET));
	}
}

static void
report_text_items(FILE *f, const char *label, const struct verdict_item *it,
    size_t n, const struct report_text_style *st)
{
	size_t i;

	for (i = 0; i < n; i++) {
		fprintf(f, "      %-10s %s", i == 0 ? label : "",
		    finding_code_name(it[i].code));
		if (it[i].subject != NULL) {
			fputc(' ', f);
			report_text_safe(f, it[i].subject, st);
		}
		if (it[i].why != NULL) {
			fputs(": ", f);
			report_text_safe(f, it[i].why, st);
		}
		fputc('\n', f);
	}
}

/* The three answers, each on its own lines (doc/verdict.md). */
static void
report_text_verdict(FILE *f, const struct verdict *v,
    const struct report_text_style *st)
{
	const struct verdict_view *w;
	const struct verdict_host *h;
	size_t			   i, k;

	fprintf(f, "      %-10s %s",
	    "delivery:", report_text_color(st, C_BOLD));
	report_text_safe(f, v->delivery, st);
	fprintf(f, "%s\n", report_text_color(st, C_RESET));
	for (i = 0; i < v->nviews; i++) {
		w = &v->views[i];
		if (v->nviews > 1)
			fprintf(f, "      %-10s %s senders (%s):\n", "",
			    verdict_sender_name(w->sender),
			    w->has_policy ? policy_mode_name(w->mode)
					  : "no policy");
		for (k = 0; k < w->nhosts; k++) {
			h = &w->hosts[k];
			fprintf(f, "      %-10s %u ", "", h->pref);
			report_text_safe(f, h->name, st);
			fprintf(f, ": %s%s%s",
			    verdict_outcome_delivers(h->outcome)
				? ""
				: report_text_color(st, C_RED),
			    verdict_outcome_name(h->outcome),
			    report_text_color(st, C_RESET));
			if (h->why != NULL) {
				fputs(" - ", f);
				report_text_safe(f, h->why, st);
			}
			fputc('\n', f);
		}
	}
	fprintf(f, "      %-10s ", "next:");
	report_text_safe(f, v->next, st);
	fputc('\n', f);
	report_text_items(f, "blockers:", v->blockers, v->nblockers, st);
	report_text_items(f, "causes:", v->causes, v->ncauses, st);
	report_text_items(f, "hygiene:", v->hygiene, v->nhygiene, st);
	fprintf(f, "      %-10s %d, %s\n", "exit:", v->exit_status,
	    v->exit_why);
}

void
report_text_check(FILE *f, const struct check *c, const char *domain_unicode,
    const struct report_text_style *st)
{
	const struct verdict *v = check_verdict(c);
	struct summary	      sum;
	int		      l;

	fprintf(f, "%sMTA-STS check of %s%s", report_text_color(st, C_BOLD),
	    check_domain(c), report_text_color(st, C_RESET));
	if (domain_unicode != NULL) {
		fputs(" (", f);
		report_text_safe(f, domain_unicode, st);
		fputc(')', f);
	}
	fprintf(f, "  %s%.2f s%s\n\n", report_text_color(st, C_DIM),
	    check_elapsed_ms(c) / 1000.0, report_text_color(st, C_RESET));
	if (check_failure(c) != NULL)
		fprintf(f, "COULD NOT CHECK: %s\n\n", check_failure(c));
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		if (check_layer_final(l) || !check_layer_shown(c, l))
			continue;
		summary_layer(&sum, c, l, st->ascii);
		report_text_layer(f, check_layer_name(l),
		    check_layer_status(c, l), check_layer_elapsed_ms(c, l),
		    (const char *const *)sum.line, sum.n,
		    check_layer_findings(c, l), st);
		summary_clear(&sum);
	}
	fputc('\n', f);
	for (l = 0; l < CHECK_LAYER__COUNT; l++)
		if (check_layer_final(l))
			report_text_layer(f, check_layer_name(l),
			    check_layer_status(c, l), 0, NULL, 0,
			    check_layer_findings(c, l), st);
	if (v == NULL)
		return;
	fprintf(f, "      %s\n", v->reason);
	report_text_verdict(f, v, st);
}
