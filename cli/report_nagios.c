#include "config.h"
#include "report_nagios.h"

#include <stdlib.h>
#include <string.h>

#include "doc_certs.h"
#include "strbuf.h"

#define NAGIOS_SERVICE	 "MTA-STS"
#define NAGIOS_TEXT_MAX	 400 /* the status line's text */
#define NAGIOS_LINE_MAX	 300 /* one long-output line */
#define NAGIOS_LABEL_MAX 96  /* one perfdata label */
#define NAGIOS_PERF_CERT 32  /* certificates in the perfdata */
#define NAGIOS_LONG_MAX	 60  /* long-output lines */
#define NAGIOS_OUT_MAX	 65536

static const char *const nagios_names[] = { "OK", "WARNING", "CRITICAL",
	"UNKNOWN" };

/* The worse of two states: CRITICAL > WARNING > UNKNOWN > OK, so that a
 * known problem is never hidden behind a state that says "cannot tell". */
static int
nagios_worse(int a, int b)
{
	static const int rank[] = { 0, 2, 3, 1 };

	return rank[b] > rank[a] ? b : a;
}

/* Text from the document: no '|' (it starts the perfdata), no control
 * byte (a newline would start long output), cut at a UTF-8 boundary. */
static void
nagios_text(struct strbuf *sb, const char *s, size_t max)
{
	size_t		     n;
	const unsigned char *p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s, n = 0; *p != '\0'; p++, n++) {
		if (n >= max && (*p & 0xc0) != 0x80) {
			strbuf_addstr(sb, "...");
			return;
		}
		if (*p == '|')
			strbuf_addc(sb, '/');
		else if (*p < 0x20 || *p == 0x7f)
			strbuf_addc(sb, ' ');
		else
			strbuf_addc(sb, (char)*p);
	}
}

/* A label part in a safe alphabet: no quote, '=', space or '|' ever. */
static void
nagios_label(struct strbuf *sb, const char *s, size_t max)
{
	size_t n;
	char   c;

	for (n = 0; s != NULL && s[n] != '\0' && n < max; n++) {
		c = s[n];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '.' || c == '-' || c == '_' || c == ':'))
			c = '_';
		strbuf_addc(sb, c);
	}
}

static const char *
nagios_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
nagios_from_exit(const json_t *doc)
{
	const json_t *e = json_object_get(doc, "exit_status");

	if (nagios_str(doc, "failure") != NULL || !json_is_integer(e))
		return NAGIOS_UNKNOWN;
	switch (json_integer_value(e)) {
	case 0:
		return NAGIOS_OK;
	case 1:
		return NAGIOS_WARNING;
	case 2:
		return NAGIOS_CRITICAL;
	default:
		return NAGIOS_UNKNOWN;
	}
}

static int
nagios_cert_state(long days, const struct report_nagios_limits *lim)
{
	/* "Within N days", as the range "N:" of the perfdata and the
	 * engine's --expiry-warn say: fewer than N days left. */
	if (days < lim->crit_days)
		return NAGIOS_CRITICAL;
	if (days < lim->warn_days)
		return NAGIOS_WARNING;
	return NAGIOS_OK;
}

static void
nagios_cert_name(struct strbuf *sb, const struct doc_cert *dc)
{
	if (dc->policy)
		strbuf_addstr(sb, "mta-sts.");
	nagios_text(sb, dc->host, 255);
	strbuf_addstr(sb, " at ");
	nagios_text(sb, dc->address, 64);
}

