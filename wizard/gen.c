#include "config.h"
#include "gen.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain.h"
#include "finding.h"
#include "mx_match.h"
#include "policy_parse.h"
#include "schedule.h"
#include "strbuf.h"
#include "sts_record.h"
#include "tlsrpt_record.h"
#include "xmalloc.h"
#include "yamlw.h"

#define GEN_MAX_OUT   (1024 * 1024)
#define GEN_TXT_CHUNK 255 /* octets per character-string (RFC 1035) */

static const struct {
	const char *name;
	const char *file;
} gen_formats[GEN_FORMAT__COUNT] = {
	{ "policy", "mta-sts.txt" },
	{ "zone", "zone.txt" },
	{ "octodns", "octodns.yaml" },
	{ "yaml", "records.yaml" },
	{ "nginx", "nginx.conf" },
	{ "apache", "apache.conf" },
};

static int  gen_add(char **, size_t *, size_t, const char *);
static int  gen_worst(struct finding_list *, struct finding_list *, char **);
static int  gen_addr_family(const char *);
static void gen_zone_txt(struct strbuf *, const char *, unsigned, const char *);
static char *gen_zone(const struct gen_spec *);
static char *gen_octodns(const struct gen_spec *, size_t *, char **);
static char *gen_records(const struct gen_spec *, const struct schedule *,
    size_t *, char **);
static char *gen_nginx(const struct gen_spec *);
static char *gen_apache(const struct gen_spec *);
static char *gen_octodns_escape(const char *);
static char *gen_subst(const char *, const char *);

void
gen_spec_init(struct gen_spec *s, const char *domain)
{
	memset(s, 0, sizeof(*s));
	s->domain = xstrdup(domain);
	s->mode = POLICY_MODE_TESTING;
	s->max_age = GEN_MAX_AGE_TESTING;
	s->ttl = GEN_TTL;
}

void
gen_spec_free(struct gen_spec *s)
{
	size_t i;

	free(s->domain);
	for (i = 0; i < s->nmx; i++)
		free(s->mx[i]);
	for (i = 0; i < s->nrua; i++)
		free(s->rua[i]);
	for (i = 0; i < s->naddr; i++)
		free(s->addr[i]);
	free(s->id);
	free(s->cname);
	memset(s, 0, sizeof(*s));
}

void
gen_spec_copy(struct gen_spec *d, const struct gen_spec *s)
{
	size_t i;

	gen_spec_init(d, s->domain);
	d->mode = s->mode;
	d->max_age = s->max_age;
	d->ttl = s->ttl;
	for (i = 0; i < s->nmx; i++)
		gen_spec_add_mx(d, s->mx[i]);
	for (i = 0; i < s->nrua; i++)
		gen_spec_add_rua(d, s->rua[i]);
	for (i = 0; i < s->naddr; i++)
		gen_spec_add_addr(d, s->addr[i]);
	if (s->id != NULL)
		d->id = xstrdup(s->id);
	if (s->cname != NULL)
		d->cname = xstrdup(s->cname);
}

static int
gen_add(char **v, size_t *n, size_t max, const char *s)
{
	if (*n == max)
		return -1;
	v[(*n)++] = xstrdup(s);
	return 0;
}

int
gen_spec_add_mx(struct gen_spec *s, const char *p)
{
	return gen_add(s->mx, &s->nmx, GEN_MAX_MX, p);
}

int
gen_spec_add_rua(struct gen_spec *s, const char *p)
{
	return gen_add(s->rua, &s->nrua, GEN_MAX_RUA, p);
}

int
gen_spec_add_addr(struct gen_spec *s, const char *p)
{
	return gen_add(s->addr, &s->naddr, GEN_MAX_ADDR, p);
}

void
gen_spec_remove_mx(struct gen_spec *s, size_t i)
{
	if (i >= s->nmx)
		return;
	free(s->mx[i]);
	memmove(&s->mx[i], &s->mx[i + 1], (s->nmx - i - 1) * sizeof(char *));
	s->nmx--;
}

