#include "config.h"
#include "fleet.h"

#include <stdlib.h>
#include <string.h>

#include "doc_certs.h"
#include "xmalloc.h"

/*
 * The class vocabulary (doc/scale.md); the mx_mismatch_* names follow
 * mx_diagnose_class_name() plus "unknown" for a document without why_class.
 */
static const char *const fleet_classes[] = { "record_invalid",
	"policy_tls_name", "policy_not_served", "policy_invalid",
	"mx_mismatch_typo", "mx_mismatch_policy_host",
	"mx_mismatch_same_domain", "mx_mismatch_stale", "mx_mismatch_tld",
	"mx_mismatch_wildcard_depth", "mx_mismatch_complete",
	"mx_mismatch_unknown", "mx_cert_some", "mx_cert_all", "tlsrpt_invalid",
	NULL };

static const char *const fleet_answers[] = { "all", "some", "none", "no_mail",
	"unknown", "failed", NULL };
static const char *const fleet_modes[] = { "enforce", "testing", "none",
	"no_policy", "unknown", NULL };

/* What an MTA-STS sender rejects in an MX certificate (chain verdicts). */
static const char *const fleet_bad_cert[] = { "untrusted", "expired",
	"not-yet-valid", "name-mismatch", "incomplete-chain", NULL };

#define FLEET_MAX_CLASSES 16 /* more than the vocabulary */

/* Classes being gathered for one document. */
struct fleet_set {
	const char *cls[FLEET_MAX_CLASSES];
	size_t	    n;
};

typedef void fleet_test_fn(const json_t *, const struct fleet_set *,
    struct fleet_set *);

static void fleet_record_invalid(const json_t *, const struct fleet_set *,
    struct fleet_set *);
static void fleet_not_served(const json_t *, const struct fleet_set *,
    struct fleet_set *);
static void fleet_policy_invalid(const json_t *, const struct fleet_set *,
    struct fleet_set *);
static void fleet_mx_mismatch(const json_t *, const struct fleet_set *,
    struct fleet_set *);
static void fleet_mx_cert(const json_t *, const struct fleet_set *,
    struct fleet_set *);
static void fleet_tlsrpt_unusable(const json_t *, const struct fleet_set *,
    struct fleet_set *);

/*
 * The classification: each row is a finding code that gives a class, or a
 * predicate over the document's data that adds one (the mx rows choose
 * within their family).  Rows run in order; a predicate sees the classes
 * found so far (policy_not_served is "for any reason but the TLS name").
 * Rows marked STS apply only when an _mta-sts TXT record was published: a
 * scan of a whole zone must not call the web host behind a wildcard
 * mta-sts.DOMAIN, or a self-signed MX, of a domain that never deployed
 * MTA-STS a misconfiguration.
 */
#define STS 1
static const struct fleet_rule {
	const char    *cls;	     /* class, or the family a predicate
				       picks in */
	int	       needs_record; /* STS: only with an _mta-sts record */
	const char    *code;	     /* finding code, or NULL */
	fleet_test_fn *test;	     /* predicate, or NULL */
} fleet_rules[] = {
	{ "record_invalid", STS, NULL, fleet_record_invalid },
	{ "policy_tls_name", STS, "fetch.tls_name_mismatch", NULL },
	{ "policy_not_served", STS, NULL, fleet_not_served },
	{ "policy_invalid", STS, NULL, fleet_policy_invalid },
	{ "mx_mismatch_*", STS, NULL, fleet_mx_mismatch },
	{ "mx_cert_*", STS, NULL, fleet_mx_cert },
	{ "tlsrpt_invalid", 0, "tlsrpt.multiple", NULL },
	{ "tlsrpt_invalid", 0, "tlsrpt.syntax", NULL },
	{ "tlsrpt_invalid", 0, "tlsrpt.rua_missing", NULL },
	{ "tlsrpt_invalid", 0, "tlsrpt.rua_invalid", NULL },
	{ "tlsrpt_invalid", 0, "tlsrpt.no_destination", NULL },
	{ "tlsrpt_invalid", 0, NULL, fleet_tlsrpt_unusable },
};
#undef STS

const char *const *
fleet_answer_names(void)
{
	return fleet_answers;
}

const char *const *
fleet_mode_names(void)
{
	return fleet_modes;
}

