/*
 * gen: the deployment a rollout step needs, generated from one struct
 * gen_spec: the policy file, the zone snippet, octoDNS YAML, records.yaml
 * and web server snippets.
 *
 * Call order: gen_spec_init(), set fields (the gen_spec_add_* helpers copy
 * their strings; the spec owns everything in it), gen_validate(), then
 * gen_format() per output.  gen_validate() checks every field the way our
 * checker does and then runs the generated policy and TXT values through
 * policy_parse(), sts_record_parse() and tlsrpt_record_parse(): anything
 * that yields a warning or an error is refused, naming the field.  The
 * generators assume a validated spec.
 */
#ifndef MTASTS_WIZARD_GEN_H
#define MTASTS_WIZARD_GEN_H

#include <stddef.h>

#include "policy_parse.h"

struct finding_list;
struct schedule;

#define GEN_MAX_MX	    64
#define GEN_MAX_RUA	    16
#define GEN_MAX_ADDR	    8
#define GEN_TTL		    3600     /* seconds, every record */
#define GEN_MAX_AGE_TESTING 86400    /* one day */
#define GEN_MAX_AGE_ENFORCE 1209600  /* two weeks */
#define GEN_MAX_AGE_FINAL   31557600 /* the RFC's maximum */

enum gen_format {
	GEN_FORMAT_POLICY,
	GEN_FORMAT_ZONE,
	GEN_FORMAT_OCTODNS,
	GEN_FORMAT_YAML,
	GEN_FORMAT_NGINX,
	GEN_FORMAT_APACHE,
	GEN_FORMAT__COUNT
};

/* What a validation error is about; the front end names its option. */
enum gen_field {
	GEN_FIELD_DOMAIN,
	GEN_FIELD_MODE,
	GEN_FIELD_MAX_AGE,
	GEN_FIELD_MX,
	GEN_FIELD_RUA,
	GEN_FIELD_ID,
	GEN_FIELD_ADDRESS,
	GEN_FIELD_CNAME
};

struct gen_spec {
	char		*domain; /* A-label, no trailing dot */
	enum policy_mode mode;
	long long	 max_age;
	char		*mx[GEN_MAX_MX];
	size_t		 nmx;
	char		*rua[GEN_MAX_RUA];
	size_t		 nrua;
	char		*id;
	char		*addr[GEN_MAX_ADDR]; /* policy host A/AAAA */
	size_t		 naddr;
	char		*cname; /* policy host CNAME, no root dot */
	unsigned	 ttl;
};

/* Mode testing, max_age one day, TTL GEN_TTL, nothing else. */
void gen_spec_init(struct gen_spec *, const char *domain);
void gen_spec_free(struct gen_spec *);
void gen_spec_copy(struct gen_spec *dst, const struct gen_spec *);
/* These copy the string; they return -1 when the list is full. */
int  gen_spec_add_mx(struct gen_spec *, const char *);
int  gen_spec_add_rua(struct gen_spec *, const char *);
int  gen_spec_add_addr(struct gen_spec *, const char *);
void gen_spec_remove_mx(struct gen_spec *, size_t i);
void gen_spec_set_id(struct gen_spec *, const char *);
/* Drops one trailing root dot. */
void gen_spec_set_cname(struct gen_spec *, const char *);

/*
 * Returns 0 if everything generated from the spec passes our parsers with
 * nothing worse than an informational finding; those go to notes (if not
 * NULL).  Otherwise returns -1 with *field set and *cause set to one
 * sentence (caller frees).
 */
int gen_validate(const struct gen_spec *, enum gen_field *field, char **cause,
    struct finding_list *notes);
/* Checks one field alone (for live validation while typing). */
int gen_validate_mx(const char *, char **cause);
int gen_validate_rua(const char *, char **cause);
int gen_validate_id(const char *, char **cause);

/*
 * One output.  sched (for records.yaml) may be NULL.  Returns the text
 * (caller frees), or NULL with *cause set (caller frees).
 */
char *gen_format(const struct gen_spec *, const struct schedule *,
    enum gen_format, size_t *len, char **cause);
/* "policy", "zone", ... as --format takes them; and the file name. */
const char *gen_format_name(enum gen_format);
const char *gen_format_file(enum gen_format);
int	    gen_format_lookup(const char *);
/* The TXT values, without quoting (caller frees). */
char *gen_sts_txt(const struct gen_spec *);
char *gen_tlsrpt_txt(const struct gen_spec *);
/* The policy body, CRLF line ends (caller frees). */
char *gen_policy(const struct gen_spec *, size_t *len);
/* Parses "testing", "enforce" or "none"; -1 otherwise. */
int gen_mode_lookup(const char *);

#endif