void
gen_spec_set_id(struct gen_spec *s, const char *id)
{
	free(s->id);
	s->id = id != NULL ? xstrdup(id) : NULL;
}

void
gen_spec_set_cname(struct gen_spec *s, const char *name)
{
	size_t len;

	free(s->cname);
	s->cname = NULL;
	if (name == NULL)
		return;
	s->cname = xstrdup(name);
	len = strlen(s->cname);
	if (len > 1 && s->cname[len - 1] == '.')
		s->cname[len - 1] = '\0';
}

int
gen_mode_lookup(const char *s)
{
	if (strcmp(s, "testing") == 0)
		return POLICY_MODE_TESTING;
	if (strcmp(s, "enforce") == 0)
		return POLICY_MODE_ENFORCE;
	if (strcmp(s, "none") == 0)
		return POLICY_MODE_NONE;
	return -1;
}

const char *
gen_format_name(enum gen_format f)
{
	return gen_formats[f].name;
}

const char *
gen_format_file(enum gen_format f)
{
	return gen_formats[f].file;
}

int
gen_format_lookup(const char *s)
{
	int i;

	for (i = 0; i < GEN_FORMAT__COUNT; i++)
		if (strcmp(s, gen_formats[i].name) == 0)
			return i;
	return -1;
}

/*
 * Moves fl's informational findings to notes and returns 0; or returns -1
 * with *cause set to the first warning or error.
 */
static int
gen_worst(struct finding_list *fl, struct finding_list *notes, char **cause)
{
	const struct finding *f;

	finding_list_sort(fl);
	if (finding_list_worst(fl) > FINDING_INFO) {
		f = finding_list_get(fl, 0);
		*cause = xstrdup(f->message);
		finding_list_free(fl);
		return -1;
	}
	if (notes != NULL)
		finding_list_move(notes, fl);
	finding_list_free(fl);
	return 0;
}

int
gen_validate_mx(const char *p, char **cause)
{
	char *why;

	*cause = NULL;
	if (mx_match_pattern_check(p, &why) != MX_PATTERN_OK) {
		*cause =
		    xasprintf("'%s' is not a usable mx pattern: %s", p, why);
		free(why);
		return -1;
	}
	return 0;
}

int
gen_validate_rua(const char *uri, char **cause)
{
	struct finding_list  *fl;
	struct tlsrpt_record *r;
	char		     *rec, *why;
	int		      ok;

	*cause = NULL;
	rec = xasprintf("v=TLSRPTv1; rua=%s", uri);
	fl = finding_list_new();
	r = tlsrpt_record_parse(rec, strlen(rec), "rua", fl);
	ok = r->valid && r->usable && r->nuris == 1;
	tlsrpt_record_free(r);
	free(rec);
	if (gen_worst(fl, NULL, &why) != 0) {
		*cause = xasprintf("'%s': %s", uri, why);
		free(why);
		return -1;
	}
	if (!ok) {
		*cause = xasprintf("'%s' is not a mailto: or https: URI "
				   "reporters can use",
		    uri);
		return -1;
	}
	return 0;
}

int
gen_validate_id(const char *id, char **cause)
{
	struct finding_list *fl;
	struct sts_record   *r;
	char		    *rec, *why;
	int		     ok;

	*cause = NULL;
	rec = xasprintf("v=STSv1; id=%s", id);
	fl = finding_list_new();
	r = sts_record_parse(rec, strlen(rec), "id", fl);
	ok = r->valid && r->id != NULL && strcmp(r->id, id) == 0;
	sts_record_free(r);
	free(rec);
	if (!ok) {
		finding_list_free(fl);
		*cause =
		    xasprintf("'%s' must be 1 to 32 letters and digits", id);
		return -1;
	}
	if (gen_worst(fl, NULL, &why) != 0) {
		*cause = xasprintf("'%s': %s", id, why);
		free(why);
		return -1;
	}
	return 0;
}

static int
gen_addr_family(const char *a)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, a, buf) == 1)
		return 4;
	if (inet_pton(AF_INET6, a, buf) == 1)
		return 6;
	return 0;
}

