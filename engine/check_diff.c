#include "config.h"
#include "check_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xmalloc.h"

/*
 * Each aspect reads a document into items: (subject, key, show).  Two
 * documents' items are compared per subject: a "scalar" aspect has one
 * value per subject (a change shows old -> new), a "set" aspect many (each
 * member added or gone on its own).  The key is what is compared, show
 * what is printed (a finding is compared by code and subject but shown
 * with its message).
 */
struct diff_item {
	char *layer;
	char *subject;
	char *key;
	char *show;
};

struct diff_items {
	struct diff_item *v;
	size_t		  n, size;
};

struct check_diff {
	struct check_diff_change *v;
	size_t			  n, size;
	int			  truncated;
};

typedef void diff_read_fn(const json_t *doc, struct diff_items *);

struct diff_aspect {
	enum check_diff_kind kind;	/* of a change, or of an addition */
	enum check_diff_kind gone_kind; /* of a removal */
	int		     set;
	diff_read_fn	    *read;
};

static diff_read_fn diff_read_id, diff_read_policy, diff_read_policy_mx,
    diff_read_mx, diff_read_address, diff_read_cert, diff_read_finding,
    diff_read_layer, diff_read_verdict;

static const struct diff_aspect diff_aspects[] = {
	{ CHECK_DIFF_ID, CHECK_DIFF_ID, 0, diff_read_id },
	{ CHECK_DIFF_POLICY, CHECK_DIFF_POLICY, 0, diff_read_policy },
	{ CHECK_DIFF_POLICY, CHECK_DIFF_POLICY, 1, diff_read_policy_mx },
	{ CHECK_DIFF_MX, CHECK_DIFF_MX, 1, diff_read_mx },
	{ CHECK_DIFF_ADDRESS, CHECK_DIFF_ADDRESS, 1, diff_read_address },
	{ CHECK_DIFF_CERTIFICATE, CHECK_DIFF_CERTIFICATE, 0, diff_read_cert },
	{ CHECK_DIFF_FINDING_ADDED, CHECK_DIFF_FINDING_GONE, 1,
	    diff_read_finding },
	{ CHECK_DIFF_LAYER, CHECK_DIFF_LAYER, 0, diff_read_layer },
	{ CHECK_DIFF_VERDICT, CHECK_DIFF_VERDICT, 0, diff_read_verdict },
};

static const char *const diff_kind_names[] = {
	[CHECK_DIFF_ID] = "id",
	[CHECK_DIFF_POLICY] = "policy",
	[CHECK_DIFF_MX] = "mx",
	[CHECK_DIFF_ADDRESS] = "address",
	[CHECK_DIFF_CERTIFICATE] = "certificate",
	[CHECK_DIFF_FINDING_ADDED] = "finding_added",
	[CHECK_DIFF_FINDING_GONE] = "finding_gone",
	[CHECK_DIFF_LAYER] = "layer",
	[CHECK_DIFF_VERDICT] = "verdict",
};

/* A network string made safe to print and bounded. */
static char *
diff_clean(const char *s)
{
	size_t len = strnlen(s, CHECK_DIFF_MAX_STR * 4 + 1);
	char  *c = utf8_sanitize(s, len, 0);

	char  *cut;
	size_t n = CHECK_DIFF_MAX_STR;

	if (strlen(c) <= n)
		return c;
	/* Cut on a character boundary, so the rest stays UTF-8. */
	while (n > 0 && ((unsigned char)c[n] & 0xc0) == 0x80)
		n--;
	cut = xasprintf("%.*s...", (int)n, c);
	free(c);
	return cut;
}

static void
diff_add(struct diff_items *it, const char *layer, const char *subject,
    const char *key, const char *show)
{
	struct diff_item *i;

	if (subject == NULL || key == NULL || it->n >= CHECK_DIFF_MAX_ITEMS)
		return;
	if (it->n == it->size) {
		it->size = it->size ? it->size * 2 : 16;
		it->v = xreallocarray(it->v, it->size, sizeof(*it->v));
	}
	i = &it->v[it->n++];
	i->layer = diff_clean(layer != NULL ? layer : "?");
	i->subject = diff_clean(subject);
	i->key = diff_clean(key);
	i->show = diff_clean(show != NULL ? show : key);
}

static void
diff_item_free(struct diff_item *i)
{
	free(i->layer);
	free(i->subject);
	free(i->key);
	free(i->show);
}

static void
diff_items_free(struct diff_items *it)
{
	size_t i;

	for (i = 0; i < it->n; i++)
		diff_item_free(&it->v[i]);
	free(it->v);
	memset(it, 0, sizeof(*it));
}

