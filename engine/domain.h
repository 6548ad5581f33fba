/*
 * domain: turns what the user typed into a domain we may look up.
 *
 * Validation happens before any network use.  A UTF-8 (IDN) name is
 * converted to its A-label form with libidn2 (UTS #46, non-transitional);
 * an A-label input gets its U-label form for display.
 */
#ifndef MTASTS_DOMAIN_H
#define MTASTS_DOMAIN_H

#define DOMAIN_MAX_NAME	 253 /* octets, without the root dot */
#define DOMAIN_MAX_LABEL 63

struct domain_name;

/*
 * Returns a new domain_name (free with domain_name_free) or NULL with *cause
 * set to a one-line reason the caller frees.
 */
struct domain_name *domain_name_parse(const char *input, char **cause);
void		    domain_name_free(struct domain_name *);
/* Lower-case A-label form, no trailing dot: what goes on the wire. */
const char *domain_name_ascii(const struct domain_name *);
/* U-label form when the name has an IDN label, else NULL. */
const char *domain_name_unicode(const struct domain_name *);

/*
 * Checks one host name already in ASCII (LDH labels, lengths).  Returns 0,
 * or -1 with *cause set (caller frees).  allow_trailing_dot accepts one
 * root dot, as DNS tools print names.
 */
int domain_check_ldh(const char *name, int allow_trailing_dot, char **cause);

/* 4 or 6 when s is an IPv4 or IPv6 address literal (no brackets), else 0. */
int domain_addr_family(const char *s);

#endif
