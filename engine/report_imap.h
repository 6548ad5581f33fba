/*
 * report_imap: reads TLS-RPT report messages from an IMAP mailbox
 * (imaps://user@host[:port]/MAILBOX, a folder path such as
 * /Archive/tlsrpt; imap:// only with STARTTLS) into a report_input set.
 *
 * libcurl makes the connection, the TLS (verified against the system
 * trust store) and the login (CURLOPT_CONNECT_ONLY); the few commands
 * after it are ours, because libcurl's own FETCH would SELECT the mailbox
 * and set \Seen.  We send EXAMINE (read-only), UID SEARCH ALL, then for
 * each UID not read before UID FETCH (RFC822.SIZE) and UID FETCH
 * BODY.PEEK[], so nothing is deleted, moved or flagged.  Each message is
 * handed to report_input_add_buffer(), the parser files go through.
 *
 * Bounds: a message above max_message bytes is skipped and said through
 * the note callback (left unread, so a later run with a larger cap reads it); a response
 * line is at most REPORT_IMAP_MAX_LINE bytes; at most REPORT_IMAP_MAX_UIDS
 * UIDs per mailbox; every wait has the deadline timeout_ms (a stalled
 * server ends the read with an error, never a hang).
 *
 * The password comes from password_file (its first line), else the
 * environment variable REPORT_IMAP_PASSWORD_ENV, else ~/.netrc (libcurl's
 * reader); a password written in the URL is refused (it would sit in argv).
 *
 * Incremental state: with update_state, the mailbox's UIDVALIDITY and the
 * UIDs read are kept in STATE_DIR/imap/<user@host:port/mailbox, escaped>,
 * and only new UIDs are fetched; a changed UIDVALIDITY reads all again.
 * Without it (the rollout gate, which needs every report) all messages are
 * read and the state is left alone.
 *
 * Not thread-safe per call; calls on different sets may run in parallel
 * (curl_global_init must have run, as check_global_init does).
 */
#ifndef MTASTS_REPORT_IMAP_H
#define MTASTS_REPORT_IMAP_H

#include <stddef.h>

struct report_input;

#define REPORT_IMAP_PASSWORD_ENV "MTASTS_IMAP_PASSWORD"
#define REPORT_IMAP_MAX_MESSAGE	 (16 * 1024 * 1024)
#define REPORT_IMAP_MAX_LINE	 (8 * 1024 * 1024) /* a SEARCH of 1M UIDs */
#define REPORT_IMAP_MAX_UIDS	 1000000
#define REPORT_IMAP_TIMEOUT_MS	 30000

struct report_imap_opts {
	const char *password_file; /* NULL: environment, then ~/.netrc */
	const char *state_dir;	   /* NULL: $XDG_STATE_HOME/mtasts-tui */
	size_t	    max_message;   /* 0: REPORT_IMAP_MAX_MESSAGE */
	long	    timeout_ms;	   /* 0: REPORT_IMAP_TIMEOUT_MS */
	int	    update_state;  /* read only new UIDs and remember them */
	/*
	 * The engine never prints: note says a skipped message (and, for
	 * report_source_add, an unreadable mailbox); progress is called once
	 * a read has taken a second, per message, and with (n, n) at the
	 * end.  Either may be NULL.
	 */
	void (*note)(const char *, void *);
	void (*progress)(size_t done, size_t total, void *);
	void *arg;
};

/* 1 when s is an imap:// or imaps:// URL (not a file name). */
int report_imap_is_url(const char *s);
/*
 * Reads the mailbox's messages into in.  Returns 0, or -1 with *cause set
 * (caller frees): bad URL, no password, connection, TLS, login denied,
 * no such mailbox, deadline.  *nnew (may be NULL) is the messages read.
 */
int report_imap_read(struct report_input *in, const char *url,
    const struct report_imap_opts *, size_t *nnew, char **cause);

/*
 * For tests and fuzzing: runs the commands after the login against the
 * bytes a server would send (what we send goes nowhere), no state, cap
 * max_message (0: the default).  Same results as report_imap_read.
 */
int report_imap_replay(struct report_input *in, const void *server, size_t len,
    size_t max_message, size_t *nnew, char **cause);

/*
 * Process-wide options for the readers that only have a path (the
 * rollout gate): set once by the command line before any thread starts.
 */
void report_imap_set_defaults(const struct report_imap_opts *);
const struct report_imap_opts *report_imap_defaults(void);
/*
 * A path or a mailbox URL (then read with report_imap_defaults() and
 * without state); an IMAP failure returns -1 with *cause set.
 */
int report_source_add(struct report_input *in, const char *path, char **cause);

#endif
