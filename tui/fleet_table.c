#include "config.h"
#include "fleet_table.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fleet.h"
#include "scan.h"
#include "scan_db.h"
#include "xmalloc.h"

#define FTABLE_FILTER_MAX 256

struct ftable {
	struct ftable_row *rows;
	size_t		   nrows, cap;
	unsigned long	   seq;
	/* domain -> row + 1 (0: free), open addressing */
	uint32_t *hash;
	size_t	  hcap;
	/* the rows shown, in order */
	uint32_t *shown;
	size_t	  nshown;
	int	  dirty;
	/* order */
	enum ftable_key	 key;
	enum check_layer layer;
	int		 reverse;
	/* filter */
	char	    spec[FTABLE_FILTER_MAX];
	const char *answer; /* static names, or NULL */
	const char *mode;
	const char *cls;
	int	    cls_i;
	char	    blocker[FTABLE_FILTER_MAX];
	char	    text[FTABLE_FILTER_MAX]; /* words joined by NUL */
	size_t	    ntext;
	unsigned    layers_seen; /* bit l: some row has layer l */
	const char *chg;	 /* the change: word's short name, or "any" */
	uint16_t    chg_mask;
	size_t	    answers[16];
	/* changes since the previous scan, by kind */
	size_t changes[FTABLE_CHANGE_MAX];
	size_t nchanges;
};

/*
 * The short names of scan_db's kinds of change, for the narrow column;
 * a kind this table does not know keeps its own name.
 */
static const struct {
	const char *kind, *name;
} ftable_change_names[] = {
	{ "added", "new" },
	{ "removed", "gone" },
	{ "new_failure", "new-fail" },
	{ "fixed", "fixed" },
	{ "answer", "answer" },
	{ "mode", "mode" },
	{ "id", "id" },
	{ "policy", "policy" },
	{ "mx", "mx" },
	{ "cert_expiring", "cert" },
	{ "classes", "class" },
};

const char *
ftable_change_kind(size_t k)
{
	const char *const *kinds = scan_db_change_kinds();
	size_t		   i;

	for (i = 0; i < k && kinds[i] != NULL; i++)
		;
	return i < FTABLE_CHANGE_MAX ? kinds[i] : NULL;
}

const char *
ftable_change_name(size_t k)
{
	const char *kind = ftable_change_kind(k);
	size_t	    i;

	if (kind == NULL)
		return NULL;
	for (i = 0;
	     i < sizeof(ftable_change_names) / sizeof(ftable_change_names[0]);
	     i++)
		if (strcmp(ftable_change_names[i].kind, kind) == 0)
			return ftable_change_names[i].name;
	return kind;
}

int
ftable_change_find(const char *kind)
{
	const char *n;
	size_t	    k;

	for (k = 0; (n = ftable_change_name(k)) != NULL; k++)
		if (strcasecmp(n, kind) == 0 ||
		    strcasecmp(ftable_change_kind(k), kind) == 0)
			return (int)k;
	return -1;
}

/* Appends s to the string in buf (size bytes), cut to fit. */
static void
ftable_cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf), k = strlen(s);

	if (n + 1 >= size)
		return;
	if (k > size - n - 1)
		k = size - n - 1;
	memcpy(buf + n, s, k);
	buf[n + k] = '\0';
}

struct ftable *
ftable_new(void)
{
	struct ftable *t = xcalloc(1, sizeof(*t));

	t->key = FTABLE_DOMAIN;
	t->cls_i = -1;
	return t;
}

void
ftable_free(struct ftable *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows; i++) {
		free(t->rows[i].domain);
		free(t->rows[i].blockers);
	}
	free(t->rows);
	free(t->hash);
	free(t->shown);
	free(t);
}

static size_t
ftable_index(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (s != NULL && strcmp(list[i], s) == 0)
			return i;
	return i;
}

/* The slot of domain in the hash: its row, or the free slot for it. */
static uint32_t *
ftable_slot(struct ftable *t, const char *domain)
{
	size_t h = (size_t)scan_fnv1a64(domain) & (t->hcap - 1);

	while (t->hash[h] != 0 &&
	    strcmp(t->rows[t->hash[h] - 1].domain, domain) != 0)
		h = (h + 1) & (t->hcap - 1);
	return &t->hash[h];
}