const char *const *
fleet_class_names(void)
{
	return fleet_classes;
}

/* The static name of cls in list, or NULL. */
static const char *
fleet_known(const char *const *list, const char *s)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return list[i];
	return NULL;
}

static int
fleet_has(const struct fleet_set *set, const char *cls)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->cls[i], cls) == 0)
			return 1;
	return 0;
}

static void
fleet_set_add(struct fleet_set *set, const char *cls)
{
	const char *name = fleet_known(fleet_classes, cls);

	if (name != NULL && !fleet_has(set, name) && set->n < FLEET_MAX_CLASSES)
		set->cls[set->n++] = name;
}

static const char *
fleet_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The domain publishes an _mta-sts TXT record (valid or not). */
static int
fleet_has_record(const json_t *doc)
{
	const json_t *rec =
	    json_object_get(doc_layer_data(doc, "dns"), "record");

	return json_integer_value(json_object_get(rec, "candidates")) > 0;
}

static void
fleet_record_invalid(const json_t *doc, const struct fleet_set *sofar,
    struct fleet_set *out)
{
	const json_t *rec =
	    json_object_get(doc_layer_data(doc, "dns"), "record");

	(void)sofar;
	if (fleet_has_record(doc) &&
	    json_is_false(json_object_get(rec, "valid")))
		fleet_set_add(out, "record_invalid");
}

static void
fleet_not_served(const json_t *doc, const struct fleet_set *sofar,
    struct fleet_set *out)
{
	const json_t *fetch = doc_layer_data(doc, "fetch");

	if (fleet_has(sofar, "policy_tls_name"))
		return;
	if (!json_is_string(json_object_get(fetch, "body_from")))
		fleet_set_add(out, "policy_not_served");
}

static void
fleet_policy_invalid(const json_t *doc, const struct fleet_set *sofar,
    struct fleet_set *out)
{
	const json_t *fetch = doc_layer_data(doc, "fetch");
	const json_t *policy = doc_layer_data(doc, "policy");

	(void)sofar;
	if (json_is_string(json_object_get(fetch, "body_from")) &&
	    json_is_false(json_object_get(policy, "valid")))
		fleet_set_add(out, "policy_invalid");
}

/* Each MX host judged and not covered, by its why_class. */
static void
fleet_mx_mismatch(const json_t *doc, const struct fleet_set *sofar,
    struct fleet_set *out)
{
	const json_t *hosts, *h;
	const char   *why;
	char	      name[64];
	size_t	      i;

	(void)sofar;
	hosts = json_object_get(doc_layer_data(doc, "mx"), "hosts");
	json_array_foreach(hosts, i, h)
	{
		if (!json_is_true(json_object_get(h, "judged")) ||
		    !json_is_null(json_object_get(h, "covered_by")))
			continue;
		why = fleet_str(h, "why_class");
		snprintf(name, sizeof(name), "mx_mismatch_%s",
		    why != NULL && strlen(why) < 32 ? why : "unknown");
		if (fleet_known(fleet_classes, name) == NULL)
			snprintf(name, sizeof(name), "mx_mismatch_unknown");
		fleet_set_add(out, name);
	}
}

/* Of the MX addresses that presented a certificate, how many are bad. */
static void
fleet_mx_cert(const json_t *doc, const struct fleet_set *sofar,
    struct fleet_set *out)
{
	const json_t *hosts, *h, *addrs, *a, *v;
	size_t	      i, k, seen = 0, bad = 0;

	(void)sofar;
	hosts = json_object_get(doc_layer_data(doc, "mx_tls"), "hosts");
	json_array_foreach(hosts, i, h)
	{
		addrs = json_object_get(h, "addresses");
		json_array_foreach(addrs, k, a)
		{
			v = json_object_get(json_object_get(a, "chain"),
			    "verification");
			if (!json_is_string(json_object_get(v, "verdict")))
				continue;
			seen++;
			if (fleet_known(fleet_bad_cert,
				fleet_str(v, "verdict")) != NULL)
				bad++;
		}
	}
	if (bad > 0)
		fleet_set_add(out,
		    bad == seen ? "mx_cert_all" : "mx_cert_some");
}

/* A record was found (raw text) and is not usable. */
static void
fleet_tlsrpt_unusable(const json_t *doc, const struct fleet_set *sofar,
    struct fleet_set *out)
{
	const json_t *rec;