/* Typed look-ups: NULL for anything of another type. */
static const char *
diff_str(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

static const json_t *
diff_arr(const json_t *o, const char *name)
{
	const json_t *a = json_object_get(o, name);

	return json_is_array(a) ? a : NULL;
}

/* An array's length, bounded: nothing walks past the item cap. */
static size_t
diff_len(const json_t *a)
{
	size_t n = json_array_size(a);

	return n > CHECK_DIFF_MAX_ITEMS ? CHECK_DIFF_MAX_ITEMS : n;
}

static const json_t *
diff_layer(const json_t *doc, const char *id)
{
	const json_t *layers = diff_arr(doc, "layers"), *l, *data;
	const char   *lid;
	size_t	      i, n = diff_len(layers);

	for (i = 0; i < n; i++) {
		l = json_array_get(layers, i);
		lid = diff_str(l, "id");
		if (lid != NULL && strcmp(lid, id) == 0) {
			data = json_object_get(l, "data");
			return json_is_object(data) ? data : NULL;
		}
	}
	return NULL;
}

static const char *
diff_domain(const json_t *doc)
{
	const char *d = diff_str(doc, "domain");

	return d != NULL ? d : "?";
}

static void
diff_read_id(const json_t *doc, struct diff_items *it)
{
	const json_t *rec = json_object_get(diff_layer(doc, "dns"), "record");
	char	     *subject;

	subject = xasprintf("_mta-sts.%s", diff_domain(doc));
	diff_add(it, "dns", subject, diff_str(rec, "id"), NULL);
	free(subject);
}

static void
diff_read_policy(const json_t *doc, struct diff_items *it)
{
	const json_t *p = diff_layer(doc, "policy"), *age;
	char	      num[32];

	diff_add(it, "policy", "mode", diff_str(p, "mode"), NULL);
	age = json_object_get(p, "max_age");
	if (json_is_integer(age)) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(age));
		diff_add(it, "policy", "max_age", num, NULL);
	}
}

static void
diff_read_policy_mx(const json_t *doc, struct diff_items *it)
{
	const json_t *mx = diff_arr(diff_layer(doc, "policy"), "mx");
	size_t	      i, n = diff_len(mx);

	for (i = 0; i < n; i++)
		diff_add(it, "policy", "mx",
		    diff_str(json_array_get(mx, i), "pattern"), NULL);
}

static void
diff_read_mx(const json_t *doc, struct diff_items *it)
{
	const json_t *hosts = diff_arr(diff_layer(doc, "mx"), "hosts"), *h;
	const json_t *pref;
	const char   *name;
	char	     *key;
	size_t	      i, n = diff_len(hosts);

	for (i = 0; i < n; i++) {
		h = json_array_get(hosts, i);
		if ((name = diff_str(h, "name")) == NULL)
			continue;
		pref = json_object_get(h, "preference");
		key = xasprintf("%lld %s",
		    json_is_integer(pref) ? (long long)json_integer_value(pref)
					  : -1LL,
		    name);
		diff_add(it, "mx", diff_domain(doc), key, NULL);
		free(key);
	}
}

static void
diff_read_addrs(const json_t *addrs, const char *layer, const char *host,
    struct diff_items *it)
{
	size_t i, n = diff_len(addrs);

	for (i = 0; i < n; i++)
		diff_add(it, layer, host,
		    json_string_value(json_array_get(addrs, i)), NULL);
}

static void
diff_read_address(const json_t *doc, struct diff_items *it)
{
	const json_t *hosts = diff_arr(diff_layer(doc, "mx"), "hosts"), *h;
	const json_t *res;
	char	     *host;
	size_t	      i, n = diff_len(hosts);

	for (i = 0; i < n; i++) {
		h = json_array_get(hosts, i);
		diff_read_addrs(diff_arr(h, "addresses"), "mx",
		    diff_str(h, "name"), it);
	}
	res = json_object_get(diff_layer(doc, "fetch"), "resolution");
	host = xasprintf("mta-sts.%s", diff_domain(doc));
	diff_read_addrs(diff_arr(res, "addresses"), "fetch", host, it);
	free(host);
}