static void
ftable_grow_hash(struct ftable *t)
{
	size_t i;

	if (t->hcap != 0 && (t->nrows + 1) * 2 <= t->hcap)
		return;
	free(t->hash);
	t->hcap = t->hcap ? t->hcap * 2 : 1024;
	t->hash = xcalloc(t->hcap, sizeof(*t->hash));
	for (i = 0; i < t->nrows; i++)
		*ftable_slot(t, t->rows[i].domain) = (uint32_t)(i + 1);
}

static void
ftable_row_from(struct ftable_row *r, const json_t *doc,
    const struct fleet_row *fr)
{
	const char *const *cls = fleet_class_names();
	const char	  *s;
	size_t		   i, k, len;
	int		   l, st;

	memset(r, 0, sizeof(*r));
	r->domain = xstrdup(fr->domain);
	r->answer = fr->answer;
	r->mode = fr->mode;
	r->answer_i = (uint8_t)ftable_index(fleet_answer_names(), fr->answer);
	r->mode_i = (uint8_t)ftable_index(fleet_mode_names(), fr->mode);
	for (i = 0; i < fr->nclasses; i++) {
		k = ftable_index(cls, fr->classes[i]);
		if (k < 32)
			r->classes |= 1u << k;
	}
	r->nblockers = (uint16_t)fr->nblockers;
	if (fr->nblockers > 0) {
		for (len = 0, i = 0; i < fr->nblockers; i++)
			len += strlen(fr->blockers[i]) + 2;
		r->blockers = xcalloc(1, len + 1);
		for (i = 0; i < fr->nblockers; i++) {
			if (i > 0)
				ftable_cat(r->blockers, len + 1, ", ");
			ftable_cat(r->blockers, len + 1, fr->blockers[i]);
		}
	}
	r->expiry =
	    fr->has_expiry ? (int32_t)fr->expiry_days : FTABLE_NO_EXPIRY;
	r->elapsed_ms = (int32_t)fleet_elapsed_ms(doc);
	r->nmx = (int32_t)fleet_mx_count(doc);
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		r->status[l] = FTABLE_NO_STATUS;
		s = fleet_layer_status(doc, check_layer_name(l));
		for (st = CHECK_PENDING; s != NULL && st <= CHECK_CUT; st++)
			if (strcmp(check_status_name(st), s) == 0)
				r->status[l] = (uint8_t)st;
	}
}

unsigned
ftable_layers_seen(const struct ftable *t)
{
	return t->layers_seen;
}

int
ftable_add(struct ftable *t, const json_t *doc, unsigned src, long long off,
    size_t len, const char **cause)
{
	struct fleet_row  fr;
	struct ftable_row r, *old;
	uint32_t	 *slot;
	int		  l;

	if (fleet_classify(doc, &fr, cause) != 0) {
		fleet_row_clear(&fr);
		return -1;
	}
	ftable_row_from(&r, doc, &fr);
	fleet_row_clear(&fr);
	for (l = 0; l < CHECK_LAYER__COUNT; l++)
		if (r.status[l] != FTABLE_NO_STATUS)
			t->layers_seen |= 1u << l;
	r.src = src;
	r.off = off;
	r.len = len;
	r.seq = t->seq++;
	ftable_grow_hash(t);
	slot = ftable_slot(t, r.domain);
	if (*slot != 0) {
		/* The later document of a domain wins (scan-summary's rule). */
		old = &t->rows[*slot - 1];
		t->answers[old->answer_i]--;
		free(old->domain);
		free(old->blockers);
		r.changes = old->changes; /* until compared again */
		*old = r;
	} else {
		if (t->nrows == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 256;
			t->rows =
			    xreallocarray(t->rows, t->cap, sizeof(*t->rows));
		}
		t->rows[t->nrows] = r;
		*slot = (uint32_t)++t->nrows;
	}
	if (r.answer_i < sizeof(t->answers) / sizeof(t->answers[0]))
		t->answers[r.answer_i]++;
	t->dirty = 1;
	return 0;
}

/* qsort has no argument: the table being sorted (one UI thread). */
static const struct ftable *ftable_sorting;

