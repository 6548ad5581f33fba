#include "config.h"
#include "txt_record.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