	(void)sofar;
	rec = json_object_get(doc_layer_data(doc, "tlsrpt"), "record");
	if (json_is_string(json_object_get(rec, "raw")) &&
	    json_is_false(json_object_get(rec, "usable")))
		fleet_set_add(out, "tlsrpt_invalid");
}

static int
fleet_has_finding(const json_t *doc, const char *code)
{
	const json_t *fs, *f;
	const char   *c;
	size_t	      i;

	fs = json_object_get(doc, "findings");
	json_array_foreach(fs, i, f)
	{
		if ((c = fleet_str(f, "code")) != NULL && strcmp(c, code) == 0)
			return 1;
	}
	return 0;
}

/* A short token of [a-z0-9._-], as codes and A-labels are; else NULL. */
static char *
fleet_token(const char *s, size_t max)
{
	char  *t;
	size_t i, n;

	if (s == NULL || (n = strlen(s)) == 0 || n > max)
		return NULL;
	t = xstrdup(s);
	for (i = 0; i < n; i++) {
		if (t[i] >= 'A' && t[i] <= 'Z')
			t[i] = (char)(t[i] - 'A' + 'a');
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
			(t[i] >= '0' && t[i] <= '9') || t[i] == '.' ||
			t[i] == '-' || t[i] == '_')) {
			free(t);
			return NULL;
		}
	}
	return t;
}

static int
fleet_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The soonest days_left of the first certificate of chain. */
static void
fleet_expiry(const json_t *chain, struct fleet_row *row)
{
	const json_t *d;

	d = json_object_get(
	    json_array_get(json_object_get(chain, "certificates"), 0),
	    "days_left");
	if (!json_is_integer(d))
		return;
	if (!row->has_expiry || json_integer_value(d) < row->expiry_days)
		row->expiry_days = (long)json_integer_value(d);
	row->has_expiry = 1;
}

static void
fleet_expiries(const json_t *doc, struct fleet_row *row)
{
	const json_t *list, *addrs;
	size_t	      i, k;

	list = json_object_get(doc_layer_data(doc, "fetch"), "attempts");
	for (i = 0; i < json_array_size(list); i++)
		fleet_expiry(json_object_get(json_array_get(list, i), "chain"),
		    row);
	list = json_object_get(doc_layer_data(doc, "mx_tls"), "hosts");
	for (i = 0; i < json_array_size(list); i++) {
		addrs = json_object_get(json_array_get(list, i), "addresses");
		for (k = 0; k < json_array_size(addrs); k++)
			fleet_expiry(
			    json_object_get(json_array_get(addrs, k), "chain"),
			    row);
	}
}

int
fleet_classify(const json_t *doc, struct fleet_row *row, const char **cause)
{
	const json_t		*verdict, *bl, *b;
	const struct fleet_rule *r;
	struct fleet_set	 set;
	const char		*s;
	size_t			 i;
	int			 sts;

	memset(row, 0, sizeof(*row));
	if (!json_is_object(doc)) {
		*cause = "not a JSON object";
		return -1;
	}
	if ((row->domain = fleet_token(fleet_str(doc, "domain"), 253)) ==
	    NULL) {
		*cause = "no \"domain\" member with an A-label";
		return -1;
	}
	verdict = json_object_get(doc, "verdict");
	s = fleet_str(json_object_get(verdict, "delivery"), "state");
	row->answer = fleet_known(fleet_answers, s);
	if (row->answer == NULL || strcmp(row->answer, "failed") == 0)
		row->answer = "unknown";
	if (json_is_string(json_object_get(doc, "failure")))
		row->answer = "failed";
	s = fleet_str(verdict, "mode");
	if (s == NULL)
		row->mode = "no_policy";
	else if ((row->mode = fleet_known(fleet_modes, s)) == NULL ||
	    strcmp(row->mode, "no_policy") == 0)
		row->mode = "unknown";

	bl = json_object_get(json_object_get(verdict, "promotion"), "blockers");
	row->blockers = xcalloc(json_array_size(bl) + 1, sizeof(char *));
	json_array_foreach(bl, i, b)
	{
		if ((s = fleet_token(fleet_str(b, "code"), 64)) == NULL)
			continue;
		if (fleet_known((const char *const *)row->blockers, s)) {
			free((char *)s);
			continue;
		}
		row->blockers[row->nblockers++] = (char *)s;
	}
	qsort(row->blockers, row->nblockers, sizeof(char *), fleet_cmp_str);

	memset(&set, 0, sizeof(set));
	sts = fleet_has_record(doc);
	/* A check that could not be made says nothing about the domain. */
	for (i = 0; strcmp(row->answer, "failed") != 0 &&
	     i < sizeof(fleet_rules) / sizeof(fleet_rules[0]);
	     i++) {
		r = &fleet_rules[i];
		if (r->needs_record && !sts)
			continue;
		if (r->code != NULL && fleet_has_finding(doc, r->code))
			fleet_set_add(&set, r->cls);
		if (r->test != NULL)
			r->test(doc, &set, &set);
	}
	row->classes = xcalloc(set.n + 1, sizeof(char *));
	memcpy(row->classes, set.cls, set.n * sizeof(char *));
	row->nclasses = set.n;
	qsort(row->classes, row->nclasses, sizeof(char *), fleet_cmp_str);
	fleet_expiries(doc, row);
	return 0;
}