static void
nagios_perf(struct strbuf *sb, const json_t *doc, const struct doc_cert *dc,
    size_t nc, const struct report_nagios_limits *lim)
{
	const json_t *pol, *mx, *h, *e, *arr;
	size_t	      i, nh = 0, ncov = 0;
	int	      judged = 0;

	for (i = 0; i < nc && i < NAGIOS_PERF_CERT; i++) {
		strbuf_addstr(sb, i == 0 ? "" : " ");
		strbuf_addstr(sb,
		    dc[i].policy ? "cert_days_policy_" : "cert_days_mx_");
		if (!dc[i].policy) {
			nagios_label(sb, dc[i].host, NAGIOS_LABEL_MAX / 2);
			strbuf_addc(sb, '_');
		}
		nagios_label(sb, dc[i].address, 45);
		/* Days below the threshold alert: "N:" is the range
		 * N..infinity (the guidelines' threshold format). */
		strbuf_addf(sb, "=%ld;%d:;%d:", dc[i].days_left, lim->warn_days,
		    lim->crit_days);
	}
	if (nc > 0)
		strbuf_addc(sb, ' ');
	pol = json_object_get(doc_layer(doc, "policy"), "data");
	e = json_object_get(pol, "max_age");
	if (json_is_integer(e))
		strbuf_addf(sb, "max_age=%llds;;;0 ",
		    (long long)json_integer_value(e));
	mx = json_object_get(doc_layer(doc, "mx"), "data");
	arr = json_object_get(mx, "hosts");
	for (i = 0; i < json_array_size(arr); i++) {
		h = json_array_get(arr, i);
		nh++;
		if (json_is_true(json_object_get(h, "judged")))
			judged = 1;
		if (nagios_str(h, "covered_by") != NULL)
			ncov++;
	}
	/* Coverage means something only under a policy: U otherwise. */
	if (judged)
		strbuf_addf(sb, "mx_covered=%zu;;;0;%zu ", ncov, nh);
	else
		strbuf_addf(sb, "mx_covered=U;;;0;%zu ", nh);
	strbuf_addf(sb, "mx_hosts=%zu;;;0 ", nh);
	e = json_object_get(doc, "elapsed_ms");
	strbuf_addf(sb, "time=%.3fs;;;0",
	    json_is_integer(e) ? (double)json_integer_value(e) / 1000.0 : 0.0);
}

/* One long-output line, counted against the cap. */
static int
nagios_long(struct strbuf *sb, size_t *nl, const char *head, const char *a,
    const char *b)
{
	if (*nl >= NAGIOS_LONG_MAX)
		return -1;
	(*nl)++;
	strbuf_addstr(sb, head);
	nagios_text(sb, a, b != NULL ? NAGIOS_LINE_MAX / 2 : NAGIOS_LINE_MAX);
	if (b != NULL) {
		strbuf_addstr(sb, ": ");
		nagios_text(sb, b, NAGIOS_LINE_MAX / 2);
	}
	strbuf_addc(sb, '\n');
	return 0;
}

static void
nagios_long_output(struct strbuf *sb, const json_t *doc,
    const struct doc_cert *dc, size_t nc)
{
	const json_t *v, *h, *it, *f, *arr;
	char	      head[96];
	size_t	      i, nl = 0, left = 0;
	const char   *sev;

	v = json_object_get(doc, "verdict");
	nagios_long(sb, &nl,
	    "delivery: ", nagios_str(json_object_get(v, "delivery"), "summary"),
	    NULL);
	arr = json_object_get(json_object_get(v, "delivery"), "hosts");
	for (i = 0; i < json_array_size(arr); i++) {
		h = json_array_get(arr, i);
		snprintf(head, sizeof(head), "mx %.60s ",
		    nagios_str(h, "outcome") ? nagios_str(h, "outcome") : "?");
		nagios_long(sb, &nl, head, nagios_str(h, "host"),
		    nagios_str(h, "why"));
	}
	nagios_long(sb, &nl,
	    "next: ", nagios_str(json_object_get(v, "promotion"), "next"),
	    NULL);
	arr = json_object_get(json_object_get(v, "promotion"), "blockers");
	for (i = 0; i < json_array_size(arr); i++) {
		it = json_array_get(arr, i);
		nagios_long(sb, &nl, "blocker ", nagios_str(it, "code"),
		    nagios_str(it, "why"));
	}
	for (i = 0; i < nc; i++) {
		if (nl >= NAGIOS_LONG_MAX)
			break;
		strbuf_addstr(sb, "certificate ");
		nagios_cert_name(sb, &dc[i]);
		if (dc[i].days_left < 0)
			strbuf_addf(sb, ": expired %ld days ago\n",
			    -dc[i].days_left);
		else
			strbuf_addf(sb, ": %ld days left\n", dc[i].days_left);
		nl++;
	}
	/* The findings that matter: warnings and errors, in order. */
	arr = json_object_get(doc, "findings");
	for (i = 0; i < json_array_size(arr); i++) {
		f = json_array_get(arr, i);
		sev = nagios_str(f, "severity");
		if (sev == NULL || strcmp(sev, "info") == 0)
			continue;
		snprintf(head, sizeof(head), "[%.16s] ", sev);
		if (nagios_long(sb, &nl, head, nagios_str(f, "code"),
			nagios_str(f, "message")) != 0)
			left++;
	}
	if (left > 0)
		strbuf_addf(sb, "(%zu more findings: see check --json)\n",
		    left);
}

