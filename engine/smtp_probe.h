/*
 * smtp_probe: one SMTP STARTTLS probe of one MX host at one address, as a
 * sending MTA sees it (RFC 3207, RFC 8461 section 4.2; TLS-1, TLS-2, TLS-6).
 *
 * The probe is a named state machine (OpenSMTPD smtp_client style):
 *   connect -> banner -> ehlo -> starttls -> handshake -> ehlo-tls -> quit
 * Every state has its own timeout; the socket is non-blocking and every
 * wait is a poll() bounded by the state's deadline, which is also never
 * later than the caller's absolute deadline_ms (the layer's), so
 * smtp_probe() returns after at most the sum of the timeouts and never
 * long after deadline_ms.  A probe stopped by deadline_ms rather than by a
 * state's own timeout is marked cut: it says nothing about the server.  Every transition and every line
 * sent or received goes into a bounded, printable transcript.  Never sends
 * MAIL FROM or RCPT TO.
 *
 * The probe only collects (banner, EHLO replies, TLS parameters, the peer
 * chain as presented); it does not verify the chain and does not judge.
 * The handshake accepts any certificate so that the chain can be collected
 * even when it would fail; mx_tls verifies it with certinfo afterwards.
 *
 * Kinds: SMTP_PROBE_FULL is the probe that is judged (SNI = host, TLS 1.2
 * or 1.3 only, EHLO again after TLS, QUIT).  SMTP_PROBE_NO_SNI repeats the
 * handshake without SNI (TLS-6).  SMTP_PROBE_LEGACY offers only TLS 1.0 and
 * 1.1 (TLS-2).  Both stop after the handshake and QUIT.  QUIT is sent and
 * the connection closed without waiting for the 221 (smtp_probe.c says why).
 *
 * Threads: no global state; any number of probes may run at once, each in
 * its own thread.  The caller has called gnutls_global_init() (GnuTLS >=
 * 3.3 does it implicitly on load).
 *
 * Ownership: the result and everything in it belong to the result, which
 * the caller frees with smtp_probe_result_free(); read-only for clients.
 */
#ifndef MTASTS_SMTP_PROBE_H
#define MTASTS_SMTP_PROBE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SMTP_PROBE_PORT		 25
#define SMTP_PROBE_EHLO_FALLBACK "mtasts-tui.invalid"
#define SMTP_PROBE_MAXEVENTS	 200 /* transcript entries kept */
#define SMTP_PROBE_EVENTMAX	 300 /* characters kept per entry */
#define SMTP_PROBE_MAXCERTS	 16  /* certificates of a chain kept */

struct certinfo_chain;
struct share;
struct smtp_reply;

enum smtp_probe_state {
	SMTP_PROBE_INIT = 0,
	SMTP_PROBE_CONNECT,
	SMTP_PROBE_BANNER,
	SMTP_PROBE_EHLO,
	SMTP_PROBE_STARTTLS,
	SMTP_PROBE_HANDSHAKE,
	SMTP_PROBE_EHLO_TLS,
	SMTP_PROBE_QUIT,
	SMTP_PROBE_DONE,
	SMTP_PROBE_NSTATES
};

/* Network outcome, first failing state wins (OpenSMTPD FAIL_* style). */
enum smtp_probe_fail {
	SMTP_PROBE_OK = 0,
	SMTP_PROBE_FAIL_CONN,	 /* refused, unreachable, reset */
	SMTP_PROBE_FAIL_TIMEOUT, /* the state's timeout ran out */
	SMTP_PROBE_FAIL_PROTO,	 /* malformed reply, closed early */
	SMTP_PROBE_FAIL_RESP,	 /* unexpected reply code */
	SMTP_PROBE_FAIL_NOTLS,	 /* EHLO does not offer STARTTLS */
	SMTP_PROBE_FAIL_TLS,	 /* the TLS handshake failed */
	SMTP_PROBE_FAIL_IMPL	 /* local: socket, GnuTLS setup */
};

enum smtp_probe_kind {
	SMTP_PROBE_FULL = 0,
	SMTP_PROBE_NO_SNI,
	SMTP_PROBE_LEGACY
};