int
gen_validate(const struct gen_spec *s, enum gen_field *field, char **cause,
    struct finding_list *notes)
{
	struct finding_list  *fl;
	struct policy	     *p;
	struct sts_record    *sr;
	struct tlsrpt_record *tr;
	const char	     *code;
	char		     *why, *txt, *body;
	size_t		      i, j, len;
	int		      ok;

	*cause = NULL;
	*field = GEN_FIELD_DOMAIN;
	if (domain_check_ldh(s->domain, 0, &why) != 0) {
		*cause = xasprintf("'%s': %s", s->domain, why);
		free(why);
		return -1;
	}
	*field = GEN_FIELD_MODE;
	if (s->mode != POLICY_MODE_TESTING && s->mode != POLICY_MODE_ENFORCE &&
	    s->mode != POLICY_MODE_NONE) {
		*cause = xstrdup("the mode must be testing, enforce or none");
		return -1;
	}
	*field = GEN_FIELD_MAX_AGE;
	if (s->max_age < 0 || s->max_age > GEN_MAX_AGE_FINAL) {
		*cause = xasprintf("%lld is not between 0 and %d seconds",
		    s->max_age, GEN_MAX_AGE_FINAL);
		return -1;
	}
	*field = GEN_FIELD_MX;
	if (s->nmx == 0 && s->mode != POLICY_MODE_NONE) {
		*cause = xasprintf("a %s policy needs at least one mx pattern",
		    policy_mode_name(s->mode));
		return -1;
	}
	for (i = 0; i < s->nmx; i++) {
		if (gen_validate_mx(s->mx[i], cause) != 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcasecmp(s->mx[i], s->mx[j]) == 0) {
				*cause =
				    xasprintf("'%s' is given twice", s->mx[i]);
				return -1;
			}
	}
	*field = GEN_FIELD_RUA;
	if (s->nrua == 0) {
		*cause = xstrdup("at least one TLS-RPT destination is needed");
		return -1;
	}
	for (i = 0; i < s->nrua; i++)
		if (gen_validate_rua(s->rua[i], cause) != 0)
			return -1;
	*field = GEN_FIELD_ID;
	if (s->id == NULL) {
		*cause = xstrdup("no policy id");
		return -1;
	}
	if (gen_validate_id(s->id, cause) != 0)
		return -1;
	*field = GEN_FIELD_ADDRESS;
	for (i = 0; i < s->naddr; i++)
		if (gen_addr_family(s->addr[i]) == 0) {
			*cause = xasprintf("'%s' is not an IPv4 or IPv6 "
					   "address",
			    s->addr[i]);
			return -1;
		}
	*field = GEN_FIELD_CNAME;
	if (s->cname != NULL) {
		if (s->naddr > 0) {
			*cause = xstrdup("a CNAME cannot stand next to "
					 "addresses; give one or the other");
			return -1;
		}
		if (domain_check_ldh(s->cname, 0, &why) != 0) {
			*cause = xasprintf("'%s': %s", s->cname, why);
			free(why);
			return -1;
		}
	}

