#include "config.h"
#include "txt_record.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "utf8.h"
#include "xmalloc.h"

/* RFC 8461 and RFC 8460 both allow only SP and HTAB around ";". */
static int
txt_record_wsp(unsigned char c)
{
	return c == ' ' || c == '\t';
}

enum txt_record_kind
txt_record_classify(const char *s, size_t len, const char *version)
{
	size_t vlen = strlen(version), i, j;

	if (len >= vlen + 1 && memcmp(s, version, vlen) == 0 && s[vlen] == ';')
		return TXT_RECORD_CANDIDATE;
	if (len > vlen && memcmp(s, version, vlen) == 0) {
		for (i = vlen; i < len && txt_record_wsp(s[i]); i++)
			;
		if (i > vlen && i < len && s[i] == ';')
			return TXT_RECORD_SPACED;
	}
	/* Near misses: wrong case, leading blanks, version not first. */
	for (i = 0; i < len && txt_record_wsp(s[i]); i++)
		;
	if (len - i >= vlen - 2 && strncasecmp(s + i, version, vlen - 2) == 0)
		return TXT_RECORD_NEAR;
	for (j = 0; j + vlen <= len; j++)
		if (memcmp(s + j, version, vlen) == 0)
			return TXT_RECORD_NEAR;
	return TXT_RECORD_OTHER;
}

void
txt_record_bad_start(const char *s, size_t len, const char *version,
    const char *what, enum finding_code code, const char *subject,
    struct finding_list *fl)
{
	size_t vlen = strlen(version), i, j;
	char  *show;

	show = utf8_show(s, len);
	for (i = 0; i < len && txt_record_wsp(s[i]); i++)
		;
	if (len == 0)
		finding_add(fl, code, subject, 0,
		    "the TXT record is empty: a record must start with %s; it "
		    "is ignored",
		    version);
	else if (i > 0 && len - i >= vlen && memcmp(s + i, version, vlen) == 0)
		finding_add(fl, code, subject, 0,
		    "record '%s' starts with whitespace: %s must be the very "
		    "first characters; the record is ignored",
		    show, version);
	else if (i == 0 && len >= vlen - 2 &&
	    memcmp(s, version, vlen - 2) == 0) {
		/* The right field with another version: name the value. */
		for (j = 0;
		     j < len && s[j] > 0x20 && s[j] < 0x7f && s[j] != ';'; j++)
			;
		free(show);
		show = utf8_show(s, j);
		finding_add(fl, code, subject, 0,
		    "the version field is '%s', not %s (the only version); the "
		    "record is ignored",
		    show, version);
	} else if (len - i >= vlen && strncasecmp(s + i, version, vlen) == 0)
		finding_add(fl, code, subject, 0,
		    "record '%s' starts with '%.*s': the version is "
		    "case-sensitive and must be exactly %s; the record is "
		    "ignored",
		    show, (int)vlen, s + i, version);
	else {
		for (j = 0; j + vlen <= len; j++)
			if (memcmp(s + j, version, vlen) == 0)
				break;
		if (j + vlen <= len)
			finding_add(fl, code, subject, 0,
			    "record '%s' has %s at character %zu: the version "
			    "must be the first field; the record is ignored",
			    show, version, j + 1);
		else if (what != NULL)
			finding_add(fl, code, subject, 0,
			    "record '%s' does not start with %s; it is not %s "
			    "and is ignored",
			    show, version, what);
		else
			finding_add(fl, code, subject, 0,
			    "record '%s' does not start with %s; it is ignored",
			    show, version);
	}
	free(show);
}

char *
txt_record_describe_byte(unsigned char c)
{
	if (c >= 0x80)
		return xasprintf("byte 0x%02x, which is not US-ASCII (the "
				 "record must be US-ASCII)",
		    c);
	if (c < 0x20 || c == 0x7f)
		return xasprintf("control byte 0x%02x", c);
	return xasprintf("'%c'", c);
}

char *
txt_record_join(const struct txt_rr *rr, size_t *len)
{
	char  *out;
	size_t i, total = 0, off = 0;

	for (i = 0; i < rr->nstrings; i++)
		total += rr->strings[i].len;
	out = xmalloc(total + 1);
	for (i = 0; i < rr->nstrings; i++) {
		if (rr->strings[i].len > 0)
			memcpy(out + off, rr->strings[i].data,
			    rr->strings[i].len);
		off += rr->strings[i].len;
	}
	out[total] = '\0';
	if (len != NULL)
		*len = total;
	return out;
}

static int
txt_selection_is_candidate(enum txt_record_kind k)
{
	return k == TXT_RECORD_CANDIDATE || k == TXT_RECORD_SPACED;
}

