#include "config.h"
#include "check_json.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certinfo.h"
#include "dns.h"
#include "domain.h"
#include "layer.h"
#include "report_json.h"
#include "strbuf.h"
#include "summary.h"
#include "utf8.h"
#include "xmalloc.h"

/* Bounds on what one document may make us hold. */
#define CHECK_JSON_MAX_FINDINGS 1024 /* per layer */
#define CHECK_JSON_MAX_CERTS	16   /* per chain */
#define CHECK_JSON_MAX_SANS	1000 /* per certificate */
#define CHECK_JSON_MAX_RRS	256  /* TXT records of an answer */
#define CHECK_JSON_MAX_STRS	256  /* character-strings of a record */
#define CHECK_JSON_MAX_CNAMES	16

/* What a snapshot keeps beside the layers' data. */
struct check_snap {
	char   *lines[CHECK_LAYER__COUNT][SUMMARY_MAX_LINES];
	size_t	nlines[CHECK_LAYER__COUNT];
	char   *text[CHECK_LAYER__COUNT]; /* the layer's object, indented */
	json_t *data[CHECK_LAYER__COUNT]; /* its "data", a reference */
};

static void
check_json_snap_free(void *p)
{
	struct check_snap *s = p;
	size_t		   l, i;

	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		for (i = 0; i < s->nlines[l]; i++)
			free(s->lines[l][i]);
		free(s->text[l]);
		json_decref(s->data[l]);
	}
	free(s);
}

static void
check_json_line(struct check_snap *s, enum check_layer l, char *line)
{
	if (s->nlines[l] == SUMMARY_MAX_LINES) {
		free(line);
		return;
	}
	s->lines[l][s->nlines[l]++] = line;
}

const char *
check_json_str(const json_t *o, const char *key)
{
	json_t *v;

	if (!json_is_object(o) || (v = json_object_get(o, key)) == NULL ||
	    !json_is_string(v))
		return NULL;
	return json_string_value(v);
}

char *
check_json_strdup(const json_t *o, const char *key)
{
	const char *s = check_json_str(o, key);

	return s != NULL ? xstrdup(s) : NULL;
}

long long
check_json_int(const json_t *o, const char *key, long long min, long long max,
    long long dflt)
{
	json_t	  *v;
	json_int_t i;

	if (!json_is_object(o) || (v = json_object_get(o, key)) == NULL ||
	    !json_is_integer(v))
		return dflt;
	i = json_integer_value(v);
	return i < min || i > max ? dflt : (long long)i;
}

int
check_json_bool(const json_t *o, const char *key)
{
	json_t *v;

	if (!json_is_object(o) || (v = json_object_get(o, key)) == NULL)
		return 0;
	return json_is_true(v);
}

const json_t *
check_json_array(const json_t *o, const char *key)
{
	json_t *v;

	if (!json_is_object(o) || (v = json_object_get(o, key)) == NULL ||
	    !json_is_array(v))
		return NULL;
	return v;
}

const json_t *
check_json_object(const json_t *o, const char *key)
{
	json_t *v;

	if (!json_is_object(o) || (v = json_object_get(o, key)) == NULL ||
	    !json_is_object(v))
		return NULL;
	return v;
}

size_t
check_json_count(const json_t *a, size_t max)
{
	size_t n = json_is_array(a) ? json_array_size(a) : 0;

	return n < max ? n : max;
}

char **
check_json_strings(const json_t *o, const char *key, size_t max, size_t *n)
{
	const json_t *a = check_json_array(o, key);
	json_t	     *v;
	size_t	      i, cnt = check_json_count(a, max);
	char	    **out;

	*n = 0;
	out = xcalloc(cnt + 1, sizeof(*out));
	for (i = 0; i < cnt; i++) {
		v = json_array_get(a, i);
		if (json_is_string(v))
			out[(*n)++] = xstrdup(json_string_value(v));
	}
	return out;
}