const char *
fleet_layer_status(const json_t *doc, const char *id)
{
	return fleet_str(doc_layer(doc, id), "status");
}

long
fleet_mx_count(const json_t *doc)
{
	const json_t *hosts =
	    json_object_get(doc_layer_data(doc, "mx"), "hosts");

	return json_is_array(hosts) ? (long)json_array_size(hosts) : -1;
}

long
fleet_elapsed_ms(const json_t *doc)
{
	const json_t *e = json_object_get(doc, "elapsed_ms");

	return json_is_integer(e) && json_integer_value(e) >= 0
	    ? (long)json_integer_value(e)
	    : -1;
}

void
fleet_row_clear(struct fleet_row *row)
{
	size_t i;

	for (i = 0; i < row->nblockers; i++)
		free(row->blockers[i]);
	free(row->blockers);
	free(row->classes);
	free(row->domain);
	free(row->where);
	memset(row, 0, sizeof(*row));
}

struct fleet {
	fleet_note_fn	   *note;
	void		   *arg;
	struct fleet_row   *rows;
	size_t		    nrows, cap;
	unsigned long	    seq;
	int		    done; /* sorted, deduplicated and tallied */
	struct fleet_tally *tally[FLEET_NDIM];
	size_t		    ntally[FLEET_NDIM];
};

struct fleet *
fleet_new(fleet_note_fn *note, void *arg)
{
	struct fleet *f = xcalloc(1, sizeof(*f));

	f->note = note;
	f->arg = arg;
	return f;
}

static void
fleet_tallies_free(struct fleet *f)
{
	size_t d, i;

	for (d = 0; d < FLEET_NDIM; d++) {
		for (i = 0; i < f->ntally[d]; i++)
			free(f->tally[d][i].domains);
		free(f->tally[d]);
		f->tally[d] = NULL;
		f->ntally[d] = 0;
	}
}

void
fleet_free(struct fleet *f)
{
	size_t i;

	if (f == NULL)
		return;
	fleet_tallies_free(f);
	for (i = 0; i < f->nrows; i++)
		fleet_row_clear(&f->rows[i]);
	free(f->rows);
	free(f);
}

int
fleet_add(struct fleet *f, const json_t *doc, const char *where)
{
	struct fleet_row row;
	const char	*cause;

	if (fleet_classify(doc, &row, &cause) != 0) {
		if (f->note != NULL) {
			char *t = xasprintf("%s: skipped: %s",
			    where != NULL ? where : "-", cause);
			f->note(f->arg, t);
			free(t);
		}
		return -1;
	}
	row.seq = f->seq++;
	row.where = xstrdup(where != NULL ? where : "-");
	if (f->nrows == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->rows = xreallocarray(f->rows, f->cap, sizeof(*f->rows));
	}
	f->rows[f->nrows++] = row;
	f->done = 0;
	return 0;
}