void
txt_selection_init(struct txt_selection *sel, const struct txt_rr *rrs,
    size_t n, const char *version)
{
	size_t i;

	memset(sel, 0, sizeof(*sel));
	sel->n = n;
	sel->kind = xreallocarray(NULL, n + 1, sizeof(*sel->kind));
	sel->joined = xreallocarray(NULL, n + 1, sizeof(*sel->joined));
	sel->len = xreallocarray(NULL, n + 1, sizeof(*sel->len));
	for (i = 0; i < n; i++) {
		sel->joined[i] = txt_record_join(&rrs[i], &sel->len[i]);
		sel->kind[i] =
		    txt_record_classify(sel->joined[i], sel->len[i], version);
		/*
		 * Erratum 6285: "VERSION ;" is grammatical, so it counts as
		 * a candidate; the parser warns that prefix-testing peers
		 * discard it.
		 */
		if (!txt_selection_is_candidate(sel->kind[i]))
			continue;
		if (sel->ncand++ == 0)
			sel->chosen = i;
		if (sel->kind[i] == TXT_RECORD_SPACED)
			sel->nspaced++;
	}
}

int
txt_selection_single(const struct txt_selection *sel)
{
	return sel->ncand == 1 || (sel->ncand == 0 && sel->n == 1);
}

char *
txt_selection_candidates(const struct txt_selection *sel)
{
	struct strbuf sb;
	char	     *show;
	size_t	      i;

	strbuf_init(&sb, 1024);
	for (i = 0; i < sel->n; i++) {
		if (!txt_selection_is_candidate(sel->kind[i]))
			continue;
		show = utf8_show(sel->joined[i], sel->len[i]);
		strbuf_addf(&sb, "%s'%s'", sb.len > 0 ? ", " : "", show);
		free(show);
	}
	return strbuf_detach(&sb, NULL);
}

void
txt_selection_discarded(const struct txt_selection *sel, const char *version,
    const char *what, const char *who, enum finding_code near_error,
    enum finding_code other, size_t max_shown, const char *subject,
    struct finding_list *fl)
{
	size_t i, shown = 0;
	char  *show;

	/* A lone record was parsed and judged already (TXT-6). */
	if (sel->ncand == 0 && sel->n == 1)
		return;
	for (i = 0; i < sel->n; i++) {
		if (txt_selection_is_candidate(sel->kind[i]))
			continue;
		if (sel->kind[i] == TXT_RECORD_NEAR) {
			txt_record_bad_start(sel->joined[i], sel->len[i],
			    version, what, sel->ncand == 0 ? near_error : other,
			    subject, fl);
			continue;
		}
		if (shown++ >= max_shown)
			continue;
		show = utf8_show(sel->joined[i], sel->len[i]);
		finding_add(fl, other, subject, 0,
		    "TXT record '%s' does not start with '%s;'; %s discard it",
		    show, version, who);
		free(show);
	}
	if (shown > max_shown)
		finding_add(fl, other, subject, 0,
		    "%zu more TXT records that %s discard are not listed",
		    shown - max_shown, who);
}

void
txt_selection_free(struct txt_selection *sel)
{
	size_t i;

	for (i = 0; i < sel->n; i++)
		free(sel->joined[i]);
	free(sel->joined);
	free(sel->len);
	free(sel->kind);
	memset(sel, 0, sizeof(*sel));
}

void *
txt_record_select(const struct txt_record_kind_ops *k, const struct txt_rr *rrs,
    size_t nrrs, const char *subject, struct finding_list *fl)
{
	struct txt_selection sel;
	struct finding	    *f;
	const char *owner = subject != NULL ? subject : k->default_owner;
	void	   *r;

	if (nrrs == 0) {
		f = finding_add(fl, k->missing, subject, 0,
		    "no TXT record at %s: %s", owner, k->consequence);
		if (k->fix_missing != NULL)
			k->fix_missing(f, subject);
		return k->none();
	}
	txt_selection_init(&sel, rrs, nrrs, k->version);
	if (txt_selection_single(&sel)) {
		/* TXT-6: a lone record is judged even without the version. */
		r = k->parse(sel.joined[sel.chosen], sel.len[sel.chosen],
		    subject, fl);
	} else if (sel.ncand == 0) {
		f = finding_add(fl, k->missing, subject, 0,
		    "none of the %zu TXT records at %s starts with '%s;': %s",
		    nrrs, owner, k->version, k->consequence);
		if (k->fix_missing != NULL)
			k->fix_missing(f, subject);
		r = k->none();
	} else
		r = k->multiple(&sel, subject, fl);
	k->counts(r, nrrs, sel.ncand);
	txt_selection_discarded(&sel, k->version, k->near_what, k->who,
	    k->near_error, k->other, k->max_shown, subject, fl);
	txt_selection_free(&sel);
	return r;
}
