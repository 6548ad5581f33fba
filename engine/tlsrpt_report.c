#include "config.h"
#include "tlsrpt_report.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "finding.h"
#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

/* Findings one report may add; the rest are counted in one last line. */
#define RPT_MAX_FINDINGS 40
/* Report strings quoted in finding messages are cut to this. */
#define RPT_QUOTE_MAX 80

struct rpt_ctx {
	const char	    *subject;
	struct finding_list *fl;
	size_t		     nproblems;
	size_t		     suppressed;
};

static const struct {
	const char *name;
	const char *meaning;
	const char *fix;
} rpt_results[TLSRPT_RESULT__COUNT] = {
	{ "starttls-not-supported",
	    "The MX host did not offer STARTTLS, so the sender could not "
	    "encrypt.",
	    "Enable STARTTLS on that MX host (and on every address it has)." },
	{ "certificate-host-mismatch",
	    "The MX certificate does not name the MX host the policy allows.",
	    "Serve a certificate whose subjectAltName lists the MX host name, "
	    "or fix the mx: lines of the policy." },
	{ "certificate-expired", "The MX certificate had expired.",
	    "Renew the certificate on that MX host and automate renewal." },
	{ "certificate-not-trusted",
	    "The MX certificate does not chain to a trusted CA (self-signed, "
	    "private CA or missing intermediate).",
	    "Serve a publicly trusted certificate with its full chain." },
	{ "validation-failure",
	    "The TLS session failed for another reason (see "
	    "failure-reason-code).",
	    "Read the failure-reason-code and test that MX host's TLS." },
	{ "tlsa-invalid",
	    "None of the TLSA records matched the MX certificate (DANE).",
	    "Update the TLSA records to match the certificate, or roll the "
	    "certificate with a matching TLSA record published first." },
	{ "dnssec-invalid",
	    "The sender's resolver got no DNSSEC-valid answer (DANE).",
	    "Fix the DNSSEC signing or delegation of the MX zone." },
	{ "dane-required",
	    "The sender requires DANE but found no validated TLSA records.",
	    "Publish DNSSEC-signed TLSA records for the MX, or nothing needed "
	    "if you do not use DANE." },
	{ "sts-policy-fetch-error",
	    "The sender could not fetch the MTA-STS policy over HTTPS.",
	    "Make https://mta-sts.DOMAIN/.well-known/mta-sts.txt answer 200 "
	    "from every address (see mtasts-tui check)." },
	{ "sts-policy-invalid", "The fetched MTA-STS policy did not validate.",
	    "Fix the policy file (mtasts-tui lint --policy FILE)." },
	{ "sts-webpki-invalid",
	    "The policy host's certificate did not validate (WebPKI).",
	    "Serve a publicly trusted certificate for mta-sts.DOMAIN." },
	{ "unknown", "A result type that is not in the RFC 8460 registry.",
	    "Look the value up in the IANA TLS-RPT result type registry." },
};