	/* What we write must pass our own checker (no warnings). */
	*field = GEN_FIELD_MAX_AGE;
	body = gen_policy(s, &len);
	fl = finding_list_new();
	p = policy_parse(body, len, "mta-sts.txt", fl);
	ok = p->valid && p->mode == s->mode && p->nmx == s->nmx;
	policy_free(p);
	free(body);
	if (finding_list_worst(fl) > FINDING_INFO) {
		finding_list_sort(fl);
		code = finding_code_name(finding_list_get(fl, 0)->code);
		if (strncmp(code, "policy.mx", 9) == 0)
			*field = GEN_FIELD_MX;
		else if (strncmp(code, "policy.max_age", 14) != 0)
			*field = GEN_FIELD_MODE;
	}
	if (gen_worst(fl, notes, cause) != 0)
		return -1;
	if (!ok) {
		*field = GEN_FIELD_MODE;
		*cause = xstrdup("the generated policy does not parse back");
		return -1;
	}
	*field = GEN_FIELD_ID;
	txt = gen_sts_txt(s);
	fl = finding_list_new();
	sr = sts_record_parse(txt, strlen(txt), "_mta-sts", fl);
	ok = sr->valid;
	sts_record_free(sr);
	free(txt);
	if (gen_worst(fl, notes, cause) != 0)
		return -1;
	if (!ok) {
		*cause = xstrdup("the generated TXT record does not parse");
		return -1;
	}
	*field = GEN_FIELD_RUA;
	txt = gen_tlsrpt_txt(s);
	fl = finding_list_new();
	tr = tlsrpt_record_parse(txt, strlen(txt), "_smtp._tls", fl);
	ok = tr->valid && tr->usable && tr->nuris == s->nrua;
	tlsrpt_record_free(tr);
	free(txt);
	if (gen_worst(fl, notes, cause) != 0)
		return -1;
	if (!ok) {
		*cause = xstrdup("the generated TLS-RPT record does not parse");
		return -1;
	}
	return 0;
}

char *
gen_policy(const struct gen_spec *s, size_t *len)
{
	struct strbuf sb;
	size_t	      i;

	strbuf_init(&sb, GEN_MAX_OUT);
	/* CRLF as RFC 8461's prose says; every parser takes it. */
	strbuf_addstr(&sb, "version: STSv1\r\n");
	strbuf_addf(&sb, "mode: %s\r\n", policy_mode_name(s->mode));
	for (i = 0; i < s->nmx; i++)
		strbuf_addf(&sb, "mx: %s\r\n", s->mx[i]);
	strbuf_addf(&sb, "max_age: %lld\r\n", s->max_age);
	return strbuf_detach(&sb, len);
}

char *
gen_sts_txt(const struct gen_spec *s)
{
	return xasprintf("v=STSv1; id=%s", s->id != NULL ? s->id : "");
}

char *
gen_tlsrpt_txt(const struct gen_spec *s)
{
	struct strbuf sb;
	size_t	      i;

	strbuf_init(&sb, GEN_MAX_OUT);
	strbuf_addstr(&sb, "v=TLSRPTv1; rua=");
	for (i = 0; i < s->nrua; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? "," : "", s->rua[i]);
	return strbuf_detach(&sb, NULL);
}

/* One TXT RR in master-file syntax, split into <= 255-octet strings. */
static void
gen_zone_txt(struct strbuf *sb, const char *owner, unsigned ttl,
    const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t		     len = strlen(value), i, k, n;

	strbuf_addf(sb, "%s\t%u\tIN\tTXT\t", owner, ttl);
	for (i = 0; i < len; i += n) {
		n = len - i > GEN_TXT_CHUNK ? GEN_TXT_CHUNK : len - i;
		if (i > 0)
			strbuf_addc(sb, ' ');
		strbuf_addc(sb, '"');
		for (k = i; k < i + n; k++) {
			if (p[k] == '"' || p[k] == '\\')
				strbuf_addf(sb, "\\%c", p[k]);
			else if (p[k] < 0x20 || p[k] > 0x7e)
				strbuf_addf(sb, "\\%03u", p[k]);
			else
				strbuf_addc(sb, (char)p[k]);
		}
		strbuf_addc(sb, '"');
	}
	strbuf_addc(sb, '\n');
}

