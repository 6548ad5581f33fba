#include "config.h"
#include "domain.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "xmalloc.h"

struct domain_name {
	char *ascii;
	char *unicode;
};

static int domain_is_address(const char *);

int
domain_check_ldh(const char *name, int allow_trailing_dot, char **cause)
{
	size_t	    len, label;
	const char *p, *start;

	len = strlen(name);
	if (allow_trailing_dot && len > 1 && name[len - 1] == '.')
		len--;
	if (len == 0) {
		*cause = xstrdup("empty name");
		return -1;
	}
	if (len > DOMAIN_MAX_NAME) {
		*cause = xasprintf("name is %zu octets long, more than %d", len,
		    DOMAIN_MAX_NAME);
		return -1;
	}
	start = name;
	for (p = name;; p++) {
		if (p == name + len || *p == '.') {
			label = (size_t)(p - start);
			if (label == 0) {
				*cause = xstrdup(
				    "empty label (two dots in a "
				    "row, or a leading or trailing dot)");
				return -1;
			}
			if (label > DOMAIN_MAX_LABEL) {
				*cause = xasprintf("label '%.*s...' is %zu "
						   "octets long, more than %d",
				    16, start, label, DOMAIN_MAX_LABEL);
				return -1;
			}
			if (start[0] == '-' || p[-1] == '-') {
				*cause =
				    xasprintf("label '%.*s' starts or ends "
					      "with a hyphen",
					(int)label, start);
				return -1;
			}
			if (p == name + len)
				break;
			start = p + 1;
			continue;
		}
		if (!isascii((unsigned char)*p) ||
		    !(isalnum((unsigned char)*p) || *p == '-')) {
			if (isprint((unsigned char)*p))
				*cause = xasprintf("character '%c' cannot be "
						   "part of a host name",
				    *p);
			else
				*cause = xasprintf("byte 0x%02x cannot be part "
						   "of a host name",
				    (unsigned char)*p);
			return -1;
		}
	}
	return 0;
}

int
domain_addr_family(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, s, buf) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, buf) == 1)
		return 6;
	return 0;
}

/* An address literal, bracketed or not, or a name ending in a numeric label. */
static int
domain_is_address(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];
	const char   *last;

	if (s[0] == '[' || strchr(s, ':') != NULL)
		return 1;
	if (inet_pton(AF_INET, s, buf) == 1)
		return 1;
	last = strrchr(s, '.');
	last = last == NULL ? s : last + 1;
	if (*last == '\0')
		return 0;
	return strspn(last, "0123456789") == strlen(last);
}

struct domain_name *
domain_name_parse(const char *input, char **cause)
{
	struct domain_name *dn;
	char		   *work, *ascii = NULL, *uni = NULL, *p;
	size_t		    len;
	int		    rc, is_idn = 0;

	*cause = NULL;
	len = strlen(input);
	if (len == 0) {
		*cause = xstrdup("empty domain name");
		return NULL;
	}
	if (len > 1024) {
		*cause = xstrdup("domain name is far too long");
		return NULL;
	}
	work = xstrdup(input);
	if (len > 1 && work[len - 1] == '.')
		work[len - 1] = '\0';
	if (domain_is_address(work)) {
		*cause = xasprintf(
		    "'%s' is an address, not a domain: address "
		    "literals have no MTA-STS policy (RFC 8461 section 3.4)",
		    work);
		goto fail;
	}
	for (p = work; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			is_idn = 1;
	if (is_idn) {
		rc = idn2_to_ascii_8z(work, &ascii,
		    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		if (rc != IDN2_OK) {
			*cause = xasprintf("not a valid internationalised "
					   "domain name: %s",
			    idn2_strerror(rc));
			goto fail;
		}
	} else
		ascii = xstrdup(work);
	for (p = ascii; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	/* UTS #46 maps some characters to nothing: "2<U+FEFF>" is "2". */
	if (is_idn && domain_is_address(ascii)) {
		*cause = xasprintf("'%s' is an address, not a domain", ascii);
		goto fail;
	}
	if (domain_check_ldh(ascii, 0, cause) != 0)
		goto fail;
	if (strncmp(ascii, "xn--", 4) == 0 || strstr(ascii, ".xn--") != NULL) {
		rc = idn2_to_unicode_8z8z(ascii, &uni, 0);
		if (rc != IDN2_OK) {
			*cause = xasprintf("'%s' has an invalid A-label: %s",
			    ascii, idn2_strerror(rc));
			goto fail;
		}
	}
	free(work);
	dn = xcalloc(1, sizeof(*dn));
	dn->ascii = ascii;
	dn->unicode = uni;
	return dn;

fail:
	/* libidn2 allocates with malloc, so free() is right for both. */
	free(ascii);
	free(uni);
	free(work);
	return NULL;
}

void
domain_name_free(struct domain_name *dn)
{
	if (dn == NULL)
		return;
	free(dn->ascii);
	free(dn->unicode);
	free(dn);
}

const char *
domain_name_ascii(const struct domain_name *dn)
{
	return dn->ascii;
}

const char *
domain_name_unicode(const struct domain_name *dn)
{
	return dn->unicode;
}
