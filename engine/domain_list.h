/*
 * domain_list: the input of a scan, one domain per line.
 *
 * Bytes come in chunks of any size (domain_list_feed), so a file, stdin
 * and the fuzzer share one parser.  A line is a domain name, optionally
 * followed by a comment; '#' starts a comment, blank lines and the
 * whitespace around a name are ignored.  Every name goes through
 * domain_name_parse() (domain.h): U-labels become A-labels, the U-label
 * form is kept for the report's domain_unicode.  A second line with the
 * same A-label is dropped with a note naming both lines.
 *
 * Input is hostile: a line longer than DOMAIN_LIST_MAX_LINE bytes, a NUL
 * byte or invalid UTF-8 make the line invalid (it is consumed without
 * being kept), and at most DOMAIN_LIST_MAX domains are kept; each invalid
 * or dropped line gives one note through the callback and is skipped,
 * never fatal.  Past DOMAIN_LIST_MAX_NOTES notes, one last note says so
 * and the rest are counted only.
 *
 * Not thread-safe; the list owns its strings until domain_list_free().
 */
#ifndef MTASTS_DOMAIN_LIST_H
#define MTASTS_DOMAIN_LIST_H

#include <stddef.h>

#define DOMAIN_LIST_MAX_LINE  1024     /* bytes, without the newline */
#define DOMAIN_LIST_MAX	      10000000 /* domains kept */
#define DOMAIN_LIST_MAX_NOTES 10000    /* notes given per list */

struct domain_list;

/* line is 1-based; msg is printable (names are sanitised). */
typedef void (
    *domain_list_note_cb)(unsigned long line, const char *msg, void *arg);

struct domain_list_counts {
	unsigned long lines;	  /* lines read */
	size_t	      domains;	  /* kept */
	size_t	      invalid;	  /* invalid lines, skipped */
	size_t	      duplicates; /* dropped as duplicates */
	size_t	      over;	  /* dropped past DOMAIN_LIST_MAX */
};

struct domain_list *domain_list_new(domain_list_note_cb, void *arg);
void		    domain_list_free(struct domain_list *);
/* Parses len more bytes. */
void domain_list_feed(struct domain_list *, const void *buf, size_t len);
/* The input ended: a last line without its newline is taken. */
void domain_list_end(struct domain_list *);
/*
 * Reads a whole file descriptor (feed and end).  Returns 0, or -1 with
 * *cause set (caller frees) on a read error.
 */
int domain_list_read_fd(struct domain_list *, int fd, char **cause);

size_t domain_list_count(const struct domain_list *);
/* Lower-case A-label of entry i (in input order). */
const char *domain_list_ascii(const struct domain_list *, size_t i);
/* U-label form of entry i, or NULL when it has no IDN label. */
const char *domain_list_unicode(const struct domain_list *, size_t i);
/* Input line of entry i. */
unsigned long domain_list_line(const struct domain_list *, size_t i);
/* Index of an A-label, or -1 when it is not in the list. */
long domain_list_find(const struct domain_list *, const char *ascii);
void domain_list_counts(const struct domain_list *,
    struct domain_list_counts *);

#endif