struct smtp_probe_options {
	const char   *ehlo_name;     /* NULL: smtp_probe_ehlo_default() */
	unsigned      port;	     /* 0: 25 */
	double	      timeout_scale; /* 0: 1; scales the budget.h defaults */
	long	      connect_ms;    /* each 0: BUDGET_SMTP_*_MS, scaled */
	long	      banner_ms;
	long	      ehlo_ms; /* both EHLOs */
	long	      starttls_ms;
	long	      handshake_ms;
	long	      quit_ms;
	time_t	      now;	   /* 0: time(NULL); for days_left */
	int64_t	      deadline_ms; /* absolute clock_ms(); 0: none */
	struct share *share;	   /* per-address connection cap; NULL: none */
};

/* One transcript entry. */
struct smtp_probe_event {
	long		      ms; /* since the probe started */
	enum smtp_probe_state state;
	char		      dir;  /* '>' sent, '<' received,
					   '-' state change, '!' failure,
					   '*' note */
	char		     *text; /* printable ASCII (escaped) */
};

/* Read-only for clients. */
struct smtp_probe_result {
	char		    *host;
	char		    *address;
	int		     family; /* 4 or 6 */
	unsigned	     port;
	enum smtp_probe_kind kind;

	enum smtp_probe_fail  fail;
	enum smtp_probe_state fail_state; /* where it failed */
	int		      fail_code;  /* reply code for FAIL_RESP */
	char		     *reason;	  /* one line; NULL when OK */
	int		      cut; /* FAIL_TIMEOUT at deadline_ms: the probe
					  was stopped, not the server judged */

	long elapsed_ms;
	long step_ms[SMTP_PROBE_NSTATES];

	struct smtp_reply *banner; /* each NULL if never received */
	struct smtp_reply *ehlo;
	struct smtp_reply *starttls; /* the reply to STARTTLS */
	struct smtp_reply *ehlo_tls; /* EHLO after the handshake */
	int		   starttls_offered;
	char		  *starttls_params;   /* "STARTTLS foo": "foo" */
	int		   starttls_repeated; /* offered after TLS */
	size_t		   starttls_extra;    /* plaintext octets after the
						    220, discarded */

	int		       tls;	    /* handshake completed */
	char		      *tls_version; /* "TLS1.3" */
	char		      *tls_cipher;  /* "AES-256-GCM" */
	char		      *tls_kx;	    /* "ECDHE-RSA", "X25519", ... */
	char		      *tls_desc;    /* GnuTLS session description */
	struct certinfo_chain *chain;	    /* as presented; NULL: none */
	char		      *chain_error; /* chain could not be parsed */

	struct smtp_probe_event *events;
	size_t			 nevents;
	size_t			 events_dropped;

	atomic_int refs; /* smtp_probe_result_ref(); the last free frees */
};

/*
 * Probes host (the MX name: SNI) at address (an IPv4 or IPv6 literal).
 * Always returns a result (caller frees); local problems are
 * SMTP_PROBE_FAIL_IMPL with a reason.
 */
struct smtp_probe_result *smtp_probe(const char *host, const char *address,
    enum smtp_probe_kind, const struct smtp_probe_options *);
/* Another reference to a result (a run's probe cache hands them out). */
struct smtp_probe_result *smtp_probe_result_ref(struct smtp_probe_result *);
/* Drops one reference; the last frees.  NULL is a no-op. */
void	    smtp_probe_result_free(struct smtp_probe_result *);
const char *smtp_probe_state_name(enum smtp_probe_state);
const char *smtp_probe_fail_name(enum smtp_probe_fail);
const char *smtp_probe_kind_name(enum smtp_probe_kind);

/*
 * The EHLO name used when none is given: the host name when it is already
 * a fully qualified name, else SMTP_PROBE_EHLO_FALLBACK.  No DNS lookup (a
 * resolver call here could block without a timeout).  Caller frees.
 */
char *smtp_probe_ehlo_default(void);
/* 1 when name is acceptable on the EHLO line (host name or [literal]). */
int smtp_probe_ehlo_valid(const char *name);

#endif