time_t
check_json_time(const json_t *o, const char *key)
{
	const char *s = check_json_str(o, key);
	struct tm   tm;
	char	    z;
	int	    n = 0;

	if (s == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon,
		&tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z,
		&n) != 7 ||
	    z != 'Z' || s[n] != '\0' || tm.tm_year < 1970 || tm.tm_mon < 1 ||
	    tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static void
check_json_hex(char *dst, size_t size, const char *src)
{
	/* Fixed-size fields: a longer stored value is cut, never overflows. */
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

struct dns_answer *
check_json_answer(const json_t *o)
{
	const json_t	  *q = check_json_object(o, "query");
	const json_t	  *txt = check_json_array(o, "txt"), *ro, *sa;
	struct dns_answer *a;
	struct dns_rr	  *rr;
	const char	  *s;
	json_t		  *v;
	size_t		   i, k, n, ns;
	int		   e;

	if (q == NULL || (s = check_json_str(q, "name")) == NULL)
		return NULL;
	a = xcalloc(1, sizeof(*a));
	a->qname = xstrdup(s);
	a->qtype = DNS_TYPE_TXT;
	a->status = DNS_ERROR;
	for (e = DNS_OK;
	     (s = check_json_str(q, "status")) != NULL && e <= DNS_ERROR; e++)
		if (strcmp(s, dns_status_name(e)) == 0)
			a->status = e;
	a->rcode = (int)check_json_int(q, "rcode", 0, 65535, 0);
	a->ad = check_json_bool(q, "ad");
	a->cname = check_json_strings(q, "cname_chain", CHECK_JSON_MAX_CNAMES,
	    &a->ncname);
	a->error = check_json_strdup(q, "error");
	a->elapsed_ms =
	    (unsigned)check_json_int(q, "elapsed_ms", 0, UINT_MAX, 0);
	n = check_json_count(txt, CHECK_JSON_MAX_RRS);
	a->rr = xcalloc(n + 1, sizeof(*a->rr));
	for (i = 0; i < n; i++) {
		ro = json_array_get(txt, i);
		if ((sa = check_json_array(ro, "strings")) == NULL)
			continue;
		rr = &a->rr[a->nrr++];
		rr->type = DNS_TYPE_TXT;
		rr->ttl = (uint32_t)check_json_int(ro, "ttl", 0, UINT32_MAX, 0);
		ns = check_json_count(sa, CHECK_JSON_MAX_STRS);
		rr->str = xcalloc(ns + 1, sizeof(*rr->str));
		for (k = 0; k < ns; k++) {
			if (!json_is_string(v = json_array_get(sa, k)))
				continue;
			/* Any byte, NUL-terminated, as dns.c keeps them. */
			rr->str[rr->nstr].len = json_string_length(v);
			rr->str[rr->nstr].data =
			    xmalloc(rr->str[rr->nstr].len + 1);
			memcpy(rr->str[rr->nstr].data, json_string_value(v),
			    rr->str[rr->nstr].len + 1);
			rr->nstr++;
		}
	}
	return a;
}

int
check_json_chain(const json_t *o, struct certinfo_chain **chain,
    struct certinfo_verify **verify)
{
	const json_t	       *certs = check_json_array(o, "certificates");
	const json_t	       *co, *lk, *vo;
	struct certinfo_chain  *ch;
	struct certinfo_verify *vf = NULL;
	struct certinfo	       *ci;
	const char	       *m;
	size_t	i, k, n = check_json_count(certs, CHECK_JSON_MAX_CERTS);
	json_t *sb;
	int	e;

	*chain = NULL;
	*verify = NULL;
	if (n == 0)
		return -1;
	ch = xcalloc(1, sizeof(*ch));
	ch->certs = xcalloc(n, sizeof(*ch->certs));
	vo = check_json_object(o, "verification");
	if (vo != NULL) {
		vf = xcalloc(1, sizeof(*vf));
		vf->links = xcalloc(n, sizeof(*vf->links));
		vf->matched_dns = -1;
	}
	for (i = 0; i < n; i++) {
		co = json_array_get(certs, i);
		ci = &ch->certs[ch->ncerts++];
		ci->subject = check_json_strdup(co, "subject");
		ci->issuer = check_json_strdup(co, "issuer");
		ci->dns_names = check_json_strings(co, "san_dns",
		    CHECK_JSON_MAX_SANS, &ci->ndns);
		ci->ip_addrs = check_json_strings(co, "san_ip",
		    CHECK_JSON_MAX_SANS, &ci->nip);
		ci->not_before = check_json_time(co, "not_before");
		ci->not_after = check_json_time(co, "not_after");
		ci->days_left =
		    (long)check_json_int(co, "days_left", -1000000, 1000000, 0);
		ci->key = check_json_strdup(co, "key");
		ci->sig_alg = check_json_strdup(co, "signature_algorithm");
		check_json_hex(ci->fpr_sha256, sizeof(ci->fpr_sha256),
		    check_json_str(co, "sha256"));
		check_json_hex(ci->spki_sha256, sizeof(ci->spki_sha256),
		    check_json_str(co, "spki_sha256"));
		ci->is_ca = check_json_bool(co, "ca");
		ci->self_signed = check_json_bool(co, "self_signed");
		if (vf == NULL)
			continue;
		lk = check_json_object(co, "link");
		sb = lk != NULL ? json_object_get(lk, "signed_by_next") : NULL;
		vf->links[i].signed_by_next =
		    json_is_boolean(sb) ? json_is_true(sb) : -1;
		vf->links[i].is_anchor = check_json_bool(lk, "is_anchor");
		vf->links[i].anchor = check_json_strdup(lk, "anchor");
		vf->links[i].in_path = check_json_bool(lk, "in_path");
		vf->nlinks++;
	}
	if (vf != NULL) {
		vf->verdict = CERTINFO_OTHER;
		for (e = CERTINFO_OK; e <= CERTINFO_NOT_YET_VALID; e++) {
			m = check_json_str(vo, "verdict");
			if (m != NULL &&
			    strcmp(m, certinfo_verdict_name(e)) == 0)
				vf->verdict = e;
		}
		vf->detail = check_json_strdup(vo, "detail");
		if (vf->detail == NULL)
			vf->detail = xstrdup("");
		vf->anchor = check_json_strdup(vo, "anchor");
		vf->anchor_source = check_json_strdup(vo, "anchor_source");
		m = check_json_str(vo, "matched_san");
		for (k = 0; m != NULL && k < ch->certs[0].ndns; k++) {
			if (strcmp(m, ch->certs[0].dns_names[k]) == 0) {
				vf->matched_dns = (long)k;
				break;
			}
		}
	}
	*chain = ch;
	*verify = vf;
	return 0;
}

static int
check_json_status(const char *s, enum check_status *st)
{
	int i;

	for (i = CHECK_PENDING; s != NULL && i <= CHECK_CUT; i++) {
		if (strcmp(s, check_status_name(i)) == 0) {
			*st = i;
			return 0;
		}
	}
	return -1;
}

static enum check_layer
check_json_layer_id(const char *s)
{
	int l;

	for (l = 0; s != NULL && l < CHECK_LAYER__COUNT; l++)
		if (strcmp(s, check_layer_name(l)) == 0)
			return l;
	return CHECK_LAYER__COUNT;
}

/* One stored finding, rebuilt from its code through the finding table. */
static void
check_json_finding(struct check *c, struct check_snap *s, enum check_layer l,
    const json_t *o)
{
	const char	     *code = check_json_str(o, "code");
	const char	     *sev = check_json_str(o, "severity");
	const char	     *msg = check_json_str(o, "message");
	const char	     *fix = check_json_str(o, "fix");
	enum finding_severity v;
	struct finding	     *f;
	int		      k;

	if (!json_is_object(o))
		return;
	k = code != NULL ? finding_code_lookup(code) : -1;
	if (k < 0) {
		/* Kept where people look, not dropped: a newer build's code. */
		check_json_line(s, l,
		    xasprintf("unknown finding %s (%s): %s",
			code != NULL ? code : "(no code)",
			sev != NULL ? sev : "?", msg != NULL ? msg : ""));
		return;
	}
	f = finding_add(check_layer_fl(c, l), k, check_json_str(o, "subject"),
	    (unsigned)check_json_int(o, "line", 1, UINT_MAX, 0),
	    msg != NULL ? "%s" : NULL, msg);
	for (v = FINDING_INFO; sev != NULL && v <= FINDING_ERROR; v++)
		if (strcmp(sev, finding_severity_name(v)) == 0)
			f->severity = v;
	if (fix != NULL && strcmp(fix, finding_code_fix(k)) != 0)
		finding_set_fix(f, "%s", fix);
}

static int
check_json_layer(struct check *c, struct check_snap *s, const json_t *lo,
    char **why)
{
	enum check_layer  l = check_json_layer_id(check_json_str(lo, "id"));
	enum check_status st;
	const json_t	 *a;
	json_t		 *v;
	size_t		  i, n;

	if (l == CHECK_LAYER__COUNT)
		return 0; /* a layer this build does not have */
	if (s->text[l] != NULL) {
		*why = xasprintf("layer %s appears twice", check_layer_name(l));
		return -1;
	}
	/* A finished check only: nothing in it may still be running. */
	if (check_json_status(check_json_str(lo, "status"), &st) != 0 ||
	    st == CHECK_PENDING || st == CHECK_RUNNING) {
		*why = xasprintf("layer %s: no status of a finished check",
		    check_layer_name(l));
		return -1;
	}
	s->text[l] = json_dumps(lo, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (check_json_object(lo, "data") != NULL)
		s->data[l] = json_incref(json_object_get(lo, "data"));
	a = check_json_array(lo, "summary");
	n = check_json_count(a, SUMMARY_MAX_LINES);
	for (i = 0; i < n; i++)
		if (json_is_string(v = json_array_get(a, i)))
			check_json_line(s, l, xstrdup(json_string_value(v)));
	a = check_json_array(lo, "findings");
	n = check_json_count(a, CHECK_JSON_MAX_FINDINGS);
	for (i = 0; i < n; i++)
		check_json_finding(c, s, l, json_array_get(a, i));
	/* The stored order is already worst first; sorting keeps it. */
	check_layer_finish(c, l,
	    (unsigned)check_json_int(lo, "elapsed_ms", 0, UINT_MAX, 0));
	if (check_json_str(lo, "skip_reason") != NULL)
		check_layer_skip(c, l, check_json_str(lo, "skip_reason"));
	check_layer_set_status(c, l, st);
	return 0;
}

static struct check *
check_json_build(const json_t *root, char **why)
{
	struct check_options	  o;
	struct check		 *c;
	struct check_snap	 *s;
	const json_t		 *layers, *lo;
	const char		 *domain;
	const struct layer_class *k;
	time_t			  at;
	size_t			  i, n;
	int			  l, seen[CHECK_LAYER__COUNT];
	char			 *cause;

	if (!json_is_object(root)) {
		*why = xstrdup("not a JSON object");
		return NULL;
	}
	if (!json_is_integer(json_object_get(root, "version"))) {
		*why = xasprintf("no integer version member: not a check "
				 "document (this build reads version %d)",
		    REPORT_JSON_VERSION);
		return NULL;
	}
	if (check_json_int(root, "version", 0, INT_MAX, -1) !=
	    REPORT_JSON_VERSION) {
		*why = xasprintf("a check document of version %lld: this "
				 "build reads version %d only",
		    (long long)json_integer_value(
			json_object_get(root, "version")),
		    REPORT_JSON_VERSION);
		return NULL;
	}
	if ((domain = check_json_str(root, "domain")) == NULL) {
		*why = xstrdup("no domain");
		return NULL;
	}
	if (domain_check_ldh(domain, 0, &cause) != 0) {
		*why = xasprintf("domain: %s", cause);
		free(cause);
		return NULL;
	}
	if ((at = check_json_time(root, "checked_at")) == 0) {
		*why = xstrdup("no valid checked_at time");
		return NULL;
	}
	if ((layers = check_json_array(root, "layers")) == NULL) {
		*why = xstrdup("no layers array");
		return NULL;
	}
	memset(&o, 0, sizeof(o));
	o.now = at;
	o.no_history = 1;
	c = check_new(domain, &o);
	s = xcalloc(1, sizeof(*s));
	check_set_snapshot(c, s, check_json_snap_free,
	    (unsigned)check_json_int(root, "elapsed_ms", 0, UINT_MAX, 0));
	if (check_json_str(root, "failure") != NULL)
		check_set_failure(c, check_json_strdup(root, "failure"));
	n = check_json_count(layers, 4 * CHECK_LAYER__COUNT);
	for (i = 0; i < n; i++) {
		if (check_json_layer(c, s, json_array_get(layers, i), why) !=
		    0) {
			check_free(c);
			return NULL;
		}
	}
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		lo = json_array_get(layers, i);
		l = check_json_layer_id(check_json_str(lo, "id"));
		if (l == CHECK_LAYER__COUNT || seen[l]++)
			continue;
		k = layer_class(l);
		if (k->load != NULL)
			check_layer_set_data(c, l,
			    k->load(check_json_object(lo, "data"), root, c));
	}
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		if (s->text[l] == NULL)
			check_layer_skip(c, l, "not in the stored document");
	}
	/* Every reader of a finished check counts on its verdict. */
	if (check_verdict(c) == NULL && check_failure(c) == NULL) {
		check_free(c);
		*why = xstrdup("no valid verdict");
		return NULL;
	}
	return c;
}

struct check *
check_from_json(const char *doc, size_t len, char **why)
{
	json_error_t  err;
	json_t	     *root;
	struct check *c;

	*why = NULL;
	if (len > CHECK_JSON_MAX) {
		*why = xasprintf("the document is over %u MiB",
		    CHECK_JSON_MAX / 1024 / 1024);
		return NULL;
	}
	/* NULs: a policy body may hold them (escaped as \u0000). */
	root =
	    json_loadb(doc, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (root == NULL) {
		/* A whole scan output: say which part is wanted. */
		*why = xasprintf("not JSON: %s (line %d, column %d)%s",
		    err.text, err.line, err.column,
		    strstr(err.text, "end of file expected") != NULL
			? ": one document (one line of a scan) is read"
			: "");
		return NULL;
	}
	c = check_json_build(root, why);
	json_decref(root);
	return c;
}

int
check_is_snapshot(const struct check *c)
{
	return c != NULL && check_snapshot(c) != NULL;
}

int
check_json_kept(const struct check *c, enum check_layer l)
{
	return check_is_snapshot(c) && (unsigned)l < CHECK_LAYER__COUNT &&
	    check_layer_data(c, l) != NULL;
}

const char *
check_json_layer_text(const struct check *c, enum check_layer l)
{
	const struct check_snap *s = check_snapshot(c);

	return s != NULL && (unsigned)l < CHECK_LAYER__COUNT ? s->text[l]
							     : NULL;
}

const json_t *
check_json_layer_data(const struct check *c, enum check_layer l)
{
	const struct check_snap *s = check_snapshot(c);

	return s != NULL && (unsigned)l < CHECK_LAYER__COUNT ? s->data[l]
							     : NULL;
}

/*
 * A stored line made safe to print.  It was neutralised when it was made
 * (utf8_sanitize), so only what a hand-written file may add is escaped --
 * control characters, invisible characters, invalid UTF-8 (and, in ASCII,
 * every other byte over 0x7e) -- and a backslash is left alone: the line
 * reads as the live one did, and escaping it again changes nothing.
 */
static char *
check_json_neutral(const char *s, int ascii)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		     len = strlen(s), i = 0, n;
	unsigned int	     cp;
	struct strbuf	     sb;

	/* At most 8 bytes out for one in ("<U+XXXX>" for 2 or more). */
	strbuf_init(&sb, 8 * len + 1);
	while (i < len) {
		n = utf8_valid_prefix(p + i, len - i);
		if (n == 0 || p[i] < 0x20 || p[i] == 0x7f ||
		    (ascii && p[i] > 0x7e)) {
			strbuf_addf(&sb, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if ((cp = utf8_hidden(p + i, n)) != 0)
			strbuf_addf(&sb, "<U+%04X>", cp);
		else
			strbuf_add(&sb, p + i, n);
		i += n;
	}
	return strbuf_detach(&sb, NULL);
}

void
check_json_summary(struct summary *sum, const struct check *c,
    enum check_layer l, int ascii)
{
	const struct check_snap *s = check_snapshot(c);
	size_t			 i;

	if (s == NULL || (unsigned)l >= CHECK_LAYER__COUNT)
		return;
	/* Stored text is hostile too: neutralised as network text is. */
	for (i = 0; i < s->nlines[l] && sum->n < SUMMARY_MAX_LINES; i++)
		sum->line[sum->n++] = check_json_neutral(s->lines[l][i], ascii);
}