static void rpt_problem(struct rpt_ctx *, enum finding_code, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static char  *rpt_quote(const char *);
static int    rpt_prescan(const unsigned char *, size_t, size_t *, size_t *);
static char  *rpt_repair_utf8(const unsigned char *, size_t, size_t *);
static char  *rpt_string(struct rpt_ctx *, json_t *, const char *, const char *,
     int);
static int    rpt_count(struct rpt_ctx *, json_t *, const char *, const char *,
       uint64_t *);
static char **rpt_string_list(struct rpt_ctx *, json_t *, const char *,
    const char *, size_t *, int);
static void   rpt_dates(struct rpt_ctx *, struct tlsrpt_report *, json_t *);
static void   rpt_policy(struct rpt_ctx *, struct tlsrpt_policy *, json_t *,
      size_t);
static void   rpt_failure(struct rpt_ctx *, struct tlsrpt_failure *, json_t *,
      const char *);
static void   rpt_check_ip(struct rpt_ctx *, const char *, const char *,
      const char *);
static int64_t rpt_days_from_civil(int64_t, unsigned, unsigned);
static int     rpt_digits(const char *, size_t, unsigned *);
static int64_t rpt_one_date(struct rpt_ctx *, const char *, const char *);
static char   *rpt_nonempty(char *);
static void    rpt_lower_domain(char *);
static void    rpt_free_list(char **, size_t);

static void
rpt_problem(struct rpt_ctx *c, enum finding_code code, const char *fmt, ...)
{
	va_list ap;
	char   *msg;

	if (c->nproblems >= RPT_MAX_FINDINGS) {
		c->suppressed++;
		return;
	}
	c->nproblems++;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	finding_add(c->fl, code, c->subject, 0, "%s", msg);
	free(msg);
}

/* A report string made printable ASCII and short, for messages. */
static char *
rpt_quote(const char *s)
{
	char  *q, *cut;
	size_t len = strlen(s);

	if (len > RPT_QUOTE_MAX)
		len = RPT_QUOTE_MAX;
	q = utf8_sanitize(s, len, 1);
	if (len < strlen(s)) {
		cut = xasprintf("%s...", q);
		free(q);
		q = cut;
	}
	return q;
}

/*
 * One pass over the bytes before the JSON library sees them: the nesting
 * depth and the number of values, outside strings.  Returns -1 when a cap
 * is exceeded (the library would use memory in proportion to the values).
 */
static int
rpt_prescan(const unsigned char *p, size_t len, size_t *depth_out,
    size_t *values_out)
{
	size_t i, depth = 0, maxdepth = 0, values = 1;
	int    instr = 0, esc = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (esc)
				esc = 0;
			else if (p[i] == '\\')
				esc = 1;
			else if (p[i] == '"')
				instr = 0;
			continue;
		}
		switch (p[i]) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > maxdepth)
				maxdepth = depth;
			values++;
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		case ',':
		case ':':
			values++;
			break;
		}
		if (maxdepth > TLSRPT_REPORT_MAX_DEPTH ||
		    values > TLSRPT_REPORT_MAX_VALUES)
			break;
	}
	*depth_out = maxdepth;
	*values_out = values;
	return maxdepth > TLSRPT_REPORT_MAX_DEPTH ||
		values > TLSRPT_REPORT_MAX_VALUES
	    ? -1
	    : 0;
}

/* A copy with each byte that is not valid UTF-8 replaced by U+FFFD. */
static char *
rpt_repair_utf8(const unsigned char *p, size_t len, size_t *outlen)
{
	struct strbuf sb;
	size_t	      i = 0, n;

	strbuf_init(&sb, 3 * len + 1);
	while (i < len) {
		if ((n = utf8_valid_prefix(p + i, len - i)) == 0 || p[i] == 0) {
			strbuf_add(&sb, "\xef\xbf\xbd", 3);
			i++;
		} else {
			strbuf_add(&sb, p + i, n);
			i += n;
		}
	}
	return strbuf_detach(&sb, outlen);
}

/* A string member: a copy, or NULL when absent (flagged if required). */
static char *
rpt_string(struct rpt_ctx *c, json_t *obj, const char *key, const char *where,
    int required)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (required)
			rpt_problem(c, FINDING_REPORT_SCHEMA, "%s%s is missing",
			    where, key);
		return NULL;
	}
	if (!json_is_string(v)) {
		rpt_problem(c, FINDING_REPORT_SCHEMA, "%s%s is not a string",
		    where, key);
		return NULL;
	}
	return xstrndup(json_string_value(v), json_string_length(v));
}

/*
 * A session count: 1 with *out set when usable, 0 when absent or unusable
 * (negative, fractional, implausibly large); only absence goes unflagged.
 */
static int
rpt_count(struct rpt_ctx *c, json_t *obj, const char *key, const char *where,
    uint64_t *out)
{
	json_t	  *v = json_object_get(obj, key);
	json_int_t i;
	double	   d;

	*out = 0;
	if (v == NULL)
		return 0;
	if (json_is_integer(v)) {
		i = json_integer_value(v);
		if (i < 0) {
			rpt_problem(c, FINDING_REPORT_SCHEMA,
			    "%s%s is negative (%lld): ignored", where, key,
			    (long long)i);
			return 0;
		}
		if ((unsigned long long)i > TLSRPT_REPORT_MAX_COUNT) {
			rpt_problem(c, FINDING_REPORT_SCHEMA,
			    "%s%s is implausibly large (%lld): ignored", where,
			    key, (long long)i);
			return 0;
		}
		*out = (uint64_t)i;
		return 1;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (d >= 0 && d <= (double)TLSRPT_REPORT_MAX_COUNT &&
		    floor(d) == d) {
			rpt_problem(c, FINDING_REPORT_SCHEMA,
			    "%s%s is written as a fraction or with an "
			    "exponent: read as %.0f",
			    where, key, d);
			*out = (uint64_t)d;
			return 1;
		}
		rpt_problem(c, FINDING_REPORT_SCHEMA,
		    "%s%s is not a whole number of sessions: ignored", where,
		    key);
		return 0;
	}
	rpt_problem(c, FINDING_REPORT_SCHEMA, "%s%s is not a number: ignored",
	    where, key);
	return 0;
}