static int
ftable_cmp_key(const struct ftable_row *x, const struct ftable_row *y)
{
	const struct ftable *t = ftable_sorting;
	long		     a, b;

	switch (t->key) {
	case FTABLE_ANSWER:
		a = x->answer_i, b = y->answer_i;
		break;
	case FTABLE_MODE:
		a = x->mode_i, b = y->mode_i;
		break;
	case FTABLE_LAYER:
		/* Worst first when ascending: fail, warn, ... pass. */
		a = x->status[t->layer], b = y->status[t->layer];
		a = a == CHECK_FAIL   ? 0
		    : a == CHECK_CUT  ? 1
		    : a == CHECK_WARN ? 2
				      : 3 + a;
		b = b == CHECK_FAIL   ? 0
		    : b == CHECK_CUT  ? 1
		    : b == CHECK_WARN ? 2
				      : 3 + b;
		break;
	case FTABLE_BLOCKERS:
		/* Most blockers first, then by the codes. */
		if (x->nblockers != y->nblockers)
			return x->nblockers > y->nblockers ? -1 : 1;
		return strcmp(x->blockers ? x->blockers : "",
		    y->blockers ? y->blockers : "");
	case FTABLE_EXPIRY:
		/* Soonest first; no certificate last. */
		a = x->expiry == FTABLE_NO_EXPIRY ? INT32_MAX : x->expiry;
		b = y->expiry == FTABLE_NO_EXPIRY ? INT32_MAX : y->expiry;
		break;
	case FTABLE_CLASSES:
		a = __builtin_popcount(x->classes);
		b = __builtin_popcount(y->classes);
		if (a != b)
			return a > b ? -1 : 1;
		a = x->classes, b = y->classes;
		break;
	case FTABLE_ELAPSED:
		/* Slowest first. */
		a = -(long)x->elapsed_ms, b = -(long)y->elapsed_ms;
		break;
	case FTABLE_MX:
		a = -(long)x->nmx, b = -(long)y->nmx;
		break;
	case FTABLE_CHANGE:
		/* Changed first, by the first kind (the table's order). */
		a = x->changes ? __builtin_ctz(x->changes) : FTABLE_CHANGE_MAX;
		b = y->changes ? __builtin_ctz(y->changes) : FTABLE_CHANGE_MAX;
		if (a == b) {
			a = -__builtin_popcount(x->changes);
			b = -__builtin_popcount(y->changes);
		}
		break;
	default:
		return 0;
	}
	return a < b ? -1 : a > b;
}

static int
ftable_cmp(const void *pa, const void *pb)
{
	const struct ftable	*t = ftable_sorting;
	const struct ftable_row *x = &t->rows[*(const uint32_t *)pa];
	const struct ftable_row *y = &t->rows[*(const uint32_t *)pb];
	int			 c = ftable_cmp_key(x, y);

	if (c == 0)
		c = strcmp(x->domain, y->domain);
	return t->reverse ? -c : c;
}

static int
ftable_match(const struct ftable *t, const struct ftable_row *r)
{
	const char *w;
	size_t	    i;

	if (t->answer != NULL && r->answer != t->answer)
		return 0;
	if (t->mode != NULL && r->mode != t->mode)
		return 0;
	if (t->cls_i >= 0 && (r->classes & (1u << t->cls_i)) == 0)
		return 0;
	if (t->chg != NULL && (r->changes & t->chg_mask) == 0)
		return 0;
	if (t->blocker[0] != '\0' &&
	    (r->blockers == NULL ||
		strcasestr(r->blockers, t->blocker) == NULL))
		return 0;
	for (i = 0, w = t->text; i < t->ntext; i++, w += strlen(w) + 1)
		if (strcasestr(r->domain, w) == NULL)
			return 0;
	return 1;
}

static uint64_t
ftable_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int
ftable_refresh(struct ftable *t, uint64_t *us)
{
	uint64_t t0 = ftable_now_us();
	size_t	 i;

	if (us != NULL)
		*us = 0;
	if (!t->dirty)
		return 0;
	t->shown = xreallocarray(t->shown, t->nrows + 1, sizeof(*t->shown));
	for (t->nshown = 0, i = 0; i < t->nrows; i++)
		if (ftable_match(t, &t->rows[i]))
			t->shown[t->nshown++] = (uint32_t)i;
	ftable_sorting = t;
	qsort(t->shown, t->nshown, sizeof(*t->shown), ftable_cmp);
	ftable_sorting = NULL;
	t->dirty = 0;
	if (us != NULL)
		*us = ftable_now_us() - t0;
	return 1;
}

