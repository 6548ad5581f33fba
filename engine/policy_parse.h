/*
 * policy_parse: the MTA-STS policy body (RFC 8461 section 3.2; rules POL-1
 * to POL-17).
 *
 * Call order: the fetch layer hands the body it received (any bytes, with a
 * length) to policy_parse(), which judges it by the strict grammar, adds
 * findings (each with its 1-based line number) to the caller's list and
 * returns a struct policy.  The body is copied (at most POLICY_MAX_BYTES of
 * it), so the caller may free it at once.  The struct is read-only for
 * callers and owns every pointer in it; free it with policy_free().
 */
#ifndef MTASTS_POLICY_PARSE_H
#define MTASTS_POLICY_PARSE_H

#include <stddef.h>
#include <stdint.h>

struct finding_list;

/* Past these bounds the rest is not analysed (policy.truncated). */
#define POLICY_MAX_BYTES (1024 * 1024)
#define POLICY_MAX_LINES 4096
#define POLICY_MAX_MX	 256

enum policy_mode {
	POLICY_MODE_MISSING = 0, /* no valid mode line */
	POLICY_MODE_NONE,
	POLICY_MODE_TESTING,
	POLICY_MODE_ENFORCE
};

/* How a line ends, so the TUI can show invisible characters. */
enum policy_eol {
	POLICY_EOL_NONE = 0, /* last line, no terminator */
	POLICY_EOL_LF,
	POLICY_EOL_CRLF,
	POLICY_EOL_CR /* bare CR: not a terminator (POL-2) */
};

struct policy_line {
	unsigned	lineno; /* 1-based */
	const char     *raw;	/* into policy->body; not terminated */
	size_t		len;	/* without the terminator */
	enum policy_eol eol;
	int		used; /* 1: senders take a field from it */
};

struct policy_mx {
	char	*pattern; /* as written, valid by POL-15 */
	unsigned lineno;
};

/* Read-only for callers. */
struct policy {
	int		    valid;	/* a strict sender accepts it */
	int		    truncated;	/* bounds hit, rest not read */
	int		    version_ok; /* "version: STSv1" present */
	enum policy_mode    mode;
	int64_t		    max_age; /* seconds, -1 if none valid */
	struct policy_mx   *mx;	     /* valid patterns, in order */
	size_t		    nmx;
	struct policy_line *lines;
	size_t		    nlines;
	char		   *body; /* copy of what was analysed */
	size_t		    bodylen;
};

/*
 * Parses len bytes of body (may hold NULs).  subject names the policy in
 * findings (e.g. its URL).  Never returns NULL.
 */
struct policy *policy_parse(const char *body, size_t len, const char *subject,
    struct finding_list *fl);
/*
 * The policy as lenient senders read it: a UTF-8 BOM dropped, leading
 * white space stripped from every line, blank lines skipped, then the
 * strict grammar.  Returns NULL unless that reading is a valid policy.
 * Used to say what such senders do where the strict ones refuse
 * (doc/verdict.md); findings of the lenient reading are discarded.
 */
struct policy *policy_parse_lenient(const char *body, size_t len);
void	       policy_free(struct policy *);
/* "none", "testing", "enforce" or "missing". */
const char *policy_mode_name(enum policy_mode);

#endif