static int
fleet_cmp_row(const void *a, const void *b)
{
	const struct fleet_row *x = a, *y = b;
	int			c = strcmp(x->domain, y->domain);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The tally of key in dimension d, added (empty) when new. */
static struct fleet_tally *
fleet_tally_get(struct fleet *f, enum fleet_dim d, const char *key)
{
	struct fleet_tally *t;
	size_t		    i;

	for (i = 0; i < f->ntally[d]; i++)
		if (strcmp(f->tally[d][i].key, key) == 0)
			return &f->tally[d][i];
	f->tally[d] =
	    xreallocarray(f->tally[d], f->ntally[d] + 1, sizeof(*f->tally[d]));
	t = &f->tally[d][f->ntally[d]++];
	memset(t, 0, sizeof(*t));
	t->key = key;
	return t;
}

/* Appends; capacity doubles at powers of two. */
static void
fleet_tally_push(struct fleet_tally *t, const char *domain)
{
	if ((t->n & (t->n - 1)) == 0)
		t->domains = xreallocarray(t->domains, t->n ? t->n * 2 : 1,
		    sizeof(*t->domains));
	t->domains[t->n++] = domain;
}

static int
fleet_cmp_tally(const void *a, const void *b)
{
	const struct fleet_tally *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

static void
fleet_finish(struct fleet *f)
{
	struct fleet_row *r;
	size_t		  i, k, out;
	char		 *t;

	if (f->done)
		return;
	fleet_tallies_free(f);
	if (f->nrows > 1)
		qsort(f->rows, f->nrows, sizeof(*f->rows), fleet_cmp_row);
	for (i = 0, out = 0; i < f->nrows; i++) {
		if (i + 1 < f->nrows &&
		    strcmp(f->rows[i].domain, f->rows[i + 1].domain) == 0) {
			if (f->note != NULL) {
				t = xasprintf("%s: %s is replaced by %s",
				    f->rows[i].domain, f->rows[i].where,
				    f->rows[i + 1].where);
				f->note(f->arg, t);
				free(t);
			}
			fleet_row_clear(&f->rows[i]);
			continue;
		}
		f->rows[out++] = f->rows[i];
	}
	f->nrows = out;

	for (i = 0; fleet_answers[i] != NULL; i++)
		fleet_tally_get(f, FLEET_ANSWER, fleet_answers[i]);
	for (i = 0; fleet_modes[i] != NULL; i++)
		fleet_tally_get(f, FLEET_MODE, fleet_modes[i]);
	for (i = 0; fleet_classes[i] != NULL; i++)
		fleet_tally_get(f, FLEET_CLASS, fleet_classes[i]);
	for (i = 0; i < f->nrows; i++) {
		r = &f->rows[i];
		fleet_tally_push(fleet_tally_get(f, FLEET_ANSWER, r->answer),
		    r->domain);
		fleet_tally_push(fleet_tally_get(f, FLEET_MODE, r->mode),
		    r->domain);
		for (k = 0; k < r->nblockers; k++)
			fleet_tally_push(
			    fleet_tally_get(f, FLEET_BLOCKER, r->blockers[k]),
			    r->domain);
		for (k = 0; k < r->nclasses; k++)
			fleet_tally_push(
			    fleet_tally_get(f, FLEET_CLASS, r->classes[k]),
			    r->domain);
	}
	if (f->ntally[FLEET_BLOCKER] > 1)
		qsort(f->tally[FLEET_BLOCKER], f->ntally[FLEET_BLOCKER],
		    sizeof(struct fleet_tally), fleet_cmp_tally);
	f->done = 1;
}

size_t
fleet_count(struct fleet *f)
{
	fleet_finish(f);
	return f->nrows;
}

const struct fleet_row *
fleet_row_at(struct fleet *f, size_t i)
{
	fleet_finish(f);
	return i < f->nrows ? &f->rows[i] : NULL;
}

size_t
fleet_tally_count(struct fleet *f, enum fleet_dim d)
{
	fleet_finish(f);
	return (unsigned)d < FLEET_NDIM ? f->ntally[d] : 0;
}

const struct fleet_tally *
fleet_tally_at(struct fleet *f, enum fleet_dim d, size_t i)
{
	fleet_finish(f);
	return (unsigned)d < FLEET_NDIM && i < f->ntally[d] ? &f->tally[d][i]
							    : NULL;
}

const char *
fleet_dim_name(enum fleet_dim d)
{
	static const char *const names[FLEET_NDIM] = { "answer", "mode",
		"blockers", "classes" };

	return (unsigned)d < FLEET_NDIM ? names[d] : "?";
}