void
ftable_sort(struct ftable *t, enum ftable_key key, enum check_layer layer,
    int reverse)
{
	t->key = key;
	t->layer = layer;
	t->reverse = reverse;
	t->dirty = 1;
}

/* The static name in list equal to s (any case), or NULL. */
static const char *
ftable_name(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcasecmp(list[i], s) == 0)
			return list[i];
	return NULL;
}

static char *
ftable_names_why(const char *what, const char *v, const char *const *list)
{
	size_t len = 0, i;
	char  *names, *why;

	for (i = 0; list[i] != NULL; i++)
		len += strlen(list[i]) + 1;
	names = xcalloc(1, len + 1);
	for (i = 0; list[i] != NULL; i++) {
		if (i > 0)
			ftable_cat(names, len + 1, " ");
		ftable_cat(names, len + 1, list[i]);
	}
	why = xasprintf("no %s '%.40s' (%s)", what, v, names);
	free(names);
	return why;
}

static char *
ftable_change_why(const char *v)
{
	const char *list[FTABLE_CHANGE_MAX + 2];
	size_t	    k;

	for (k = 0; k < FTABLE_CHANGE_MAX && ftable_change_name(k) != NULL; k++)
		list[k] = ftable_change_name(k);
	list[k++] = "any";
	list[k] = NULL;
	return ftable_names_why("change", v, list);
}