/*
 * An array of strings.  A lone string is taken as a one-element array
 * (flagged as lenient when lenient is set, as a schema problem otherwise);
 * an empty string gives no element.  Non-string elements are skipped.
 */
static char **
rpt_string_list(struct rpt_ctx *c, json_t *obj, const char *key,
    const char *where, size_t *n, int lenient)
{
	json_t *v = json_object_get(obj, key), *e;
	char  **list;
	size_t	i, skipped = 0;

	*n = 0;
	if (v == NULL)
		return NULL;
	if (json_is_string(v)) {
		if (lenient)
			rpt_problem(c, FINDING_REPORT_LENIENT,
			    "%s%s is a "
			    "string, not an array (RFC 8460 has both forms)",
			    where, key);
		else
			rpt_problem(c, FINDING_REPORT_SCHEMA,
			    "%s%s is a "
			    "string, not an array: read as one element",
			    where, key);
		if (json_string_length(v) == 0)
			return NULL;
		list = xcalloc(1, sizeof(*list));
		list[0] = xstrndup(json_string_value(v), json_string_length(v));
		*n = 1;
		return list;
	}
	if (!json_is_array(v)) {
		rpt_problem(c, FINDING_REPORT_SCHEMA, "%s%s is not an array",
		    where, key);
		return NULL;
	}
	if (json_array_size(v) == 0)
		return NULL;
	list = xcalloc(json_array_size(v), sizeof(*list));
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e)) {
			skipped++;
			continue;
		}
		list[(*n)++] =
		    xstrndup(json_string_value(e), json_string_length(e));
	}
	if (skipped > 0)
		rpt_problem(c, FINDING_REPORT_SCHEMA,
		    "%s%s has %zu element%s "
		    "that %s not strings",
		    where, key, skipped, skipped == 1 ? "" : "s",
		    skipped == 1 ? "is" : "are");
	return list;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
