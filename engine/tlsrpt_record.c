#include "config.h"
#include "tlsrpt_record.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain.h"
#include "finding.h"
#include "strbuf.h"
#include "txt_record.h"
#include "utf8.h"
#include "xmalloc.h"

#define RPT_VERSION	    "v=TLSRPTv1"
#define RPT_VERSION_LEN	    10
#define RPT_NAME_MAX	    32
#define RPT_LOCAL_MAX	    64
#define RPT_MAX_OTHER_SHOWN 8

static int   rpt_wsp(unsigned char);
static int   rpt_alnum(unsigned char);
static int   rpt_hex(unsigned char);
static int   rpt_uri_chars(const char *, size_t, char **);
static char *rpt_decode(const char *, size_t, char **);
static int   rpt_mailto(struct tlsrpt_uri *, const char *, size_t, char **);
static int   rpt_https(struct tlsrpt_uri *, const char *, size_t, char **);
static int   rpt_rua(struct tlsrpt_record *, const char *, size_t, const char *,
      struct finding_list *);
static void  rpt_fix_missing(struct finding *, const char *);
static void  rpt_uri(struct tlsrpt_record *, const char *, size_t, const char *,
     struct finding_list *);

static int
rpt_wsp(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
rpt_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
rpt_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

const char *
tlsrpt_scheme_name(enum tlsrpt_scheme s)
{
	switch (s) {
	case TLSRPT_SCHEME_MAILTO:
		return "mailto";
	case TLSRPT_SCHEME_HTTPS:
		return "https";
	case TLSRPT_SCHEME_OTHER:
		return "other";
	default:
		return "none";
	}
}

/*
 * Bytes a URI may hold (RFC 3986), and RPT-3/RPT-6 on top: "!" must be
 * percent-encoded.  Returns 0, or -1 with *cause set.
 */
static int
rpt_uri_chars(const char *u, size_t len, char **cause)
{
	size_t	      i, j;
	unsigned char c;
	char	     *what, *show;

	for (i = 0; i < len; i++) {
		c = (unsigned char)u[i];
		if (c == '!') {
			for (j = i + 1; j < len && u[j] >= '0' && u[j] <= '9';
			     j++)
				;
			if (j > i + 1 &&
			    (j == len ||
				(j + 1 == len &&
				    strchr("kmgtKMGT", u[j]) != NULL))) {
				show = utf8_show(u + i, len - i);
				*cause = xasprintf(
				    "'%s' is a DMARC-style size "
				    "limit, which TLS-RPT does not have (a "
				    "literal '!' must be written %%21)",
				    show);
				free(show);
			} else
				*cause = xasprintf(
				    "it has a literal '!' at "
				    "character %zu, which must be written %%21",
				    i + 1);
			return -1;
		}
		if (c == '%') {
			if (i + 2 >= len || !rpt_hex(u[i + 1]) ||
			    !rpt_hex(u[i + 2])) {
				*cause =
				    xasprintf("'%%' at character %zu is "
					      "not followed by two hex digits",
					i + 1);
				return -1;
			}
			continue;
		}
		if (rpt_alnum(c) ||
		    (c != '\0' && strchr("-._~:/?#[]@$&'()*+,;=", c) != NULL))
			continue;
		what = txt_record_describe_byte(c);
		*cause = xasprintf("%s at character %zu cannot appear in a "
				   "URI (percent-encode it)",
		    what, i + 1);
		free(what);
		return -1;
	}
	return 0;
}

/* Percent-decodes (already checked); NULs are refused. */
static char *
rpt_decode(const char *s, size_t len, char **cause)
{
	char  *out, h[3];
	size_t i, o = 0;
	long   v;

	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len) {
			h[0] = s[i + 1];
			h[1] = s[i + 2];
			h[2] = '\0';
			v = strtol(h, NULL, 16);
			if (v == 0) {
				*cause = xstrdup("it encodes a NUL byte (%00)");
				free(out);
				return NULL;
			}
			out[o++] = (char)v;
			i += 2;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

/*
 * mailto: (RFC 6068) with exactly one address local@domain.  Header
 * fields after "?" are accepted and ignored; the domain must be an LDH
 * host name with a dot (INTERP, see doc).
 */
static int
rpt_mailto(struct tlsrpt_uri *u, const char *s, size_t len, char **cause)
{
	const char *q, *p, *e;
	char	   *addr, *at, *dom, *why = NULL;
	size_t	    tolen, llen, i;

	q = memchr(s, '?', len);
	tolen = q != NULL ? (size_t)(q - s) : len;
	if (q != NULL) {
		/* hfields = hfield *( "&" hfield ), hfield = hname=hvalue */
		for (p = q + 1; p < s + len;) {
			e = memchr(p, '&', (size_t)(s + len - p));
			i = e != NULL ? (size_t)(e - p) : (size_t)(s + len - p);
			if (i == 0 || memchr(p, '=', i) == NULL || *p == '=') {
				*cause = xstrdup(
				    "its header part after '?' "
				    "is not name=value pairs joined by '&'");
				return -1;
			}
			p += i + 1;
		}
	}
	if (tolen == 0) {
		*cause = xstrdup("it has no address after 'mailto:'");
		return -1;
	}
	if ((addr = rpt_decode(s, tolen, cause)) == NULL)
		return -1;
	if (strchr(addr, ',') != NULL) {
		*cause = xstrdup("it holds several addresses; give each its "
				 "own mailto: URI, separated by ','");
		goto fail;
	}
	for (i = 0; addr[i] != '\0'; i++)
		if ((unsigned char)addr[i] >= 0x80 ||
		    (unsigned char)addr[i] < 0x21 || addr[i] == 0x7f) {
			*cause = xstrdup(
			    "the address has bytes outside "
			    "printable ASCII (internationalised addresses "
			    "need SMTPUTF8, which reporters may lack)");
			goto fail;
		}
	if ((at = strrchr(addr, '@')) == NULL) {
		*cause = xstrdup("the address has no '@'");
		goto fail;
	}
	*at = '\0';
	dom = at + 1;
	llen = strlen(addr);
	if (llen == 0 || llen > RPT_LOCAL_MAX) {
		*cause = xasprintf("the local part before '@' is %zu "
				   "characters long; it must be 1 to %d",
		    llen, RPT_LOCAL_MAX);
		goto fail;
	}
	if (addr[0] == '"') {
		*cause = xstrdup("quoted local parts are not supported here; "
				 "use a plain address");
		goto fail;
	}
	for (i = 0; i < llen; i++) {
		if (rpt_alnum(addr[i]) ||
		    (addr[i] != '\0' &&
			strchr("!#$%&'*+-/=?^_`{|}~", addr[i]) != NULL))
			continue;
		if (addr[i] == '.' && i > 0 && i + 1 < llen &&
		    addr[i + 1] != '.')
			continue;
		*cause = xasprintf("the local part '%s' has '%c' where an "
				   "address cannot have it",
		    addr, addr[i]);
		goto fail;
	}
	if (dom[0] == '[') {
		*cause = xstrdup("the domain is an address literal; use a "
				 "domain name with an MX");
		goto fail;
	}
	if (domain_check_ldh(dom, 0, &why) != 0) {
		*cause = xasprintf("the domain '%s' is not a host name: %s",
		    dom, why);
		free(why);
		goto fail;
	}
	if (strchr(dom, '.') == NULL) {
		*cause = xasprintf("the domain '%s' has no dot; reporters "
				   "cannot deliver to it",
		    dom);
		goto fail;
	}
	*at = '@';
	for (i = 0; dom[i] != '\0'; i++)
		if (dom[i] >= 'A' && dom[i] <= 'Z')
			dom[i] += 'a' - 'A';
	u->target = addr;
	return 0;
fail:
	free(addr);
	return -1;
}

/* https://host[:port][/path][?query][#fragment], no userinfo. */
static int
rpt_https(struct tlsrpt_uri *u, const char *s, size_t len, char **cause)
{
	unsigned char buf[16];
	const char   *auth, *end, *colon = NULL, *p;
	char	     *host, *why = NULL;
	unsigned long port = 0;
	size_t	      i;

	if (len < 2 || s[0] != '/' || s[1] != '/') {
		*cause = xstrdup("it does not start with 'https://'");
		return -1;
	}
	auth = s + 2;
	for (end = auth;
	     end < s + len && *end != '/' && *end != '?' && *end != '#'; end++)
		;
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL) {
		*cause =
		    xstrdup("it has user information before the host "
			    "('user@'), which has no place in a report URL");
		return -1;
	}
	if (auth < end && *auth == '[') {
		p = memchr(auth, ']', (size_t)(end - auth));
		if (p == NULL) {
			*cause = xstrdup("its IPv6 host has no closing ']'");
			return -1;
		}
		host = xstrndup(auth + 1, (size_t)(p - auth - 1));
		if (inet_pton(AF_INET6, host, buf) != 1) {
			*cause = xstrdup("the bracketed host is not an IPv6 "
					 "address");
			free(host);
			return -1;
		}
		if (p + 1 < end) {
			if (p[1] != ':') {
				*cause = xstrdup("junk after the IPv6 host");
				free(host);
				return -1;
			}
			colon = p + 1;
		}
	} else {
		colon = memchr(auth, ':', (size_t)(end - auth));
		host = xstrndup(auth,
		    (size_t)((colon != NULL ? colon : end) - auth));
		if (*host == '\0') {
			*cause = xstrdup("it has no host");
			free(host);
			return -1;
		}
		if (strspn(host, "0123456789.") == strlen(host)) {
			if (inet_pton(AF_INET, host, buf) != 1) {
				*cause = xasprintf("host '%s' is neither a "
						   "name nor an IPv4 address",
				    host);
				free(host);
				return -1;
			}
		} else if (domain_check_ldh(host, 0, &why) != 0) {
			*cause = xasprintf("host '%s' is not a host name: %s",
			    host, why);
			free(why);
			free(host);
			return -1;
		}
	}
	if (colon != NULL) {
		for (p = colon + 1, i = 0; p < end; p++, i++) {
			if (*p < '0' || *p > '9' || i >= 5)
				break;
			port = port * 10 + (unsigned long)(*p - '0');
		}
		if (p != end || i == 0 || port == 0 || port > 65535) {
			*cause = xstrdup("its port is not a number from 1 to "
					 "65535");
			free(host);
			return -1;
		}
	}
	for (i = 0; host[i] != '\0'; i++)
		if (host[i] >= 'A' && host[i] <= 'Z')
			host[i] += 'a' - 'A';
	u->target = host;
	u->port = (unsigned)port;
	return 0;
}

/* Judges one URI of a rua list and appends it. */
static void
rpt_uri(struct tlsrpt_record *r, const char *s, size_t len, const char *subject,
    struct finding_list *fl)
{
	struct tlsrpt_uri u, *slot;
	size_t		  i;
	char		 *show, *cause = NULL;

	memset(&u, 0, sizeof(u));
	u.uri = xstrndup(s, len);
	show = utf8_show(s, len);
	for (i = 0; i < len &&
	     (rpt_alnum(s[i]) ||
		 (i > 0 && (s[i] == '+' || s[i] == '-' || s[i] == '.')));
	     i++)
		;
	if (i == 0 || i == len || s[i] != ':' ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
		finding_add(fl, FINDING_TLSRPT_RUA_INVALID, subject, 0,
		    "rua destination '%s' is not a URI (no scheme): write "
		    "mailto:ADDRESS or https://HOST/PATH",
		    show);
		goto out;
	}
	if (rpt_uri_chars(s, len, &cause) == -1) {
		finding_add(fl, FINDING_TLSRPT_RUA_INVALID, subject, 0,
		    "rua destination '%s': %s; reporters cannot use it", show,
		    cause);
		goto out;
	}
	if (i == 6 && strncasecmp(s, "mailto", 6) == 0) {
		u.scheme = TLSRPT_SCHEME_MAILTO;
		if (rpt_mailto(&u, s + 7, len - 7, &cause) == -1)
			finding_add(fl, FINDING_TLSRPT_RUA_INVALID, subject, 0,
			    "rua destination '%s': %s; reporters cannot use "
			    "it",
			    show, cause);
		else
			u.usable = 1;
	} else if (i == 5 && strncasecmp(s, "https", 5) == 0) {
		u.scheme = TLSRPT_SCHEME_HTTPS;
		if (rpt_https(&u, s + 6, len - 6, &cause) == -1)
			finding_add(fl, FINDING_TLSRPT_RUA_INVALID, subject, 0,
			    "rua destination '%s': %s; reporters cannot use "
			    "it",
			    show, cause);
		else
			u.usable = 1;
	} else {
		u.scheme = TLSRPT_SCHEME_OTHER;
		finding_add(fl, FINDING_TLSRPT_RUA_SCHEME, subject, 0,
		    "rua destination '%s' uses the scheme '%.*s:'; only "
		    "mailto: and https: are defined, so reporters ignore it%s",
		    show, (int)i, s,
		    i == 4 && strncasecmp(s, "http", 4) == 0 ? " (use https:)"
							     : "");
	}
out:
	free(show);
	free(cause);
	if (r->nuris >= TLSRPT_MAX_URIS) {
		/* Counted for usability, not kept. */
		if (u.usable)
			r->usable = 1;
		free(u.uri);
		free(u.target);
		return;
	}
	r->uris = xreallocarray(r->uris, r->nuris + 1, sizeof(*r->uris));
	slot = &r->uris[r->nuris++];
	*slot = u;
}

/*
 * The value of one rua= field, up to the next ';' or the end.  Returns 0,
 * or -1 when the field breaks the record's grammar (RPT-3).
 */
static int
rpt_rua(struct tlsrpt_record *r, const char *v, size_t len, const char *subject,
    struct finding_list *fl)
{
	const char *p, *e, *s, *t, *q;
	size_t	    k = 0;
	char	   *show, *what;
	int	    broken = 0;

	/* Whitespace before the ';' belongs to the delimiter. */
	while (len > 0 && rpt_wsp(v[len - 1]))
		len--;
	if (len > 0 && rpt_wsp(v[0])) {
		finding_add(fl, FINDING_TLSRPT_SYNTAX, subject, 0,
		    "whitespace after 'rua=': no spaces are allowed around "
		    "'='; the record does not parse");
		return -1;
	}
	if (len == 0) {
		finding_add(fl, FINDING_TLSRPT_RUA_INVALID, subject, 0,
		    "rua= has no URI; the record does not parse");
		return -1;
	}
	for (p = v; p <= v + len; p = e + 1, k++) {
		e = memchr(p, ',', (size_t)(v + len - p));
		if (e == NULL)
			e = v + len;
		for (s = p; s < e && rpt_wsp(*s); s++)
			;
		for (t = e; t > s && rpt_wsp(t[-1]); t--)
			;
		if (s == t) {
			finding_add(fl, FINDING_TLSRPT_RUA_INVALID, subject, 0,
			    "rua= has an empty URI at position %zu (a "
			    "leading, doubled or trailing comma); the record "
			    "does not parse",
			    k + 1);
			broken = 1;
			continue;
		}
		if (memchr(s, ' ', (size_t)(t - s)) != NULL ||
		    memchr(s, '\t', (size_t)(t - s)) != NULL) {
			show = utf8_show(s, (size_t)(t - s));
			finding_add(fl, FINDING_TLSRPT_RUA_INVALID, subject, 0,
			    "rua destination '%s' has whitespace inside "
			    "(spaces are allowed only around ',' and ';'); "
			    "the record does not parse",
			    show);
			free(show);
			broken = 1;
			continue;
		}
		for (q = s; q<t && * q> 0x20 && *q < 0x7f; q++)
			;
		if (q < t) {
			/* Outside printable ASCII: not even a URI (RPT-3). */
			show = utf8_show(s, (size_t)(t - s));
			what = txt_record_describe_byte((unsigned char)*q);
			finding_add(fl, FINDING_TLSRPT_RUA_INVALID, subject, 0,
			    "rua destination '%s' has %s; the record does not "
			    "parse",
			    show, what);
			free(what);
			free(show);
			broken = 1;
			continue;
		}
		rpt_uri(r, s, (size_t)(t - s), subject, fl);
	}
	return broken ? -1 : 0;
}

struct tlsrpt_record *
tlsrpt_record_parse(const char *rec, size_t len, const char *subject,
    struct finding_list *fl)
{
	static const char    *dmarc[] = { "ruf", "p", "sp", "pct", "fo", "rf",
		   "ri", "adkim", "aspf", "np" };
	struct tlsrpt_record *r;
	const char	     *name, *value, *semi;
	size_t		      pos, nlen, vlen, noff, i;
	int		      error = 0, dm;
	char		     *show, *what;
	unsigned char	      c;

	r = xcalloc(1, sizeof(*r));
	r->status = TLSRPT_RECORD_ONE;
	r->nrrs = r->ncandidates = 1;
	r->raw = xmalloc(len + 1);
	if (len > 0)
		memcpy(r->raw, rec, len);
	r->raw[len] = '\0';
	r->rawlen = len;
	/* Work on the terminated copy from here on. */
	rec = r->raw;

	if (len < RPT_VERSION_LEN ||
	    memcmp(rec, RPT_VERSION, RPT_VERSION_LEN) != 0) {
		txt_record_bad_start(rec, len, RPT_VERSION, "a TLS-RPT record",
		    FINDING_TLSRPT_SYNTAX, subject, fl);
		return r;
	}
	pos = RPT_VERSION_LEN;
	if (pos < len && !rpt_wsp(rec[pos]) && rec[pos] != ';') {
		for (i = pos;
		     i < len && rec[i] > 0x20 && rec[i] < 0x7f && rec[i] != ';';
		     i++)
			;
		show = utf8_show(rec, i);
		finding_add(fl, FINDING_TLSRPT_SYNTAX, subject, 0,
		    "the "
		    "version field is '%s', not v=TLSRPTv1; the record is "
		    "ignored",
		    show);
		free(show);
		return r;
	}
	for (; pos < len && rpt_wsp(rec[pos]); pos++)
		;
	if (pos > RPT_VERSION_LEN && pos < len && rec[pos] == ';')
		finding_add(fl, FINDING_TLSRPT_SPACE_BEFORE_SEMICOLON, subject,
		    0,
		    "the record starts with 'v=TLSRPTv1 ;': the grammar "
		    "allows the space, but reporters that look for the exact "
		    "prefix 'v=TLSRPTv1;' discard the record");
	if (pos == len || rec[pos] != ';') {
		finding_add(fl, FINDING_TLSRPT_SYNTAX, subject, 0,
		    "the "
		    "record has no ';' and no fields after v=TLSRPTv1: rua= "
		    "is mandatory; the record is ignored");
		return r;
	}
	pos++;
	for (; pos < len && rpt_wsp(rec[pos]); pos++)
		;
	for (;;) {
		if (pos == len)
			break;
		noff = pos;
		name = rec + pos;
		for (; pos < len &&
		     (rpt_alnum(rec[pos]) || rec[pos] == '_' ||
			 rec[pos] == '-' || rec[pos] == '.');
		     pos++)
			;
		nlen = pos - noff;
		if (nlen == 0 || !rpt_alnum(name[0]) || nlen > RPT_NAME_MAX) {
			if (nlen == 0 && rec[pos] == ';')
				finding_add(fl, FINDING_TLSRPT_SYNTAX, subject,
				    0,
				    "empty field (';;') at character %zu; "
				    "the record is ignored",
				    pos + 1);
			else if (nlen == 0) {
				what = txt_record_describe_byte(rec[pos]);
				finding_add(fl, FINDING_TLSRPT_SYNTAX, subject,
				    0,
				    "%s at character %zu cannot start a "
				    "field; the record is ignored",
				    what, pos + 1);
				free(what);
			} else {
				show = utf8_show(name, nlen);
				finding_add(fl, FINDING_TLSRPT_SYNTAX, subject,
				    0,
				    "field name '%s' is not 1 to 32 "
				    "letters, digits, '_', '-' or '.'; the "
				    "record is ignored",
				    show);
				free(show);
			}
			error = 1;
			break;
		}
		show = utf8_show(name, nlen);
		if (pos == len || rec[pos] != '=') {
			/* "rua=a;mailto:b": a URI after a ';' (RPT-6). */
			if (pos < len && rec[pos] == ':')
				finding_add(fl, FINDING_TLSRPT_RUA_INVALID,
				    subject, 0,
				    "'%s:...' at character %zu "
				    "looks like a URI after a ';': separate "
				    "URIs with ',' (a literal ';' in a URI "
				    "must be %%3B); the record does not parse",
				    show, noff + 1);
			else if (pos < len && rpt_wsp(rec[pos]))
				finding_add(fl, FINDING_TLSRPT_SYNTAX, subject,
				    0,
				    "whitespace after the field name '%s': "
				    "no spaces are allowed around '='; the "
				    "record is ignored",
				    show);
			else
				finding_add(fl, FINDING_TLSRPT_SYNTAX, subject,
				    0,
				    "field '%s' at character %zu has no "
				    "'='; the record is ignored",
				    show, noff + 1);
			free(show);
			error = 1;
			break;
		}
		pos++;
		if (nlen == 3 && memcmp(name, "rua", 3) == 0) {
			r->nrua++;
			if (r->nrua == 2)
				finding_add(fl, FINDING_TLSRPT_RUA_REPEATED,
				    subject, 0,
				    "rua= appears again at "
				    "character %zu; RFC 8460 does not say "
				    "which one reporters use, so list every "
				    "URI in one rua=",
				    noff + 1);
			semi = memchr(rec + pos, ';', len - pos);
			if (semi == NULL)
				semi = rec + len;
			if (rpt_rua(r, rec + pos, (size_t)(semi - rec) - pos,
				subject, fl) == -1)
				error = 1;
			pos = (size_t)(semi - rec);
		} else {
			value = rec + pos;
			for (; pos < len && rec[pos] >= 0x21 &&
			     rec[pos] <= 0x7e && rec[pos] != ';' &&
			     rec[pos] != '=';
			     pos++)
				;
			vlen = (size_t)(rec + pos - value);
			if (vlen == 0) {
				finding_add(fl, FINDING_TLSRPT_SYNTAX, subject,
				    0,
				    "field '%s' has an empty value or a "
				    "space after '='; the record is ignored",
				    show);
				free(show);
				error = 1;
				break;
			}
			dm = 0;
			for (i = 0; i < sizeof(dmarc) / sizeof(dmarc[0]); i++)
				if (strcmp(show, dmarc[i]) == 0)
					dm = 1;
			finding_add(fl, FINDING_TLSRPT_UNKNOWN_FIELD, subject,
			    0, "unknown field '%s' is ignored by reporters%s",
			    show,
			    dm ? " (it looks like DMARC syntax, which "
				 "TLS-RPT does not share)"
				: strcasecmp(show, "rua") == 0
				? " (field names are "
				  "case-sensitive: it is not rua)"
				: "");
		}
		free(show);
		if (pos == len)
			break;
		c = (unsigned char)rec[pos];
		if (!rpt_wsp(c) && c != ';') {
			what = txt_record_describe_byte(c);
			finding_add(fl, FINDING_TLSRPT_SYNTAX, subject, 0,
			    "%s at character %zu cannot appear in a field "
			    "value; the record is ignored",
			    what, pos + 1);
			free(what);
			error = 1;
			break;
		}
		for (i = pos; pos < len && rpt_wsp(rec[pos]); pos++)
			;
		if (pos == len || rec[pos] != ';') {
			finding_add(fl, FINDING_TLSRPT_SYNTAX, subject, 0,
			    "%s at character %zu; fields are separated by "
			    "';'; the record is ignored",
			    pos == len ? "trailing whitespace without ';'"
				       : "whitespace inside a value",
			    i + 1);
			error = 1;
			break;
		}
		pos++;
		for (; pos < len && rpt_wsp(rec[pos]); pos++)
			;
	}
	if (!error && r->nrua == 0)
		finding_add(fl, FINDING_TLSRPT_RUA_MISSING, subject, 0,
		    "the record has no rua= field: it is mandatory, so "
		    "reporters ignore the record");
	r->valid = !error && r->nrua > 0;
	for (i = 0; i < r->nuris; i++)
		if (r->uris[i].usable)
			r->usable = 1;
	r->usable = r->usable && r->valid;
	if (r->valid && !r->usable)
		finding_add(fl, FINDING_TLSRPT_NO_DESTINATION, subject, 0,
		    "none of the %zu rua destinations is usable: reports "
		    "cannot be delivered, so the record is unusable",
		    r->nuris);
	return r;
}

/*
 * The record to publish, with a mailbox at the domain, when the owner
 * names it (_smtp._tls.DOMAIN); lint knows no domain and keeps the
 * catalog's fix.
 */
static void
rpt_fix_missing(struct finding *f, const char *owner)
{
	const char *dom;

	if (owner == NULL || strncmp(owner, "_smtp._tls.", 11) != 0 ||
	    owner[11] == '\0')
		return;
	dom = owner + 11;
	finding_set_fix(f,
	    "Publish %s. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@%s\" and "
	    "make sure tlsrpt@%s accepts mail (or name another mailbox you "
	    "read)",
	    owner, dom, dom);
}

static void *
rpt_kind_parse(const char *s, size_t len, const char *subject,
    struct finding_list *fl)
{
	return tlsrpt_record_parse(s, len, subject, fl);
}

static void *
rpt_kind_none(void)
{
	return xcalloc(1, sizeof(struct tlsrpt_record));
}

static void *
rpt_kind_multiple(const struct txt_selection *sel, const char *subject,
    struct finding_list *fl)
{
	struct tlsrpt_record *r;
	char		     *show = txt_selection_candidates(sel);

	finding_add(fl, FINDING_TLSRPT_MULTIPLE, subject, 0,
	    "%zu records start with v=TLSRPTv1 (%s): reporters must assume "
	    "there is no TLS-RPT record%s",
	    sel->ncand, show,
	    sel->nspaced > 0 ? " (some use 'v=TLSRPTv1 ;', which "
			       "prefix-testing reporters discard, so "
			       "reporters disagree)"
			     : "");
	free(show);
	r = xcalloc(1, sizeof(*r));
	r->status = TLSRPT_RECORD_MULTIPLE;
	return r;
}

static void
rpt_kind_counts(void *record, size_t nrrs, size_t ncandidates)
{
	struct tlsrpt_record *r = record;

	r->nrrs = nrrs;
	r->ncandidates = ncandidates;
}

static const struct txt_record_kind_ops rpt_kind = {
	.version = RPT_VERSION,
	.default_owner = "_smtp._tls",
	.consequence = "nobody receives TLS failure reports",
	.near_what = "a TLS-RPT record",
	.who = "reporters",
	.missing = FINDING_TLSRPT_MISSING,
	.near_error = FINDING_TLSRPT_SYNTAX,
	.other = FINDING_TLSRPT_OTHER_RECORDS,
	.max_shown = RPT_MAX_OTHER_SHOWN,
	.parse = rpt_kind_parse,
	.none = rpt_kind_none,
	.multiple = rpt_kind_multiple,
	.fix_missing = rpt_fix_missing,
	.counts = rpt_kind_counts,
};

struct tlsrpt_record *
tlsrpt_record_select(const struct txt_rr *rrs, size_t nrrs, const char *subject,
    struct finding_list *fl)
{
	return txt_record_select(&rpt_kind, rrs, nrrs, subject, fl);
}

void
tlsrpt_record_free(struct tlsrpt_record *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nuris; i++) {
		free(r->uris[i].uri);
		free(r->uris[i].target);
	}
	free(r->uris);
	free(r->raw);
	free(r);
}