/* The leaf of a chain: fingerprint, expiry and the verification verdict. */
static void
diff_read_chain(const json_t *chain, const char *layer, const char *host,
    const char *addr, struct diff_items *it)
{
	const json_t *leaf = json_array_get(diff_arr(chain, "certificates"), 0);
	const char   *sha = diff_str(leaf, "sha256"), *until, *verdict;
	char	     *subject, *key, *show;

	if (host == NULL || addr == NULL || sha == NULL)
		return;
	until = diff_str(leaf, "not_after");
	verdict = diff_str(json_object_get(chain, "verification"), "verdict");
	subject = xasprintf("%s %s", host, addr);
	key = xasprintf("%s %s %s", sha, until ? until : "?",
	    verdict ? verdict : "?");
	/* 16 hex digits tell certificates apart for a person. */
	show = xasprintf("%.16s until %s (%s)", sha, until ? until : "?",
	    verdict ? verdict : "?");
	diff_add(it, layer, subject, key, show);
	free(subject);
	free(key);
	free(show);
}

static void
diff_read_cert(const json_t *doc, struct diff_items *it)
{
	const json_t *hosts = diff_arr(diff_layer(doc, "mx_tls"), "hosts");
	const json_t *att = diff_arr(diff_layer(doc, "fetch"), "attempts");
	const json_t *h, *addrs, *a;
	char	     *host;
	size_t	      i, j, n = diff_len(hosts), na;

	for (i = 0; i < n; i++) {
		h = json_array_get(hosts, i);
		addrs = diff_arr(h, "addresses");
		na = diff_len(addrs);
		for (j = 0; j < na; j++) {
			a = json_array_get(addrs, j);
			diff_read_chain(json_object_get(a, "chain"), "mx_tls",
			    diff_str(h, "name"), diff_str(a, "address"), it);
		}
	}
	host = xasprintf("mta-sts.%s", diff_domain(doc));
	n = diff_len(att);
	for (i = 0; i < n; i++) {
		a = json_array_get(att, i);
		diff_read_chain(json_object_get(a, "chain"), "fetch", host,
		    diff_str(a, "address"), it);
	}
	free(host);
}

static void
diff_read_finding(const json_t *doc, struct diff_items *it)
{
	const json_t *fl = diff_arr(doc, "findings"), *f;
	const char   *code, *subj, *message;
	char	     *subject;
	size_t	      i, n = diff_len(fl);

	for (i = 0; i < n; i++) {
		f = json_array_get(fl, i);
		if ((code = diff_str(f, "code")) == NULL)
			continue;
		subj = diff_str(f, "subject");
		message = diff_str(f, "message");
		subject = subj != NULL ? xasprintf("%s %s", code, subj)
				       : xstrdup(code);
		diff_add(it, diff_str(f, "layer"), subject, "",
		    message != NULL ? message : code);
		free(subject);
	}
}

static void
diff_read_layer(const json_t *doc, struct diff_items *it)
{
	const json_t *layers = diff_arr(doc, "layers"), *l;
	size_t	      i, n = diff_len(layers);

	for (i = 0; i < n; i++) {
		l = json_array_get(layers, i);
		diff_add(it, diff_str(l, "id"), diff_str(l, "id"),
		    diff_str(l, "status"), NULL);
	}
}

static void
diff_read_verdict(const json_t *doc, struct diff_items *it)
{
	const json_t *v = json_object_get(doc, "verdict"), *x;
	char	      num[32];

	diff_add(it, "verdict", "delivery",
	    diff_str(json_object_get(v, "delivery"), "state"), NULL);
	diff_add(it, "verdict", "mode", diff_str(v, "mode"), NULL);
	diff_add(it, "verdict", "next step",
	    diff_str(json_object_get(v, "promotion"), "step"), NULL);
	x = json_object_get(v, "enforce_ready");
	if (json_is_boolean(x))
		diff_add(it, "verdict", "enforce ready",
		    json_is_true(x) ? "yes" : "no", NULL);
	x = json_object_get(doc, "exit_status");
	if (json_is_integer(x)) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(x));
		diff_add(it, "verdict", "exit status", num, NULL);
	}
	diff_add(it, "verdict", "failure", diff_str(doc, "failure"), NULL);
}

static int
diff_item_cmp_subject(const void *a, const void *b)
{
	const struct diff_item *x = a, *y = b;

	return strcmp(x->subject, y->subject);
}

static int
diff_item_cmp(const void *a, const void *b)
{
	const struct diff_item *x = a, *y = b;
	int			r = strcmp(x->subject, y->subject);

	return r != 0 ? r : strcmp(x->key, y->key);
}

static void
diff_push(struct check_diff *d, enum check_diff_kind kind,
    const struct diff_item *it, const char *old, const char *new)
{
	struct check_diff_change *c;

	if (d->n >= CHECK_DIFF_MAX_CHANGES) {
		d->truncated = 1;
		return;
	}
	if (d->n == d->size) {
		d->size = d->size ? d->size * 2 : 16;
		d->v = xreallocarray(d->v, d->size, sizeof(*d->v));
	}
	c = &d->v[d->n++];
	c->kind = kind;
	c->layer = xstrdup(it->layer);
	c->subject = xstrdup(it->subject);
	c->old = old != NULL ? xstrdup(old) : NULL;
	c->new = new != NULL ? xstrdup(new) : NULL;
}

