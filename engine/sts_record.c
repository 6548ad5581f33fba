#include "config.h"
#include "sts_record.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "finding.h"
#include "strbuf.h"
#include "txt_record.h"
#include "utf8.h"
#include "xmalloc.h"

#define STS_VERSION	"v=STSv1"
#define STS_VERSION_LEN 7
#define STS_ID_MAX	32
#define STS_NAME_MAX	32
/* Each "other record" gets its own finding up to this many. */
#define STS_MAX_OTHER_SHOWN 8

static int  sts_wsp(unsigned char);
static int  sts_alnum(unsigned char);
static int  sts_name_char(unsigned char);
static int  sts_value_char(unsigned char);
static void sts_add_field(struct sts_record *, const char *, size_t,
    const char *, size_t, size_t, int);
static int  sts_check_id(const char *, size_t, const char *,
     struct finding_list *);

static int
sts_wsp(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
sts_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
sts_name_char(unsigned char c)
{
	return sts_alnum(c) || c == '_' || c == '-' || c == '.';
}

/* ext-value: printable US-ASCII except ";", "=" and SP. */
static int
sts_value_char(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != ';' && c != '=';
}

static void
sts_add_field(struct sts_record *r, const char *name, size_t nlen,
    const char *value, size_t vlen, size_t offset, int duplicate)
{
	struct sts_field *f;

	r->nfields_total++;
	if (r->nfields >= STS_RECORD_MAX_FIELDS)
		return;
	r->fields =
	    xreallocarray(r->fields, r->nfields + 1, sizeof(*r->fields));
	f = &r->fields[r->nfields++];
	f->name = xstrndup(name, nlen);
	f->value = xstrndup(value, vlen);
	f->offset = offset;
	f->duplicate = duplicate;
	f->known = nlen == 2 && memcmp(name, "id", 2) == 0;
}

/* TXT-7: id = 1*32(ALPHA / DIGIT).  Returns 1 if valid. */
static int
sts_check_id(const char *v, size_t vlen, const char *subject,
    struct finding_list *fl)
{
	char  *show, *what;
	size_t i;

	for (i = 0; i < vlen; i++)
		if (!sts_alnum((unsigned char)v[i]))
			break;
	if (i == vlen && vlen <= STS_ID_MAX)
		return 1;
	show = utf8_show(v, vlen);
	if (i < vlen) {
		what = txt_record_describe_byte((unsigned char)v[i]);
		finding_add(fl, FINDING_STS_TXT_ID_INVALID, subject, 0,
		    "id '%s' has %s: ids are 1 to 32 letters and digits; "
		    "the record is ignored",
		    show, what);
		free(what);
	} else
		finding_add(fl, FINDING_STS_TXT_ID_INVALID, subject, 0,
		    "id '%s' is %zu characters long: ids are 1 to 32 "
		    "letters and digits; the record is ignored",
		    show, vlen);
	free(show);
	return 0;
}

struct sts_record *
sts_record_parse(const char *rec, size_t len, const char *subject,
    struct finding_list *fl)
{
	struct sts_record *r;
	const char	  *name, *value;
	size_t		   pos, nlen, vlen, noff, i, nunknown = 0;
	int		   error = 0, id_seen = 0, id_ok = 0, dup;
	char		  *show, *what, *first;
	unsigned char	   c;

	r = xcalloc(1, sizeof(*r));
	r->status = STS_RECORD_ONE;
	r->nrrs = 1;
	r->ncandidates = 1;
	r->raw = xmalloc(len + 1);
	if (len > 0)
		memcpy(r->raw, rec, len);
	r->raw[len] = '\0';
	r->rawlen = len;

	if (len < STS_VERSION_LEN ||
	    memcmp(rec, STS_VERSION, STS_VERSION_LEN) != 0) {
		txt_record_bad_start(rec, len, STS_VERSION, NULL,
		    FINDING_STS_TXT_SYNTAX, subject, fl);
		return r;
	}
	pos = STS_VERSION_LEN;
	if (pos == len) {
		finding_add(fl, FINDING_STS_TXT_SYNTAX, subject, 0,
		    "the record is only 'v=STSv1': the id field is "
		    "mandatory; the record is ignored");
		return r;
	}
	if (!sts_wsp(rec[pos]) && rec[pos] != ';') {
		for (i = pos; i < len && sts_value_char(rec[i]); i++)
			;
		show = utf8_show(rec, i);
		finding_add(fl, FINDING_STS_TXT_SYNTAX, subject, 0,
		    "the version field is '%s', not v=STSv1 (the only "
		    "version); the record is ignored",
		    show);
		free(show);
		return r;
	}
	for (; pos < len && sts_wsp(rec[pos]); pos++)
		;
	if (pos > STS_VERSION_LEN && pos < len && rec[pos] == ';') {
		r->space_before_semicolon = 1;
		finding_add(fl, FINDING_STS_TXT_SPACE_BEFORE_SEMICOLON, subject,
		    0,
		    "the record starts with 'v=STSv1 ;': the "
		    "grammar allows the space, but senders that look for "
		    "the exact prefix 'v=STSv1;' discard the record");
	}
	if (pos == len || rec[pos] != ';') {
		if (pos == len)
			finding_add(fl, FINDING_STS_TXT_SYNTAX, subject, 0,
			    "the record ends after 'v=STSv1' and whitespace: "
			    "a ';' and the id field are required; the record "
			    "is ignored");
		else {
			what =
			    txt_record_describe_byte((unsigned char)rec[pos]);
			finding_add(fl, FINDING_STS_TXT_SYNTAX, subject, 0,
			    "expected ';' after v=STSv1 at character %zu, "
			    "found %s; the record is ignored",
			    pos + 1, what);
			free(what);
		}
		return r;
	}
	pos++;
	for (; pos < len && sts_wsp(rec[pos]); pos++)
		;

	while (!error) {
		if (pos == len) {
			if (r->nfields_total == 0) {
				finding_add(fl, FINDING_STS_TXT_SYNTAX, subject,
				    0,
				    "the record has no field after "
				    "v=STSv1; the id field is mandatory; the "
				    "record is ignored");
				error = 1;
			}
			break;
		}
		/* field = ext-name "=" ext-value (id is a special ext). */
		noff = pos;
		name = rec + pos;
		for (; pos < len && sts_name_char(rec[pos]); pos++)
			;
		nlen = pos - noff;
		if (nlen == 0) {
			c = (unsigned char)rec[pos];
			if (c == ';')
				finding_add(fl, FINDING_STS_TXT_SYNTAX, subject,
				    0,
				    "empty field (';;') at character %zu; "
				    "the record is ignored",
				    pos + 1);
			else {
				what = txt_record_describe_byte(c);
				finding_add(fl, FINDING_STS_TXT_SYNTAX, subject,
				    0,
				    "%s at character %zu cannot start a "
				    "field; the record is ignored",
				    what, pos + 1);
				free(what);
			}
			error = 1;
			break;
		}
		show = utf8_show(name, nlen);
		if (!sts_alnum((unsigned char)name[0]) || nlen > STS_NAME_MAX) {
			finding_add(fl, FINDING_STS_TXT_SYNTAX, subject, 0,
			    "field name '%s' at character %zu is not 1 to 32 "
			    "letters, digits, '_', '-' or '.' starting with a "
			    "letter or digit; the record is ignored",
			    show, noff + 1);
			free(show);
			error = 1;
			break;
		}
		if (pos == len || rec[pos] != '=') {
			if (pos < len && sts_wsp(rec[pos]))
				finding_add(fl, FINDING_STS_TXT_SYNTAX, subject,
				    0,
				    "whitespace after the field name '%s' "
				    "(character %zu): no spaces are allowed "
				    "around '=', only around ';'; the record "
				    "is ignored",
				    show, pos + 1);
			else if (pos == len)
				finding_add(fl, FINDING_STS_TXT_SYNTAX, subject,
				    0,
				    "field '%s' has no '=value'; the record "
				    "is ignored",
				    show);
			else {
				what = txt_record_describe_byte(
				    (unsigned char)rec[pos]);
				finding_add(fl, FINDING_STS_TXT_SYNTAX, subject,
				    0,
				    "expected '=' after the field name '%s' "
				    "at character %zu, found %s; the record is "
				    "ignored",
				    show, pos + 1, what);
				free(what);
			}
			free(show);
			error = 1;
			break;
		}
		pos++;
		value = rec + pos;
		for (; pos < len && sts_value_char(rec[pos]); pos++)
			;
		vlen = (size_t)(rec + pos - value);
		if (vlen == 0) {
			if (pos < len && !sts_wsp(rec[pos]) &&
			    rec[pos] != ';' && rec[pos] != '=') {
				what = txt_record_describe_byte(
				    (unsigned char)rec[pos]);
				finding_add(fl, FINDING_STS_TXT_SYNTAX, subject,
				    0,
				    "%s at character %zu cannot be part of "
				    "the value of '%s'; the record is ignored",
				    what, pos + 1, show);
				free(what);
			} else if (pos < len && sts_wsp(rec[pos]))
				finding_add(fl, FINDING_STS_TXT_SYNTAX, subject,
				    0,
				    "whitespace after '%s=' (character "
				    "%zu): no spaces are allowed around '='; "
				    "the record is ignored",
				    show, pos + 1);
			else
				finding_add(fl, FINDING_STS_TXT_SYNTAX, subject,
				    0,
				    "field '%s' has an empty value; the "
				    "record is ignored",
				    show);
			free(show);
			error = 1;
			break;
		}
		/* TXT-9: the first occurrence of a field counts. */
		dup = 0;
		for (i = 0; i < r->nfields; i++)
			if (strlen(r->fields[i].name) == nlen &&
			    memcmp(r->fields[i].name, name, nlen) == 0) {
				dup = 1;
				break;
			}
		if (nlen == 1 && name[0] == 'v') {
			/* TXT-9: the version field repeated. */
			dup = 1;
		} else if (nlen == 2 && memcmp(name, "id", 2) == 0) {
			if (!id_seen) {
				id_seen = 1;
				id_ok = sts_check_id(value, vlen, subject, fl);
				if (id_ok)
					r->id = xstrndup(value, vlen);
			} else
				dup = 1;
		} else if (!dup && r->nfields < STS_RECORD_MAX_FIELDS) {
			finding_add(fl, FINDING_STS_TXT_UNKNOWN_FIELD, subject,
			    0,
			    "unknown field '%s' (character %zu) is ignored "
			    "by senders%s",
			    show, noff + 1,
			    strcasecmp(show, "id") == 0 ||
				    strcasecmp(show, "v") == 0
				? " (field names are case-sensitive)"
				: "");
		} else if (!dup)
			nunknown++;
		if (dup && r->nfields < STS_RECORD_MAX_FIELDS) {
			what = utf8_show(value, vlen);
			first = NULL;
			for (i = 0; i < r->nfields; i++)
				if (strcmp(r->fields[i].name, show) == 0) {
					first = utf8_show(r->fields[i].value,
					    strlen(r->fields[i].value));
					break;
				}
			finding_add(fl, FINDING_STS_TXT_DUPLICATE_FIELD,
			    subject, 0,
			    "field '%s' appears again at "
			    "character %zu ('%s'); only the first, '%s', "
			    "counts",
			    show, noff + 1, what,
			    first != NULL ? first : "STSv1");
			free(first);
			free(what);
		}
		sts_add_field(r, name, nlen, value, vlen, noff, dup);
		free(show);

		if (pos == len)
			break;
		c = (unsigned char)rec[pos];
		if (c == '=') {
			show = utf8_show(name, nlen);
			finding_add(fl, FINDING_STS_TXT_SYNTAX, subject, 0,
			    "'=' inside the value of '%s' at character %zu: "
			    "values cannot contain '='; the record is ignored",
			    show, pos + 1);
			free(show);
			error = 1;
			break;
		}
		if (!sts_wsp(c) && c != ';') {
			what = txt_record_describe_byte(c);
			finding_add(fl, FINDING_STS_TXT_SYNTAX, subject, 0,
			    "%s at character %zu cannot appear in a field "
			    "value; the record is ignored",
			    what, pos + 1);
			free(what);
			error = 1;
			break;
		}
		for (i = pos; pos < len && sts_wsp(rec[pos]); pos++)
			;
		if (pos == len) {
			finding_add(fl, FINDING_STS_TXT_SYNTAX, subject, 0,
			    "trailing whitespace at character %zu without a "
			    "';' before it; the record is ignored",
			    i + 1);
			error = 1;
			break;
		}
		if (rec[pos] != ';') {
			what =
			    txt_record_describe_byte((unsigned char)rec[pos]);
			finding_add(fl, FINDING_STS_TXT_SYNTAX, subject, 0,
			    "fields must be separated by ';': found %s at "
			    "character %zu after whitespace; the record is "
			    "ignored",
			    what, pos + 1);
			free(what);
			error = 1;
			break;
		}
		pos++;
		for (; pos < len && sts_wsp(rec[pos]); pos++)
			;
	}
	if (nunknown > 0)
		finding_add(fl, FINDING_STS_TXT_UNKNOWN_FIELD, subject, 0,
		    "%zu more unknown fields are not listed", nunknown);
	if (!error && !id_seen)
		finding_add(fl, FINDING_STS_TXT_ID_INVALID, subject, 0,
		    "the record has no id field; it is mandatory, so the "
		    "record is ignored");
	r->valid = !error && id_ok;
	if (!r->valid) {
		free(r->id);
		r->id = NULL;
	}
	return r;
}

/* Senders that take the first of several records: is that one valid? */
static int
sts_record_first_valid(const struct txt_selection *sel)
{
	struct finding_list *scratch = finding_list_new();
	struct sts_record   *first;
	int		     valid;

	first = sts_record_parse(sel->joined[sel->chosen],
	    sel->len[sel->chosen], NULL, scratch);
	valid = first->valid;
	sts_record_free(first);
	finding_list_free(scratch);
	return valid;
}

static void *
sts_kind_parse(const char *s, size_t len, const char *subject,
    struct finding_list *fl)
{
	return sts_record_parse(s, len, subject, fl);
}

static void *
sts_kind_none(void)
{
	return xcalloc(1, sizeof(struct sts_record));
}

static void *
sts_kind_multiple(const struct txt_selection *sel, const char *subject,
    struct finding_list *fl)
{
	struct sts_record *r;
	char		  *show = txt_selection_candidates(sel);

	if (sel->nspaced > 0)
		finding_add(fl, FINDING_STS_TXT_MULTIPLE, subject, 0,
		    "%zu records start with v=STSv1 (%s): senders must act "
		    "as if there were no policy (%zu of them use 'v=STSv1 ;', "
		    "which prefix-testing senders discard, so senders "
		    "disagree)",
		    sel->ncand, show, sel->nspaced);
	else
		finding_add(fl, FINDING_STS_TXT_MULTIPLE, subject, 0,
		    "%zu records start with 'v=STSv1;' (%s): senders must "
		    "act as if there were no policy",
		    sel->ncand, show);
	free(show);
	r = xcalloc(1, sizeof(*r));
	r->status = STS_RECORD_MULTIPLE;
	r->first_valid = sts_record_first_valid(sel);
	return r;
}

static void
sts_kind_counts(void *record, size_t nrrs, size_t ncandidates)
{
	struct sts_record *r = record;

	r->nrrs = nrrs;
	r->ncandidates = ncandidates;
}

static const struct txt_record_kind_ops sts_kind = {
	.version = STS_VERSION,
	.default_owner = "_mta-sts",
	.consequence = "senders do not look for a policy",
	.near_what = NULL,
	.who = "senders",
	.missing = FINDING_STS_TXT_MISSING,
	.near_error = FINDING_STS_TXT_SYNTAX,
	.other = FINDING_STS_TXT_OTHER_RECORDS,
	.max_shown = STS_MAX_OTHER_SHOWN,
	.parse = sts_kind_parse,
	.none = sts_kind_none,
	.multiple = sts_kind_multiple,
	.counts = sts_kind_counts,
};

struct sts_record *
sts_record_select(const struct txt_rr *rrs, size_t nrrs, const char *subject,
    struct finding_list *fl)
{
	return txt_record_select(&sts_kind, rrs, nrrs, subject, fl);
}

void
sts_record_free(struct sts_record *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nfields; i++) {
		free(r->fields[i].name);
		free(r->fields[i].value);
	}
	free(r->fields);
	free(r->id);
	free(r->raw);
	free(r);
}

