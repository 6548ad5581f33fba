#include "config.h"
#include "metrics.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "doc_certs.h"
#include "file_out.h"
#include "fleet.h"
#include "report_json.h"
#include "strbuf.h"
#include "xmalloc.h"

#define METRICS_OUT_MAX (512u * 1024 * 1024)

/* The fixed state names: every domain gets one series per name (a
 * stateset written as gauges, as node_exporter writes its own). */
static const char *const metrics_answers[] = { "all", "some", "none", "no_mail",
	"unknown", "failed", NULL };
static const char *const metrics_modes[] = { "enforce", "testing", "none",
	"no_policy", "unknown", NULL };
/* Layer status as a number: alerts compare (>= 2: fail). */
static const struct {
	const char *name;
	int	    value;
} metrics_layer_values[] = {
	{ "pass", 0 },
	{ "warn", 1 },
	{ "fail", 2 },
	{ "skip", -1 },
};

struct metrics_mx {
	char	 *host;
	long long not_after; /* soonest over its addresses */
};

struct metrics_dom {
	char		 *domain;
	unsigned long	  seq;
	const char	 *answer; /* static */
	const char	 *mode;	  /* static */
	int		  exit_status;
	long long	  checked_at; /* -1: unknown */
	double		  elapsed;    /* seconds, -1: unknown */
	char		 *layer_id[METRICS_LAYER_MAX];
	int		  layer_status[METRICS_LAYER_MAX];
	size_t		  nlayers;
	long long	  policy_not_after; /* -1: none */
	struct metrics_mx mx[METRICS_MX_MAX];
	size_t		  nmx;
};

struct metrics {
	struct metrics_dom *doms;
	size_t		    n, cap;
	unsigned long	    seq;
	int		    sorted;
};

struct metrics *
metrics_new(void)
{
	return xcalloc(1, sizeof(struct metrics));
}

static void
metrics_dom_clear(struct metrics_dom *d)
{
	size_t i;

	free(d->domain);
	for (i = 0; i < d->nlayers; i++)
		free(d->layer_id[i]);
	for (i = 0; i < d->nmx; i++)
		free(d->mx[i].host);
}

void
metrics_free(struct metrics *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		metrics_dom_clear(&m->doms[i]);
	free(m->doms);
	free(m);
}

static const char *
metrics_known(const char *const *names, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return names[i];
	return NULL;
}

/* A layer id from a (possibly hostile) stored document: [a-z_], short. */
static int
metrics_layer_ok(const char *s)
{
	size_t n;

	if (s == NULL || *s == '\0')
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (n >= 24 || !((s[n] >= 'a' && s[n] <= 'z') || s[n] == '_'))
			return 0;
	return 1;
}

static void
metrics_add_layers(struct metrics_dom *d, const json_t *doc)
{
	const json_t *l, *arr;
	const char   *id, *st;
	size_t	      i, k;

	arr = json_object_get(doc, "layers");
	for (i = 0; i < json_array_size(arr); i++) {
		l = json_array_get(arr, i);
		id = json_string_value(json_object_get(l, "id"));
		st = json_string_value(json_object_get(l, "status"));
		if (d->nlayers == METRICS_LAYER_MAX || !metrics_layer_ok(id) ||
		    st == NULL)
			continue;
		for (k = 0; k < sizeof(metrics_layer_values) /
			 sizeof(metrics_layer_values[0]);
		     k++) {
			if (strcmp(metrics_layer_values[k].name, st) != 0)
				continue;
			d->layer_id[d->nlayers] = xstrdup(id);
			d->layer_status[d->nlayers++] =
			    metrics_layer_values[k].value;
			break;
		}
	}
}

static void
metrics_add_certs(struct metrics_dom *d, const json_t *doc)
{
	struct doc_cert dc[DOC_CERTS_MAX];
	size_t		n, i, k;

	d->policy_not_after = -1;
	n = doc_certs(doc, dc, DOC_CERTS_MAX);
	if (n > DOC_CERTS_MAX)
		n = DOC_CERTS_MAX;
	for (i = 0; i < n; i++) {
		if (dc[i].not_after < 0)
			continue;
		if (dc[i].policy) {
			if (d->policy_not_after < 0 ||
			    dc[i].not_after < d->policy_not_after)
				d->policy_not_after = dc[i].not_after;
			continue;
		}
		/* The soonest over a host's addresses: the one to renew. */
		for (k = 0; k < d->nmx; k++)
			if (strcmp(d->mx[k].host, dc[i].host) == 0)
				break;
		if (k == d->nmx) {
			if (d->nmx == METRICS_MX_MAX)
				continue;
			d->mx[d->nmx].host = xstrdup(dc[i].host);
			d->mx[d->nmx++].not_after = dc[i].not_after;
		} else if (dc[i].not_after < d->mx[k].not_after)
			d->mx[k].not_after = dc[i].not_after;
	}
}