/* Drops repeated subjects (scalar) or repeated members (set). */
static void
diff_unique(struct diff_items *it, int (*cmp)(const void *, const void *))
{
	size_t i, k = 0;

	for (i = 0; i < it->n; i++) {
		if (k > 0 && cmp(&it->v[k - 1], &it->v[i]) == 0) {
			diff_item_free(&it->v[i]);
			continue;
		}
		it->v[k++] = it->v[i];
	}
	it->n = k;
}

static void
diff_aspect(struct check_diff *d, const struct diff_aspect *asp,
    const json_t *old, const json_t *new)
{
	struct diff_items a = { 0 }, b = { 0 };
	int (*cmp)(const void *, const void *);
	size_t i = 0, j = 0;
	int    r;

	cmp = asp->set ? diff_item_cmp : diff_item_cmp_subject;
	if (json_is_object(old))
		asp->read(old, &a);
	if (json_is_object(new))
		asp->read(new, &b);
	/* Stable order of items with one subject: the first one wins. */
	if (a.n > 1)
		qsort(a.v, a.n, sizeof(*a.v), diff_item_cmp);
	if (b.n > 1)
		qsort(b.v, b.n, sizeof(*b.v), diff_item_cmp);
	diff_unique(&a, cmp);
	diff_unique(&b, cmp);
	while (i < a.n || j < b.n) {
		if (i == a.n)
			r = 1;
		else if (j == b.n)
			r = -1;
		else
			r = cmp(&a.v[i], &b.v[j]);
		if (r < 0) {
			diff_push(d, asp->gone_kind, &a.v[i], a.v[i].show,
			    NULL);
			i++;
		} else if (r > 0) {
			diff_push(d, asp->kind, &b.v[j], NULL, b.v[j].show);
			j++;
		} else {
			if (strcmp(a.v[i].key, b.v[j].key) != 0)
				diff_push(d, asp->kind, &b.v[j], a.v[i].show,
				    b.v[j].show);
			i++;
			j++;
		}
	}
	diff_items_free(&a);
	diff_items_free(&b);
}

struct check_diff *
check_diff_new(const json_t *old, const json_t *new)
{
	struct check_diff *d = xcalloc(1, sizeof(*d));
	size_t		   i;

	for (i = 0; i < sizeof(diff_aspects) / sizeof(diff_aspects[0]); i++)
		diff_aspect(d, &diff_aspects[i], old, new);
	return d;
}

void
check_diff_free(struct check_diff *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->v[i].layer);
		free(d->v[i].subject);
		free(d->v[i].old);
		free(d->v[i].new);
	}
	free(d->v);
	free(d);
}

size_t
check_diff_count(const struct check_diff *d)
{
	return d->n;
}

const struct check_diff_change *
check_diff_at(const struct check_diff *d, size_t i)
{
	return i < d->n ? &d->v[i] : NULL;
}

int
check_diff_truncated(const struct check_diff *d)
{
	return d->truncated;
}

const char *
check_diff_kind_name(enum check_diff_kind k)
{
	if ((size_t)k >= sizeof(diff_kind_names) / sizeof(diff_kind_names[0]))
		return "?";
	return diff_kind_names[k];
}

char *
check_diff_line(const struct check_diff_change *c)
{
	const char *kind = check_diff_kind_name(c->kind);

	if (c->old == NULL)
		return xasprintf("%s %s: + %s", kind, c->subject,
		    c->new != NULL ? c->new : "");
	if (c->new == NULL)
		return xasprintf("%s %s: - %s", kind, c->subject, c->old);
	return xasprintf("%s %s: %s -> %s", kind, c->subject, c->old, c->new);
}

json_t *
check_diff_json(const struct check_diff *d)
{
	json_t *a = json_array(), *o;
	size_t	i;

	for (i = 0; i < d->n; i++) {
		o = json_object();
		json_object_set_new(o, "kind",
		    json_string(check_diff_kind_name(d->v[i].kind)));
		json_object_set_new(o, "layer", json_string(d->v[i].layer));
		json_object_set_new(o, "subject", json_string(d->v[i].subject));
		json_object_set_new(o, "old",
		    d->v[i].old ? json_string(d->v[i].old) : json_null());
		json_object_set_new(o, "new",
		    d->v[i].new ? json_string(d->v[i].new) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}