int
ftable_filter(struct ftable *t, const char *spec, char **why)
{
	struct ftable n = *t;
	char	      buf[FTABLE_FILTER_MAX], *w, *last, *v;
	size_t	      len;
	int	      k;

	*why = NULL;
	if (strlen(spec) >= sizeof(buf)) {
		*why = xstrdup("the filter is too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	n.answer = n.mode = n.cls = n.chg = NULL;
	n.chg_mask = 0;
	n.cls_i = -1;
	n.blocker[0] = '\0';
	n.ntext = 0;
	len = 0;
	for (w = strtok_r(buf, " \t", &last); w != NULL;
	     w = strtok_r(NULL, " \t", &last)) {
		if (strncasecmp(w, "answer:", 7) == 0) {
			v = w + 7;
			if ((n.answer = ftable_name(fleet_answer_names(), v)) ==
			    NULL) {
				*why = ftable_names_why("answer", v,
				    fleet_answer_names());
				return -1;
			}
		} else if (strncasecmp(w, "mode:", 5) == 0) {
			v = w + 5;
			if ((n.mode = ftable_name(fleet_mode_names(), v)) ==
			    NULL) {
				*why = ftable_names_why("mode", v,
				    fleet_mode_names());
				return -1;
			}
		} else if (strncasecmp(w, "class:", 6) == 0) {
			v = w + 6;
			if ((n.cls = ftable_name(fleet_class_names(), v)) ==
			    NULL) {
				*why = ftable_names_why("class", v,
				    fleet_class_names());
				return -1;
			}
			n.cls_i = (int)ftable_index(fleet_class_names(), n.cls);
		} else if (strncasecmp(w, "change:", 7) == 0) {
			v = w + 7;
			if (strcasecmp(v, "any") == 0) {
				n.chg = "any";
				n.chg_mask = 0xffff;
			} else if ((k = ftable_change_find(v)) >= 0) {
				n.chg = ftable_change_name((size_t)k);
				n.chg_mask = (uint16_t)(1u << k);
			} else {
				*why = ftable_change_why(v);
				return -1;
			}
		} else if (strncasecmp(w, "blocker:", 8) == 0)
			snprintf(n.blocker, sizeof(n.blocker), "%s", w + 8);
		else {
			memcpy(n.text + len, w, strlen(w) + 1);
			len += strlen(w) + 1;
			n.ntext++;
		}
	}
	/* The spec as given, blanks folded, for the status line. */
	snprintf(buf, sizeof(buf), "%s", spec);
	n.spec[0] = '\0';
	for (w = strtok_r(buf, " \t", &last); w != NULL;
	     w = strtok_r(NULL, " \t", &last)) {
		if (n.spec[0] != '\0')
			ftable_cat(n.spec, sizeof(n.spec), " ");
		ftable_cat(n.spec, sizeof(n.spec), w);
	}
	n.dirty = 1;
	*t = n;
	return 0;
}

const char *
ftable_filter_text(const struct ftable *t)
{
	return t->spec;
}

/* Replaces the prefix word of the filter with prefix+value (NULL: none). */
static void
ftable_filter_word(struct ftable *t, const char *prefix, const char *value)
{
	char   spec[FTABLE_FILTER_MAX * 2], buf[FTABLE_FILTER_MAX], *w, *last;
	char  *why;
	size_t plen = strlen(prefix);

	spec[0] = '\0';
	snprintf(buf, sizeof(buf), "%s", t->spec);
	for (w = strtok_r(buf, " ", &last); w != NULL;
	     w = strtok_r(NULL, " ", &last)) {
		if (strncasecmp(w, prefix, plen) == 0)
			continue;
		ftable_cat(spec, sizeof(spec), spec[0] ? " " : "");
		ftable_cat(spec, sizeof(spec), w);
	}
	if (value != NULL) {
		ftable_cat(spec, sizeof(spec), spec[0] ? " " : "");
		ftable_cat(spec, sizeof(spec), prefix);
		ftable_cat(spec, sizeof(spec), value);
	}
	spec[FTABLE_FILTER_MAX - 1] = '\0';
	if (ftable_filter(t, spec, &why) != 0)
		free(why);
}

void
ftable_filter_answer(struct ftable *t, const char *answer)
{
	ftable_filter_word(t, "answer:", answer);
}

void
ftable_filter_class(struct ftable *t, const char *cls)
{
	ftable_filter_word(t, "class:", cls);
}

void
ftable_filter_change(struct ftable *t, const char *kind)
{
	ftable_filter_word(t, "change:", kind);
}

const char *
ftable_filtered_change(const struct ftable *t)
{
	return t->chg;
}

const char *
ftable_filtered_answer(const struct ftable *t)
{
	return t->answer;
}

const char *
ftable_filtered_class(const struct ftable *t)
{
	return t->cls;
}

size_t
ftable_total(const struct ftable *t)
{
	return t->nrows;
}

size_t
ftable_shown(const struct ftable *t)
{
	return t->nshown;
}

const struct ftable_row *
ftable_shown_at(const struct ftable *t, size_t i)
{
	return i < t->nshown ? &t->rows[t->shown[i]] : NULL;
}

long
ftable_find_shown(const struct ftable *t, const char *domain)
{
	size_t i;

	for (i = 0; domain != NULL && i < t->nshown; i++)
		if (strcmp(t->rows[t->shown[i]].domain, domain) == 0)
			return (long)i;
	return -1;
}

size_t
ftable_answer_count(const struct ftable *t, size_t i)
{
	return i < sizeof(t->answers) / sizeof(t->answers[0]) ? t->answers[i]
							      : 0;
}

int
ftable_change_add(struct ftable *t, const char *domain, const char *kind)
{
	int	  k = -1;
	size_t	  i;
	uint32_t *slot;

	for (i = 0; ftable_change_kind(i) != NULL; i++)
		if (strcmp(ftable_change_kind(i), kind) == 0)
			k = (int)i;
	if (k < 0)
		return -1;
	t->changes[k]++;
	t->nchanges++;
	if (t->hcap == 0 || *(slot = ftable_slot(t, domain)) == 0)
		return 0;
	t->rows[*slot - 1].changes |= (uint16_t)(1u << k);
	t->dirty = 1;
	return 1;
}

void
ftable_changes_clear(struct ftable *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		t->rows[i].changes = 0;
	memset(t->changes, 0, sizeof(t->changes));
	t->nchanges = 0;
	t->dirty = 1;
}

size_t
ftable_change_count(const struct ftable *t, size_t k)
{
	return k < FTABLE_CHANGE_MAX ? t->changes[k] : 0;
}

size_t
ftable_change_total(const struct ftable *t)
{
	return t->nchanges;
}

void
ftable_change_text(const struct ftable_row *r, char *buf, size_t len)
{
	size_t k;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (k = 0; k < FTABLE_CHANGE_MAX && ftable_change_name(k) != NULL;
	     k++) {
		if ((r->changes & (1u << k)) == 0)
			continue;
		if (buf[0] != '\0')
			ftable_cat(buf, len, ",");
		ftable_cat(buf, len, ftable_change_name(k));
	}
}