int
metrics_add(struct metrics *m, const json_t *doc)
{
	struct fleet_row    row;
	struct metrics_dom *d;
	const json_t	   *e;
	const char	   *cause;

	memset(&row, 0, sizeof(row));
	if (fleet_classify(doc, &row, &cause) != 0)
		return -1;
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 64 : m->cap * 2;
		m->doms = xreallocarray(m->doms, m->cap, sizeof(*m->doms));
	}
	d = &m->doms[m->n++];
	memset(d, 0, sizeof(*d));
	d->domain = xstrdup(row.domain);
	d->seq = m->seq++;
	d->answer = metrics_known(metrics_answers, row.answer);
	if (d->answer == NULL)
		d->answer = "unknown";
	d->mode = metrics_known(metrics_modes, row.mode);
	if (d->mode == NULL)
		d->mode = "unknown";
	fleet_row_clear(&row);
	e = json_object_get(doc, "exit_status");
	d->exit_status = json_is_integer(e) && json_integer_value(e) >= 0 &&
		json_integer_value(e) <= 3
	    ? (int)json_integer_value(e)
	    : 3;
	d->checked_at = report_json_time_parse(
	    json_string_value(json_object_get(doc, "checked_at")));
	e = json_object_get(doc, "elapsed_ms");
	d->elapsed = json_is_integer(e) && json_integer_value(e) >= 0
	    ? (double)json_integer_value(e) / 1000.0
	    : -1;
	metrics_add_layers(d, doc);
	metrics_add_certs(d, doc);
	m->sorted = 0;
	return 0;
}

static int
metrics_cmp(const void *a, const void *b)
{
	const struct metrics_dom *x = a, *y = b;
	int			  c = strcmp(x->domain, y->domain);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorted by domain, one per domain: the last added wins. */
static void
metrics_settle(struct metrics *m)
{
	size_t i, o = 0;

	if (m->sorted)
		return;
	if (m->n > 1)
		qsort(m->doms, m->n, sizeof(*m->doms), metrics_cmp);
	for (i = 0; i < m->n; i++) {
		if (i + 1 < m->n &&
		    strcmp(m->doms[i].domain, m->doms[i + 1].domain) == 0) {
			metrics_dom_clear(&m->doms[i]);
			continue;
		}
		m->doms[o++] = m->doms[i];
	}
	m->n = o;
	m->sorted = 1;
}

size_t
metrics_count(struct metrics *m)
{
	metrics_settle(m);
	return m->n;
}

void
metrics_escape(struct strbuf *sb, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\\')
			strbuf_addstr(sb, "\\\\");
		else if (*s == '"')
			strbuf_addstr(sb, "\\\"");
		else if (*s == '\n')
			strbuf_addstr(sb, "\\n");
		else
			strbuf_addc(sb, *s);
	}
}