int
report_nagios(FILE *out, const json_t *doc,
    const struct report_nagios_limits *lim)
{
	struct doc_cert dc[DOC_CERTS_MAX];
	struct strbuf	sb;
	const json_t   *v;
	const char     *domain, *failure, *step;
	char	       *s;
	size_t		nc, i, worst = 0, nh;
	int		st, cst = NAGIOS_OK;

	if (!json_is_object(doc))
		return report_nagios_unknown(out, "no check document");
	nc = doc_certs(doc, dc, DOC_CERTS_MAX);
	if (nc > DOC_CERTS_MAX)
		nc = DOC_CERTS_MAX;
	st = nagios_from_exit(doc);
	for (i = 0; i < nc; i++) {
		if (dc[i].days_left < dc[worst].days_left)
			worst = i;
		cst =
		    nagios_worse(cst, nagios_cert_state(dc[i].days_left, lim));
	}
	st = nagios_worse(st, cst);

	strbuf_init(&sb, NAGIOS_OUT_MAX);
	domain = nagios_str(doc, "domain");
	failure = nagios_str(doc, "failure");
	v = json_object_get(doc, "verdict");
	strbuf_addf(&sb, "%s %s: ", NAGIOS_SERVICE, nagios_names[st]);
	nagios_text(&sb, domain != NULL ? domain : "?", 255);
	strbuf_addstr(&sb, ": ");
	if (failure != NULL) {
		strbuf_addstr(&sb, "could not check: ");
		nagios_text(&sb, failure, NAGIOS_TEXT_MAX);
	} else {
		nagios_text(&sb,
		    nagios_str(json_object_get(v, "delivery"), "summary"),
		    NAGIOS_TEXT_MAX);
		step = nagios_str(json_object_get(v, "promotion"), "step");
		if (step != NULL) {
			strbuf_addstr(&sb, "; next: ");
			nagios_text(&sb, step, 32);
		}
		nh = json_array_size(
		    json_object_get(json_object_get(v, "hygiene"), "items"));
		if (nh > 0)
			strbuf_addf(&sb, "; hygiene items: %zu", nh);
	}
	if (cst != NAGIOS_OK) {
		strbuf_addstr(&sb, "; certificate of ");
		nagios_cert_name(&sb, &dc[worst]);
		if (dc[worst].days_left < 0)
			strbuf_addf(&sb, " expired %ld days ago",
			    -dc[worst].days_left);
		else
			strbuf_addf(&sb, " expires in %ld days",
			    dc[worst].days_left);
	}
	strbuf_addstr(&sb, " | ");
	nagios_perf(&sb, doc, dc, nc, lim);
	strbuf_addc(&sb, '\n');
	nagios_long_output(&sb, doc, dc, nc);
	s = strbuf_detach(&sb, NULL);
	fputs(s, out);
	free(s);
	return st;
}

int
report_nagios_unknown(FILE *out, const char *why)
{
	struct strbuf sb;
	char	     *s;

	strbuf_init(&sb, NAGIOS_TEXT_MAX * 2);
	strbuf_addf(&sb, "%s UNKNOWN: ", NAGIOS_SERVICE);
	nagios_text(&sb, why, NAGIOS_TEXT_MAX);
	strbuf_addc(&sb, '\n');
	s = strbuf_detach(&sb, NULL);
	fputs(s, out);
	free(s);
	return NAGIOS_UNKNOWN;
}
