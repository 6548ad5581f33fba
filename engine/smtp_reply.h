/*
 * smtp_reply: a strict, bounded parser for SMTP server replies (RFC 5321
 * section 4.2) and the EHLO keyword lookup (section 4.1.1.1).
 *
 * Feed the bytes as they arrive; the parser stops after each complete
 * reply, so the caller sees where one reply ends and the next begins (a
 * STARTTLS 220 followed by more plaintext bytes is visible that way).
 *
 * What is accepted:
 * - a reply is one or more lines "XYZ-text" ended by one "XYZ text" or a
 *   bare "XYZ"; X is 2 to 5, Y is 0 to 5, Z is 0 to 9, and every line of
 *   a reply carries the same code;
 * - lines end with CRLF; a bare LF is tolerated (as the Postfix and
 *   OpenSMTPD clients do) and recorded in bare_lf so a judge can say so;
 *   a CR anywhere else is an error;
 * - text is HT and printable ASCII, plus octets >= 0x80 (RFC 6531 allows
 *   UTF-8 reply text); NUL and other control characters are errors.
 * Limits: SMTP_REPLY_LINEMAX octets per line including CRLF,
 * SMTP_REPLY_MAXLINES lines and SMTP_REPLY_MAXSIZE octets per reply.  Going
 * over a limit or malformed input is an error with a reason; the parser
 * then refuses further input (the connection is not worth reading on).
 *
 * Pure: no I/O, no global state.  Ownership: parsers and replies are freed
 * with their _free function; smtp_reply_parser_take() hands the reply over.
 */
#ifndef MTASTS_SMTP_REPLY_H
#define MTASTS_SMTP_REPLY_H

#include <stddef.h>

#define SMTP_REPLY_LINEMAX \
	1000 /* RFC 5321 4.5.3.1.6 text line; the
					   reply line limit (512) is exceeded
					   by real servers, 1000 is not */
#define SMTP_REPLY_MAXLINES 100
#define SMTP_REPLY_MAXSIZE  16384

/* A complete reply; read-only for clients. */
struct smtp_reply {
	int    code;	/* 200 to 559 */
	char **lines;	/* text after "XYZ-"/"XYZ ", no EOL */
	size_t nlines;	/* >= 1 */
	size_t size;	/* octets on the wire, EOLs included */
	int    bare_lf; /* a line ended with LF alone */
};

enum smtp_reply_status {
	SMTP_REPLY_MORE = 0, /* everything consumed, reply incomplete */
	SMTP_REPLY_DONE,     /* one reply complete, take it */
	SMTP_REPLY_ERROR     /* malformed or over a limit; see _error */
};

struct smtp_reply_parser;

struct smtp_reply_parser *smtp_reply_parser_new(void);
void			  smtp_reply_parser_free(struct smtp_reply_parser *);
/*
 * Consumes bytes up to the end of one reply.  *used gets the number of
 * bytes consumed: len for MORE, up to and including the final EOL for
 * DONE, up to and including the offending byte for ERROR.
 */
enum smtp_reply_status smtp_reply_parser_feed(struct smtp_reply_parser *,
    const void *buf, size_t len, size_t *used);
/* After DONE: the reply (caller frees); the parser is ready for the next. */
struct smtp_reply *smtp_reply_parser_take(struct smtp_reply_parser *);
/* After ERROR: one line saying why; owned by the parser. */
const char *smtp_reply_parser_error(const struct smtp_reply_parser *);
/* Octets of an unfinished reply held by the parser. */
size_t smtp_reply_parser_pending(const struct smtp_reply_parser *);

/*
 * Parses exactly one reply at the start of buf.  Returns it (caller frees)
 * with *used set as above, or NULL with *cause set (caller frees) when the
 * input is malformed or ends before the reply does.
 */
struct smtp_reply *smtp_reply_parse(const void *buf, size_t len, size_t *used,
    char **cause);
void		   smtp_reply_free(struct smtp_reply *);

/*
 * Looks for an EHLO extension keyword (case-insensitive) in lines 1..n of
 * an EHLO reply (line 0 is the greeting).  A line counts when its first
 * word is a well-formed ehlo-keyword equal to keyword.  Returns 1 and sets
 * *params (if not NULL) to the text after the keyword and its spaces
 * ("" when none), or returns 0.
 */
int smtp_reply_ehlo_has(const struct smtp_reply *, const char *keyword,
    const char **params);

#endif