rpt_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t	 era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
rpt_digits(const char *s, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

int
tlsrpt_report_time(const char *s, int lenient, int64_t *t, int *no_zone)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	unsigned	      y, mo, d, h, mi, sec, oh, om;
	int64_t		      off = 0;
	const char	     *p;

	*no_zone = 0;
	if (strlen(s) < 19 || rpt_digits(s, 4, &y) || s[4] != '-' ||
	    rpt_digits(s + 5, 2, &mo) || s[7] != '-' ||
	    rpt_digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    rpt_digits(s + 11, 2, &h) || s[13] != ':' ||
	    rpt_digits(s + 14, 2, &mi) || s[16] != ':' ||
	    rpt_digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 &&
		!(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return -1;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		if (rpt_digits(p + 1, 2, &oh) || p[3] != ':' ||
		    rpt_digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		off = (int64_t)(oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
		p += 6;
	} else if (*p == '\0' && lenient)
		*no_zone = 1;
	else
		return -1;
	if (*p != '\0')
		return -1;
	if (sec == 60)
		sec = 59; /* a leap second: close enough for days */
	*t = rpt_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    off;
	return 0;
}

static int64_t
rpt_one_date(struct rpt_ctx *c, const char *key, const char *text)
{
	int64_t t;
	int	no_zone;
	char   *q;

	if (text == NULL)
		return TLSRPT_TIME_NONE;
	q = rpt_quote(text);
	if (tlsrpt_report_time(text, 1, &t, &no_zone) != 0) {
		rpt_problem(c, FINDING_REPORT_DATE,
		    "date-range.%s \"%s\" is "
		    "not a date-time: the report has no day",
		    key, q);
		free(q);
		return TLSRPT_TIME_NONE;
	}
	/* Real reporters send it (issue 16): a note, never a lost day. */
	if (no_zone)
		rpt_problem(c, FINDING_REPORT_LENIENT,
		    "date-range.%s \"%s\" has "
		    "no time zone: read as UTC",
		    key, q);
	free(q);
	return t;
}

static void
rpt_dates(struct rpt_ctx *c, struct tlsrpt_report *r, json_t *root)
{
	json_t *dr = json_object_get(root, "date-range");

	r->start = r->end = TLSRPT_TIME_NONE;
	if (dr == NULL) {
		rpt_problem(c, FINDING_REPORT_SCHEMA,
		    "date-range is missing: "
		    "the report has no day");
		return;
	}
	if (!json_is_object(dr)) {
		rpt_problem(c, FINDING_REPORT_SCHEMA,
		    "date-range is not an "
		    "object: the report has no day");
		return;
	}
	r->start_text = rpt_string(c, dr, "start-datetime", "date-range.", 1);
	r->end_text = rpt_string(c, dr, "end-datetime", "date-range.", 1);
	r->start = rpt_one_date(c, "start-datetime", r->start_text);
	r->end = rpt_one_date(c, "end-datetime", r->end_text);
	if (r->start == TLSRPT_TIME_NONE || r->end == TLSRPT_TIME_NONE)
		return;
	if (r->end <= r->start)
		rpt_problem(c, FINDING_REPORT_DATE,
		    "date-range ends before "
		    "it starts");
	else if (r->start % 86400 != 0 || r->end - r->start > 86400 ||
	    r->end - r->start < 86399)
		rpt_problem(c, FINDING_REPORT_DATE_RANGE,
		    "date-range %s to "
		    "%s is not one UTC day",
		    r->start_text, r->end_text);
}

static void
rpt_check_ip(struct rpt_ctx *c, const char *where, const char *key,
    const char *ip)
{
	unsigned char buf[16];
	char	     *q;

	if (ip == NULL || *ip == '\0' || inet_pton(AF_INET, ip, buf) == 1 ||
	    inet_pton(AF_INET6, ip, buf) == 1)
		return;
	q = rpt_quote(ip);
	rpt_problem(c, FINDING_REPORT_SCHEMA,
	    "%s%s \"%s\" is not an IP "
	    "address",
	    where, key, q);
	free(q);
}

/* An empty string is as good as absent for display and grouping. */
static char *
rpt_nonempty(char *s)
{
	if (s != NULL && *s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

static void
rpt_failure(struct rpt_ctx *c, struct tlsrpt_failure *f, json_t *o,
    const char *where)
{
	char *q;

	f->result = TLSRPT_RESULT_UNKNOWN;
	if (!json_is_object(o)) {
		rpt_problem(c, FINDING_REPORT_SCHEMA, "%sis not an object",
		    where);
		f->result_name = xstrdup("(missing)");
		return;
	}
	f->result_name = rpt_string(c, o, "result-type", where, 1);
	if (f->result_name == NULL)
		f->result_name = xstrdup("(missing)");
	else if ((f->result = tlsrpt_result_lookup(f->result_name)) ==
	    TLSRPT_RESULT_UNKNOWN) {
		q = rpt_quote(f->result_name);
		rpt_problem(c, FINDING_REPORT_UNKNOWN_RESULT_TYPE,
		    "%sresult-type \"%s\" is not a registered result type",
		    where, q);
		free(q);
	}
	/* A large mailbox provider leaves it out (issue 16): a note. */
	f->sending_mta_ip =
	    rpt_nonempty(rpt_string(c, o, "sending-mta-ip", where, 0));
	if (json_object_get(o, "sending-mta-ip") == NULL)
		rpt_problem(c, FINDING_REPORT_LENIENT,
		    "%ssending-mta-ip is missing: the failure is counted "
		    "without a sending address",
		    where);
	f->receiving_mx_hostname =
	    rpt_nonempty(rpt_string(c, o, "receiving-mx-hostname", where, 1));
	f->receiving_mx_helo =
	    rpt_nonempty(rpt_string(c, o, "receiving-mx-helo", where, 0));
	f->receiving_ip =
	    rpt_nonempty(rpt_string(c, o, "receiving-ip", where, 0));
	f->failure_reason_code =
	    rpt_nonempty(rpt_string(c, o, "failure-reason-code", where, 0));
	f->additional_information =
	    rpt_nonempty(rpt_string(c, o, "additional-information", where, 0));
	if (f->additional_information == NULL &&
	    json_object_get(o, "additional-info-uri") != NULL) {
		rpt_problem(c, FINDING_REPORT_LENIENT,
		    "%sadditional-info-uri "
		    "used for additional-information (RFC 8460 has both "
		    "names)",
		    where);
		f->additional_information = rpt_nonempty(
		    rpt_string(c, o, "additional-info-uri", where, 0));
	}
	rpt_check_ip(c, where, "sending-mta-ip", f->sending_mta_ip);
	rpt_check_ip(c, where, "receiving-ip", f->receiving_ip);
	if (json_object_get(o, "failed-session-count") == NULL)
		rpt_problem(c, FINDING_REPORT_SCHEMA,
		    "%sfailed-session-count is missing", where);
	else
		rpt_count(c, o, "failed-session-count", where,
		    &f->failed_sessions);
}

static void
rpt_lower_domain(char *d)
{
	for (; *d != '\0'; d++)
		*d = (char)tolower((unsigned char)*d);
}

static void
rpt_policy(struct rpt_ctx *c, struct tlsrpt_policy *p, json_t *o, size_t idx)
{
	json_t	   *pol, *sum, *fd, *e;
	char	    where[64], fwhere[96];
	char	   *q;
	uint64_t    sum_details = 0;
	size_t	    i, n;
	const char *mxkey = "mx-host";

	snprintf(where, sizeof(where), "policies[%zu].", idx);
	if (!json_is_object(o)) {
		rpt_problem(c, FINDING_REPORT_SCHEMA,
		    "policies[%zu] is not "
		    "an object",
		    idx);
		return;
	}
	pol = json_object_get(o, "policy");
	if (pol == NULL || !json_is_object(pol)) {
		rpt_problem(c, FINDING_REPORT_SCHEMA, "%spolicy is %s", where,
		    pol == NULL ? "missing" : "not an object");
	} else {
		snprintf(where, sizeof(where), "policies[%zu].policy.", idx);
		p->type_name = rpt_string(c, pol, "policy-type", where, 1);
		if (p->type_name == NULL)
			p->type = TLSRPT_POLICY_MISSING;
		else if (strcmp(p->type_name, "sts") == 0)
			p->type = TLSRPT_POLICY_STS;
		else if (strcmp(p->type_name, "tlsa") == 0)
			p->type = TLSRPT_POLICY_TLSA;
		else if (strcmp(p->type_name, "no-policy-found") == 0)
			p->type = TLSRPT_POLICY_NO_POLICY_FOUND;
		else {
			p->type = TLSRPT_POLICY_OTHER;
			q = rpt_quote(p->type_name);
			rpt_problem(c, FINDING_REPORT_UNKNOWN_POLICY_TYPE,
			    "%spolicy-type \"%s\" is not sts, tlsa or "
			    "no-policy-found",
			    where, q);
			free(q);
		}
		p->domain =
		    rpt_nonempty(rpt_string(c, pol, "policy-domain", where, 0));
		if (p->domain == NULL &&
		    json_object_get(pol, "domain") != NULL) {
			rpt_problem(c, FINDING_REPORT_LENIENT,
			    "%sdomain used "
			    "for policy-domain (RFC 8460 has both names)",
			    where);
			p->domain = rpt_nonempty(
			    rpt_string(c, pol, "domain", where, 0));
		}
		/* Sent by real reporters: counted, under no domain. */
		if (p->domain == NULL)
			rpt_problem(c, FINDING_REPORT_LENIENT,
			    "%spolicy-domain "
			    "is missing: the entry belongs to no domain",
			    where);
		else {
			rpt_lower_domain(p->domain);
			n = strlen(p->domain);
			if (n > 1 && p->domain[n - 1] == '.')
				p->domain[n - 1] = '\0';
		}
		p->strings = rpt_string_list(c, pol, "policy-string", where,
		    &p->nstrings, 0);
		if (json_object_get(pol, "policy-string") == NULL &&
		    (p->type == TLSRPT_POLICY_STS ||
			p->type == TLSRPT_POLICY_TLSA))
			rpt_problem(c, FINDING_REPORT_SCHEMA,
			    "%spolicy-string "
			    "is missing",
			    where);
		if (json_object_get(pol, mxkey) == NULL &&
		    json_object_get(pol, "mx-host-pattern") != NULL) {
			mxkey = "mx-host-pattern";
			rpt_problem(c, FINDING_REPORT_LENIENT,
			    "%smx-host-pattern used for mx-host (RFC 8460 has "
			    "both names)",
			    where);
		}
		p->mx_hosts =
		    rpt_string_list(c, pol, mxkey, where, &p->nmx_hosts, 1);
	}

	snprintf(where, sizeof(where), "policies[%zu].summary.", idx);
	sum = json_object_get(o, "summary");
	if (sum == NULL || !json_is_object(sum))
		rpt_problem(c, FINDING_REPORT_SCHEMA,
		    "policies[%zu].summary "
		    "is %s",
		    idx, sum == NULL ? "missing" : "not an object");
	else {
		if (json_object_get(sum, "total-successful-session-count") ==
		    NULL)
			rpt_problem(c, FINDING_REPORT_SCHEMA,
			    "%stotal-successful-session-count is missing",
			    where);
		else
			p->has_successful =
			    rpt_count(c, sum, "total-successful-session-count",
				where, &p->successful_sessions);
		if (json_object_get(sum, "total-failure-session-count") == NULL)
			rpt_problem(c, FINDING_REPORT_SCHEMA,
			    "%stotal-failure-session-count is missing", where);
		else
			p->has_failed =
			    rpt_count(c, sum, "total-failure-session-count",
				where, &p->failed_sessions);
	}

	fd = json_object_get(o, "failure-details");
	if (fd != NULL && !json_is_array(fd)) {
		rpt_problem(c, FINDING_REPORT_SCHEMA,
		    "policies[%zu]."
		    "failure-details is not an array",
		    idx);
		fd = NULL;
	}
	if (fd != NULL && json_array_size(fd) > 0) {
		p->failures =
		    xcalloc(json_array_size(fd), sizeof(*p->failures));
		json_array_foreach(fd, i, e)
		{
			snprintf(fwhere, sizeof(fwhere),
			    "policies[%zu].failure-details[%zu].", idx, i);
			rpt_failure(c, &p->failures[i], e, fwhere);
			if (sum_details + p->failures[i].failed_sessions >=
			    sum_details)
				sum_details += p->failures[i].failed_sessions;
			p->nfailures++;
		}
	}
	if (p->has_failed && p->failed_sessions != sum_details &&
	    (fd != NULL || p->failed_sessions > 0))
		rpt_problem(c, FINDING_REPORT_COUNT_MISMATCH,
		    "policies[%zu]: "
		    "failure-details add up to %llu sessions, "
		    "total-failure-session-count is %llu",
		    idx, (unsigned long long)sum_details,
		    (unsigned long long)p->failed_sessions);
	/* The summary trusts the larger figure (RPT-JSON-6). */
	if (sum_details > p->failed_sessions)
		p->failed_sessions = sum_details;
}

struct tlsrpt_report *
tlsrpt_report_parse(const void *buf, size_t len, const char *subject,
    struct finding_list *fl)
{
	struct rpt_ctx	      c = { subject, fl, 0, 0 };
	struct tlsrpt_report *r;
	json_error_t	      err;
	json_t		     *root, *pols, *e;
	char		     *fixed = NULL, *q;
	const char	     *text = buf;
	size_t		      depth, values, i, fixedlen;

	if (len > TLSRPT_REPORT_MAX_BYTES) {
		finding_add(fl, FINDING_REPORT_TOO_LARGE, subject, 0,
		    "the report is %zu bytes, more than the %d allowed", len,
		    TLSRPT_REPORT_MAX_BYTES);
		return NULL;
	}
	if (rpt_prescan(buf, len, &depth, &values) != 0) {
		if (depth > TLSRPT_REPORT_MAX_DEPTH)
			finding_add(fl, FINDING_REPORT_TOO_LARGE, subject, 0,
			    "JSON nested more than %d levels deep",
			    TLSRPT_REPORT_MAX_DEPTH);
		else
			finding_add(fl, FINDING_REPORT_TOO_LARGE, subject, 0,
			    "more than %d JSON values",
			    TLSRPT_REPORT_MAX_VALUES);
		return NULL;
	}
	if (!utf8_is_valid(buf, len) || memchr(buf, '\0', len) != NULL) {
		fixed = rpt_repair_utf8(buf, len, &fixedlen);
		text = fixed;
		len = fixedlen;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL && json_error_code(&err) == json_error_duplicate_key) {
		q = rpt_quote(err.text);
		finding_add(fl, FINDING_REPORT_DUPLICATE_MEMBER, subject, 0,
		    "line %d: %s; the last one is used", err.line, q);
		free(q);
		root = json_loadb(text, len, 0, &err);
	}
	if (root == NULL) {
		q = rpt_quote(err.text);
		finding_add(fl, FINDING_REPORT_INVALID_JSON, subject, 0,
		    "not JSON: line %d column %d: %s", err.line, err.column, q);
		free(q);
		free(fixed);
		return NULL;
	}
	if (!json_is_object(root)) {
		finding_add(fl, FINDING_REPORT_INVALID_JSON, subject, 0,
		    "the document is JSON but not an object");
		json_decref(root);
		free(fixed);
		return NULL;
	}
	if (fixed != NULL)
		rpt_problem(&c, FINDING_REPORT_ENCODING,
		    "bytes that are not "
		    "UTF-8 were replaced with U+FFFD");
	free(fixed);

	r = xcalloc(1, sizeof(*r));
	r->organization = rpt_string(&c, root, "organization-name", "", 1);
	r->contact = rpt_string(&c, root, "contact-info", "", 1);
	r->report_id = rpt_string(&c, root, "report-id", "", 1);
	rpt_dates(&c, r, root);
	pols = json_object_get(root, "policies");
	if (pols == NULL || !json_is_array(pols))
		rpt_problem(&c, FINDING_REPORT_SCHEMA, "policies is %s",
		    pols == NULL ? "missing" : "not an array");
	else if (json_array_size(pols) > 0) {
		r->policies =
		    xcalloc(json_array_size(pols), sizeof(*r->policies));
		json_array_foreach(pols, i, e)
		{
			rpt_policy(&c, &r->policies[i], e, i);
			r->npolicies++;
		}
	}
	json_decref(root);
	if (c.suppressed > 0)
		finding_add(fl, FINDING_REPORT_SCHEMA, subject, 0,
		    "%zu more problems in this report not listed",
		    c.suppressed);
	r->nproblems = c.nproblems + c.suppressed;
	return r;
}

static void
rpt_free_list(char **l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void
tlsrpt_report_free(struct tlsrpt_report *r)
{
	struct tlsrpt_policy  *p;
	struct tlsrpt_failure *f;
	size_t		       i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->npolicies; i++) {
		p = &r->policies[i];
		free(p->type_name);
		free(p->domain);
		rpt_free_list(p->strings, p->nstrings);
		rpt_free_list(p->mx_hosts, p->nmx_hosts);
		for (j = 0; j < p->nfailures; j++) {
			f = &p->failures[j];
			free(f->result_name);
			free(f->sending_mta_ip);
			free(f->receiving_mx_hostname);
			free(f->receiving_mx_helo);
			free(f->receiving_ip);
			free(f->failure_reason_code);
			free(f->additional_information);
		}
		free(p->failures);
	}
	free(r->policies);
	free(r->organization);
	free(r->contact);
	free(r->report_id);
	free(r->start_text);
	free(r->end_text);
	free(r);
}

const char *
tlsrpt_result_name(enum tlsrpt_result res)
{
	if ((unsigned)res >= TLSRPT_RESULT__COUNT)
		res = TLSRPT_RESULT_UNKNOWN;
	return rpt_results[res].name;
}

enum tlsrpt_result
tlsrpt_result_lookup(const char *name)
{
	int i;

	for (i = 0; i < TLSRPT_RESULT_UNKNOWN; i++)
		if (strcmp(rpt_results[i].name, name) == 0)
			return (enum tlsrpt_result)i;
	return TLSRPT_RESULT_UNKNOWN;
}

const char *
tlsrpt_result_meaning(enum tlsrpt_result res)
{
	if ((unsigned)res >= TLSRPT_RESULT__COUNT)
		res = TLSRPT_RESULT_UNKNOWN;
	return rpt_results[res].meaning;
}

const char *
tlsrpt_result_fix(enum tlsrpt_result res)
{
	if ((unsigned)res >= TLSRPT_RESULT__COUNT)
		res = TLSRPT_RESULT_UNKNOWN;
	return rpt_results[res].fix;
}

const char *
tlsrpt_policy_type_name(enum tlsrpt_policy_type t)
{
	switch (t) {
	case TLSRPT_POLICY_STS:
		return "sts";
	case TLSRPT_POLICY_TLSA:
		return "tlsa";
	case TLSRPT_POLICY_NO_POLICY_FOUND:
		return "no-policy-found";
	case TLSRPT_POLICY_OTHER:
		return "other";
	default:
		return "missing";
	}
}