void
sts_record_new_id(char buf[STS_RECORD_ID_LEN + 1], time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, STS_RECORD_ID_LEN + 1, "%Y%m%dT%H%M%S", &tm) !=
		STS_RECORD_ID_LEN)
		memcpy(buf, "19700101T000000", STS_RECORD_ID_LEN + 1);
}

void
sts_record_fix(struct finding_list *fl, const char *owner, time_t now)
{
	struct finding *f;
	char		id[STS_RECORD_ID_LEN + 1], *rr;
	const char     *own = owner != NULL ? owner : "_mta-sts";
	size_t		i;

	sts_record_new_id(id, now);
	/* Zone-file form: an owner with a dot is absolute, else relative. */
	rr = xasprintf("%s%s IN TXT \"%s; id=%s\"", own,
	    strchr(own, '.') != NULL ? "." : "", STS_VERSION, id);
	for (i = 0; (f = finding_list_at(fl, i)) != NULL; i++) {
		switch (f->code) {
		case FINDING_STS_TXT_MISSING:
			if (strncmp(own, "_mta-sts.", 9) == 0)
				finding_set_fix(f,
				    "Publish %s once "
				    "https://mta-sts.%s/.well-known/"
				    "mta-sts.txt serves the policy",
				    rr, own + 9);
			else
				finding_set_fix(f, "Publish %s", rr);
			break;
		case FINDING_STS_TXT_SYNTAX:
			finding_set_fix(f,
			    "Replace the record with exactly %s (v=STSv1 "
			    "first, case-sensitive, no spaces around =)",
			    rr);
			break;
		case FINDING_STS_TXT_ID_INVALID:
			finding_set_fix(f,
			    "Publish %s: an id is 1 to 32 letters and digits",
			    rr);
			break;
		case FINDING_STS_TXT_MULTIPLE:
			finding_set_fix(f,
			    "Delete every v=STSv1 record at %s and publish "
			    "exactly one: %s",
			    own, rr);
			break;
		default:
			break;
		}
	}
	free(rr);
}