static char *
gen_zone(const struct gen_spec *s)
{
	struct strbuf sb;
	char	     *v, *owner;
	size_t	      i;

	strbuf_init(&sb, GEN_MAX_OUT);
	strbuf_addf(&sb,
	    "; MTA-STS and TLS-RPT records for %s, written by "
	    "mtasts-tui.\n",
	    s->domain);
	strbuf_addstr(&sb,
	    "; Owner names are absolute: paste into any zone "
	    "file, whatever its $ORIGIN.\n");
	strbuf_addstr(&sb,
	    "; Publish the TXT records only once the policy "
	    "is served.\n");
	owner = xasprintf("_mta-sts.%s.", s->domain);
	v = gen_sts_txt(s);
	gen_zone_txt(&sb, owner, s->ttl, v);
	free(v);
	free(owner);
	owner = xasprintf("_smtp._tls.%s.", s->domain);
	v = gen_tlsrpt_txt(s);
	gen_zone_txt(&sb, owner, s->ttl, v);
	free(v);
	free(owner);
	for (i = 0; i < s->naddr; i++)
		strbuf_addf(&sb, "mta-sts.%s.\t%u\tIN\t%s\t%s\n", s->domain,
		    s->ttl, gen_addr_family(s->addr[i]) == 6 ? "AAAA" : "A",
		    s->addr[i]);
	if (s->cname != NULL)
		strbuf_addf(&sb, "mta-sts.%s.\t%u\tIN\tCNAME\t%s.\n", s->domain,
		    s->ttl, s->cname);
	return strbuf_detach(&sb, NULL);
}

/* octoDNS reads TXT values with ";" escaped as "\;". */
static char *
gen_octodns_escape(const char *v)
{
	struct strbuf sb;

	strbuf_init(&sb, GEN_MAX_OUT);
	for (; *v != '\0'; v++) {
		if (*v == ';' || *v == '\\')
			strbuf_addc(&sb, '\\');
		strbuf_addc(&sb, *v);
	}
	return strbuf_detach(&sb, NULL);
}

static char *
gen_octodns(const struct gen_spec *s, size_t *len, char **cause)
{
	struct yamlw *w;
	char	     *v, *e, *c;
	size_t	      i, n4 = 0, n6 = 0;
	int	      fam;

	w = yamlw_new();
	yamlw_comment(w, "octoDNS records for the zone");
	c = xasprintf("%s (names are relative to it), written by mtasts-tui.",
	    s->domain);
	yamlw_comment(w, c);
	free(c);
	yamlw_map_begin(w, NULL);

	v = gen_sts_txt(s);
	e = gen_octodns_escape(v);
	yamlw_map_begin(w, "_mta-sts");
	yamlw_int(w, "ttl", s->ttl);
	yamlw_str(w, "type", "TXT");
	yamlw_str(w, "value", e);
	yamlw_map_end(w);
	free(e);
	free(v);

	v = gen_tlsrpt_txt(s);
	e = gen_octodns_escape(v);
	yamlw_map_begin(w, "_smtp._tls");
	yamlw_int(w, "ttl", s->ttl);
	yamlw_str(w, "type", "TXT");
	yamlw_str(w, "value", e);
	yamlw_map_end(w);
	free(e);
	free(v);

	for (i = 0; i < s->naddr; i++) {
		if (gen_addr_family(s->addr[i]) == 6)
			n6++;
		else
			n4++;
	}
	if (s->cname != NULL) {
		c = xasprintf("%s.", s->cname);
		yamlw_map_begin(w, "mta-sts");
		yamlw_int(w, "ttl", s->ttl);
		yamlw_str(w, "type", "CNAME");
		yamlw_str(w, "value", c);
		yamlw_map_end(w);
		free(c);
	} else if (n4 > 0 || n6 > 0) {
		/* octoDNS: one mapping per type, a list when there are two. */
		if (n4 > 0 && n6 > 0)
			yamlw_seq_begin(w, "mta-sts", 0);
		for (fam = 4; fam <= 6; fam += 2) {
			if ((fam == 4 ? n4 : n6) == 0)
				continue;
			if (n4 > 0 && n6 > 0)
				yamlw_map_begin(w, NULL);
			else
				yamlw_map_begin(w, "mta-sts");
			yamlw_int(w, "ttl", s->ttl);
			yamlw_str(w, "type", fam == 4 ? "A" : "AAAA");
			yamlw_seq_begin(w, "values", 0);
			for (i = 0; i < s->naddr; i++)
				if (gen_addr_family(s->addr[i]) == fam)
					yamlw_str(w, NULL, s->addr[i]);
			yamlw_seq_end(w);
			yamlw_map_end(w);
		}
		if (n4 > 0 && n6 > 0)
			yamlw_seq_end(w);
	}
	yamlw_map_end(w);
	return yamlw_finish(w, len, cause);
}