static void
metrics_head(struct strbuf *sb, const char *name, const char *help)
{
	strbuf_addf(sb, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* name{domain="D"[,KEY="VAL"]} */
static void
metrics_series(struct strbuf *sb, const char *name, const char *domain,
    const char *key, const char *val)
{
	strbuf_addf(sb, "%s{domain=\"", name);
	metrics_escape(sb, domain);
	if (key != NULL) {
		strbuf_addf(sb, "\",%s=\"", key);
		metrics_escape(sb, val);
	}
	strbuf_addstr(sb, "\"} ");
}

static void
metrics_render_domains(struct strbuf *sb, struct metrics *m)
{
	struct metrics_dom *d;
	size_t		    i, k;

	metrics_head(sb, "mtasts_delivery",
	    "Delivery answer of the verdict (1 for the domain's answer).");
	for (i = 0; i < m->n; i++)
		for (k = 0; metrics_answers[k] != NULL; k++) {
			metrics_series(sb, "mtasts_delivery", m->doms[i].domain,
			    "answer", metrics_answers[k]);
			strbuf_addf(sb, "%d\n",
			    metrics_answers[k] == m->doms[i].answer);
		}
	metrics_head(sb, "mtasts_mode",
	    "Policy mode first-contact senders apply (1 for the domain's).");
	for (i = 0; i < m->n; i++)
		for (k = 0; metrics_modes[k] != NULL; k++) {
			metrics_series(sb, "mtasts_mode", m->doms[i].domain,
			    "mode", metrics_modes[k]);
			strbuf_addf(sb, "%d\n",
			    metrics_modes[k] == m->doms[i].mode);
		}
	metrics_head(sb, "mtasts_layer_status",
	    "Layer status: 0 pass, 1 warn, 2 fail, -1 skipped.");
	for (i = 0; i < m->n; i++) {
		d = &m->doms[i];
		for (k = 0; k < d->nlayers; k++) {
			metrics_series(sb, "mtasts_layer_status", d->domain,
			    "layer", d->layer_id[k]);
			strbuf_addf(sb, "%d\n", d->layer_status[k]);
		}
	}
	metrics_head(sb, "mtasts_exit_status",
	    "The check's exit status: 0 ok, 1 warnings, 2 errors, 3 could "
	    "not check.");
	for (i = 0; i < m->n; i++) {
		metrics_series(sb, "mtasts_exit_status", m->doms[i].domain,
		    NULL, NULL);
		strbuf_addf(sb, "%d\n", m->doms[i].exit_status);
	}
	metrics_head(sb, "mtasts_policy_certificate_expiry_timestamp_seconds",
	    "When the mta-sts host's leaf certificate expires (soonest over "
	    "its addresses).");
	for (i = 0; i < m->n; i++) {
		if (m->doms[i].policy_not_after < 0)
			continue;
		metrics_series(sb,
		    "mtasts_policy_certificate_expiry_timestamp_seconds",
		    m->doms[i].domain, NULL, NULL);
		strbuf_addf(sb, "%lld\n", m->doms[i].policy_not_after);
	}
	metrics_head(sb, "mtasts_mx_certificate_expiry_timestamp_seconds",
	    "When an MX host's leaf certificate expires (soonest over its "
	    "addresses).");
	for (i = 0; i < m->n; i++) {
		d = &m->doms[i];
		for (k = 0; k < d->nmx; k++) {
			metrics_series(sb,
			    "mtasts_mx_certificate_expiry_timestamp_seconds",
			    d->domain, "mx_host", d->mx[k].host);
			strbuf_addf(sb, "%lld\n", d->mx[k].not_after);
		}
	}
	metrics_head(sb, "mtasts_last_check_timestamp_seconds",
	    "When the domain was last checked.");
	for (i = 0; i < m->n; i++) {
		if (m->doms[i].checked_at < 0)
			continue;
		metrics_series(sb, "mtasts_last_check_timestamp_seconds",
		    m->doms[i].domain, NULL, NULL);
		strbuf_addf(sb, "%lld\n", m->doms[i].checked_at);
	}
	metrics_head(sb, "mtasts_check_duration_seconds",
	    "Wall time of the domain's check.");
	for (i = 0; i < m->n; i++) {
		if (m->doms[i].elapsed < 0)
			continue;
		metrics_series(sb, "mtasts_check_duration_seconds",
		    m->doms[i].domain, NULL, NULL);
		strbuf_addf(sb, "%.3f\n", m->doms[i].elapsed);
	}
}

char *
metrics_render(struct metrics *m, const struct metrics_scan *sc, size_t *len)
{
	struct strbuf sb;
	size_t	      i, k, n;

	metrics_settle(m);
	strbuf_init(&sb, METRICS_OUT_MAX);
	metrics_render_domains(&sb, m);
	metrics_head(&sb, "mtasts_scan_domains",
	    "Domains in the file, by delivery answer.");
	for (k = 0; metrics_answers[k] != NULL; k++) {
		for (i = n = 0; i < m->n; i++)
			n += m->doms[i].answer == metrics_answers[k];
		strbuf_addf(&sb, "mtasts_scan_domains{answer=\"%s\"} %zu\n",
		    metrics_answers[k], n);
	}
	metrics_head(&sb, "mtasts_scan_to_check",
	    "Domains the last scan run was to check.");
	strbuf_addf(&sb, "mtasts_scan_to_check %zu\n", sc->to_check);
	metrics_head(&sb, "mtasts_scan_checked",
	    "Domains the last scan run checked.");
	strbuf_addf(&sb, "mtasts_scan_checked %zu\n", sc->checked);
	metrics_head(&sb, "mtasts_scan_errors",
	    "Domains of the last run with exit status 2 or 3.");
	strbuf_addf(&sb, "mtasts_scan_errors %zu\n", sc->errors);
	metrics_head(&sb, "mtasts_scan_resumed",
	    "Domains taken from the --resume file.");
	strbuf_addf(&sb, "mtasts_scan_resumed %zu\n", sc->resumed);
	metrics_head(&sb, "mtasts_scan_start_timestamp_seconds",
	    "When the last scan run started.");
	strbuf_addf(&sb, "mtasts_scan_start_timestamp_seconds %lld\n",
	    sc->started);
	metrics_head(&sb, "mtasts_scan_end_timestamp_seconds",
	    "When the last scan run ended.");
	strbuf_addf(&sb, "mtasts_scan_end_timestamp_seconds %lld\n",
	    sc->finished);
	if (sb.toobig) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, len);
}

/* node_exporter runs as another user: the file is 0644 (file_out.h); the
 * temporary name (PATH.tmpXXXXXX) does not end in .prom, so the collector
 * never reads a half-written file. */
int
metrics_write(const char *path, const char *buf, size_t len, char **cause)
{
	return file_out_write(path, buf, len, 1, cause) == 0 ? 0 : -1;
}