static char *
gen_records(const struct gen_spec *s, const struct schedule *sched, size_t *len,
    char **cause)
{
	struct yamlw *w;
	char	     *v, *body, *c, date[16];
	size_t	      i;

	w = yamlw_new();
	c = xasprintf("MTA-STS deployment of %s, written by mtasts-tui.",
	    s->domain);
	yamlw_comment(w, c);
	free(c);
	yamlw_map_begin(w, NULL);
	yamlw_str(w, "domain", s->domain);

	yamlw_map_begin(w, "policy");
	c = xasprintf("https://mta-sts.%s/.well-known/mta-sts.txt", s->domain);
	yamlw_str(w, "url", c);
	free(c);
	yamlw_str(w, "id", s->id);
	yamlw_str(w, "version", "STSv1");
	yamlw_str(w, "mode", policy_mode_name(s->mode));
	yamlw_int(w, "max_age", s->max_age);
	yamlw_seq_begin(w, "mx", 0);
	for (i = 0; i < s->nmx; i++)
		yamlw_str(w, NULL, s->mx[i]);
	yamlw_seq_end(w);
	body = gen_policy(s, NULL);
	yamlw_str(w, "body", body);
	free(body);
	yamlw_map_end(w);

	yamlw_seq_begin(w, "records", 0);
	c = xasprintf("_mta-sts.%s.", s->domain);
	v = gen_sts_txt(s);
	yamlw_map_begin(w, NULL);
	yamlw_str(w, "name", c);
	yamlw_str(w, "type", "TXT");
	yamlw_int(w, "ttl", s->ttl);
	yamlw_str(w, "value", v);
	yamlw_map_end(w);
	free(v);
	free(c);
	c = xasprintf("_smtp._tls.%s.", s->domain);
	v = gen_tlsrpt_txt(s);
	yamlw_map_begin(w, NULL);
	yamlw_str(w, "name", c);
	yamlw_str(w, "type", "TXT");
	yamlw_int(w, "ttl", s->ttl);
	yamlw_str(w, "value", v);
	yamlw_map_end(w);
	free(v);
	free(c);
	c = xasprintf("mta-sts.%s.", s->domain);
	for (i = 0; i < s->naddr; i++) {
		yamlw_map_begin(w, NULL);
		yamlw_str(w, "name", c);
		yamlw_str(w, "type",
		    gen_addr_family(s->addr[i]) == 6 ? "AAAA" : "A");
		yamlw_int(w, "ttl", s->ttl);
		yamlw_str(w, "value", s->addr[i]);
		yamlw_map_end(w);
	}
	if (s->cname != NULL) {
		v = xasprintf("%s.", s->cname);
		yamlw_map_begin(w, NULL);
		yamlw_str(w, "name", c);
		yamlw_str(w, "type", "CNAME");
		yamlw_int(w, "ttl", s->ttl);
		yamlw_str(w, "value", v);
		yamlw_map_end(w);
		free(v);
	}
	free(c);
	yamlw_seq_end(w);

	if (sched != NULL) {
		yamlw_seq_begin(w, "schedule", 0);
		for (i = 0; i < SCHEDULE__COUNT; i++) {
			yamlw_map_begin(w, NULL);
			yamlw_str(w, "phase", schedule_phase_key(i));
			yamlw_str(w, "title", schedule_phase_title(i));
			schedule_date_format(sched->phase[i].start, date,
			    sizeof(date));
			yamlw_str(w, "start", date);
			schedule_date_format(sched->phase[i].end, date,
			    sizeof(date));
			yamlw_str(w, "end", date);
			yamlw_map_end(w);
		}
		yamlw_seq_end(w);
	}
	yamlw_map_end(w);
	return yamlw_finish(w, len, cause);
}

/* The template with every "@D@" replaced by the domain. */
static char *
gen_subst(const char *tmpl, const char *domain)
{
	struct strbuf sb;
	const char   *at;

	strbuf_init(&sb, GEN_MAX_OUT);
	while ((at = strstr(tmpl, "@D@")) != NULL) {
		strbuf_add(&sb, tmpl, (size_t)(at - tmpl));
		strbuf_addstr(&sb, domain);
		tmpl = at + 3;
	}
	strbuf_addstr(&sb, tmpl);
	return strbuf_detach(&sb, NULL);
}

static char *
gen_nginx(const struct gen_spec *s)
{
	return gen_subst(
	    "# nginx: serves the MTA-STS policy of @D@ (written by mtasts-tui).\n"
	    "# Put mta-sts.txt at /var/www/mta-sts.@D@/.well-known/mta-sts.txt and\n"
	    "# a certificate valid for mta-sts.@D@ at the paths below.  Senders\n"
	    "# only use https and never follow redirects, so none is configured.\n"
	    "server {\n"
	    "\tlisten 443 ssl;\n"
	    "\tlisten [::]:443 ssl;\n"
	    "\tserver_name mta-sts.@D@;\n"
	    "\tssl_certificate /etc/ssl/mta-sts.@D@/fullchain.pem;\n"
	    "\tssl_certificate_key /etc/ssl/mta-sts.@D@/privkey.pem;\n"
	    "\troot /var/www/mta-sts.@D@;\n"
	    "\n"
	    "\tlocation = /.well-known/mta-sts.txt {\n"
	    "\t\ttypes { }\n"
	    "\t\tdefault_type text/plain;\n"
	    "\t\ttry_files $uri =404;\n"
	    "\t}\n"
	    "\tlocation / {\n"
	    "\t\treturn 404;\n"
	    "\t}\n"
	    "}\n",
	    s->domain);
}

static char *
gen_apache(const struct gen_spec *s)
{
	return gen_subst(
	    "# Apache httpd: serves the MTA-STS policy of @D@ (written by\n"
	    "# mtasts-tui).  Needs mod_ssl.  Put mta-sts.txt at\n"
	    "# /var/www/mta-sts.@D@/.well-known/mta-sts.txt and a certificate valid\n"
	    "# for mta-sts.@D@ at the paths below.  Senders only use https and never\n"
	    "# follow redirects, so none is configured.\n"
	    "<VirtualHost *:443>\n"
	    "\tServerName mta-sts.@D@\n"
	    "\tSSLEngine on\n"
	    "\tSSLCertificateFile /etc/ssl/mta-sts.@D@/fullchain.pem\n"
	    "\tSSLCertificateKeyFile /etc/ssl/mta-sts.@D@/privkey.pem\n"
	    "\tDocumentRoot /var/www/mta-sts.@D@\n"
	    "\t<Directory /var/www/mta-sts.@D@>\n"
	    "\t\tRequire all granted\n"
	    "\t\tOptions None\n"
	    "\t\tAllowOverride None\n"
	    "\t</Directory>\n"
	    "\t<Location /.well-known/mta-sts.txt>\n"
	    "\t\tForceType text/plain\n"
	    "\t</Location>\n"
	    "</VirtualHost>\n",
	    s->domain);
}

char *
gen_format(const struct gen_spec *s, const struct schedule *sched,
    enum gen_format f, size_t *len, char **cause)
{
	char  *out = NULL;
	size_t n = 0;

	*cause = NULL;
	switch (f) {
	case GEN_FORMAT_POLICY:
		out = gen_policy(s, &n);
		break;
	case GEN_FORMAT_ZONE:
		out = gen_zone(s);
		n = strlen(out);
		break;
	case GEN_FORMAT_OCTODNS:
		out = gen_octodns(s, &n, cause);
		break;
	case GEN_FORMAT_YAML:
		out = gen_records(s, sched, &n, cause);
		break;
	case GEN_FORMAT_NGINX:
		out = gen_nginx(s);
		n = strlen(out);
		break;
	case GEN_FORMAT_APACHE:
		out = gen_apache(s);
		n = strlen(out);
		break;
	default:
		*cause = xstrdup("unknown format");
		break;
	}
	if (len != NULL)
		*len = n;
	return out;
}
