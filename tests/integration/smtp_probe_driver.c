/*
 * Test driver for engine/mx_tls and engine/smtp_probe: probes the hosts
 * and addresses given on the command line and prints one JSON object per
 * line (per address, per finding, and with -v the transcripts), for
 * tests/integration/smtp-probe.sh.  Not installed.
 *
 * usage: smtp_probe_driver [-v] [-m 0|1|2] [-p port] [-s scale] [-c cafile]
 *            [-e ehlo] [-w days] [-k skiphost] [-f 4|6] [-S]
 *            HOST=ADDR[,ADDR...] ...
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "certinfo.h"
#include "finding.h"
#include "jsonw.h"
#include "mx_lookup.h"
#include "layer_mx_tls.h"
#include "mx_tls.h"
#include "smtp_probe.h"
#include "smtp_reply.h"
#include "xmalloc.h"

static void usage(void);
static void emit(struct jsonw *);
static void add_host(struct mx_set *, const char *);
static void print_probe(const char *, const struct smtp_probe_result *, int);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: smtp_probe_driver [-vS] [-m mode] [-p port] "
	    "[-s scale] [-c cafile] [-e ehlo] [-w days] [-k skiphost] "
	    "[-f family] HOST=ADDR[,ADDR...] ...\n");
	exit(2);
}

static void
emit(struct jsonw *j)
{
	char *s;

	s = jsonw_finish(j, NULL);
	printf("%s\n", s);
	free(s);
	jsonw_free(j);
}

static void
add_host(struct mx_set *mx, const char *arg)
{
	struct mx_host *h;
	const char     *eq;
	char	       *list, *p, *a;

	if ((eq = strchr(arg, '=')) == NULL || eq == arg)
		usage();
	mx->host = xreallocarray(mx->host, mx->nhost + 1, sizeof(*mx->host));
	h = &mx->host[mx->nhost++];
	memset(h, 0, sizeof(*h));
	h->name = xstrndup(arg, (size_t)(eq - arg));
	h->pref = (unsigned)mx->nhost * 10;
	h->pattern = -2;
	list = xstrdup(eq + 1);
	for (p = list; (a = strsep(&p, ",")) != NULL;) {
		if (*a == '\0')
			continue;
		h->addrs.addr = xreallocarray(h->addrs.addr, h->addrs.n + 1,
		    sizeof(*h->addrs.addr));
		h->addrs.addr[h->addrs.n++] = xstrdup(a);
	}
	free(list);
}

static void
print_probe(const char *what, const struct smtp_probe_result *p, int verbose)
{
	struct jsonw *j;
	size_t	      i;

	if (p == NULL)
		return;
	j = jsonw_new(0);
	jsonw_object_begin(j, NULL);
	jsonw_string(j, "type", what);
	jsonw_string(j, "host", p->host);
	jsonw_string(j, "address", p->address);
	jsonw_string(j, "fail", smtp_probe_fail_name(p->fail));
	jsonw_string(j, "fail_state", smtp_probe_state_name(p->fail_state));
	jsonw_int(j, "fail_code", p->fail_code);
	if (p->reason != NULL)
		jsonw_string(j, "reason", p->reason);
	jsonw_int(j, "elapsed_ms", p->elapsed_ms);
	if (p->banner != NULL)
		jsonw_string(j, "banner", p->banner->lines[0]);
	jsonw_bool(j, "starttls_offered", p->starttls_offered);
	jsonw_bool(j, "starttls_repeated", p->starttls_repeated);
	jsonw_bool(j, "tls", p->tls);
	if (p->tls_version != NULL)
		jsonw_string(j, "tls_version", p->tls_version);
	if (p->tls_cipher != NULL)
		jsonw_string(j, "tls_cipher", p->tls_cipher);
	if (p->tls_kx != NULL)
		jsonw_string(j, "tls_kx", p->tls_kx);
	jsonw_int(j, "ncerts",
	    p->chain != NULL ? (long long)p->chain->ncerts : 0);
	if (p->chain != NULL && p->chain->ncerts > 0) {
		jsonw_string(j, "leaf_subject", p->chain->certs[0].subject);
		jsonw_int(j, "leaf_days_left", p->chain->certs[0].days_left);
	}
	jsonw_array_begin(j, "step_ms");
	for (i = 0; i < SMTP_PROBE_NSTATES; i++)
		jsonw_int(j, NULL, p->step_ms[i]);
	jsonw_array_end(j);
	if (verbose) {
		jsonw_array_begin(j, "transcript");
		for (i = 0; i < p->nevents; i++) {
			char *line;

			line = xasprintf("%6ld %-9s %c %s", p->events[i].ms,
			    smtp_probe_state_name(p->events[i].state),
			    p->events[i].dir, p->events[i].text);
			jsonw_string(j, NULL, line);
			free(line);
		}
		jsonw_array_end(j);
	}
	jsonw_object_end(j);
	emit(j);
}

int
main(int argc, char **argv)
{
	struct mx_tls_options o;
	struct mx_set	      mx;
	struct mx_tls_result *res;
	struct finding_list  *fl;
	const struct finding *f;
	const char	    **skip = NULL;
	struct jsonw	     *j;
	char		     *cause = NULL, *s;
	size_t		      i, k;
	int		      ch, mode = 2, verbose = 0;

	memset(&o, 0, sizeof(o));
	/* Every lab MX at once: not one check, so no per-check cap. */
	o.max_addrs = (size_t)-1;
	memset(&mx, 0, sizeof(mx));
	while ((ch = getopt(argc, argv, "c:e:f:k:m:p:s:Svw:")) != -1) {
		switch (ch) {
		case 'c':
			o.ca_file = optarg;
			break;
		case 'e':
			o.ehlo_name = optarg;
			break;
		case 'f':
			o.family = (int)strtol(optarg, NULL, 10);
			break;
		case 'k':
			skip = xreallocarray(skip, o.nskip + 1, sizeof(*skip));
			skip[o.nskip++] = optarg;
			o.skip = skip;
			break;
		case 'm':
			mode = (int)strtol(optarg, NULL, 10);
			break;
		case 'p':
			o.port = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			o.timeout_scale = strtod(optarg, NULL);
			break;
		case 'S':
			o.serial = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'w':
			o.expiry_warn_days = (int)strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	for (i = 0; i < (size_t)argc; i++)
		add_host(&mx, argv[i]);

	if (gnutls_global_init() < 0) {
		fprintf(stderr, "gnutls_global_init failed\n");
		return 2;
	}
	if ((res = mx_tls_probe(&mx, &o, &cause)) == NULL) {
		fprintf(stderr, "mx_tls_probe: %s\n", cause);
		free(cause);
		return 2;
	}
	fl = finding_list_new();
	mx_tls_judge(res, mode, fl);

	for (i = 0; i < res->nhosts; i++) {
		const struct mx_tls_host *h = &res->hosts[i];

		if (h->skipped || h->naddrs == 0) {
			s = mx_tls_summary(res, h, NULL);
			j = jsonw_new(0);
			jsonw_object_begin(j, NULL);
			jsonw_string(j, "type", "summary");
			jsonw_string(j, "host", h->name);
			jsonw_string(j, "line", s);
			jsonw_object_end(j);
			emit(j);
			free(s);
			continue;
		}
		for (k = 0; k < h->naddrs; k++) {
			const struct mx_tls_addr *a = &h->addrs[k];

			s = mx_tls_summary(res, h, a);
			j = jsonw_new(0);
			jsonw_object_begin(j, NULL);
			jsonw_string(j, "type", "summary");
			jsonw_string(j, "host", h->name);
			jsonw_string(j, "address", a->address);
			jsonw_string(j, "line", s);
			if (a->verify != NULL) {
				jsonw_string(j, "verdict",
				    certinfo_verdict_name(a->verify->verdict));
				jsonw_string(j, "verify_detail",
				    a->verify->detail);
			}
			jsonw_object_end(j);
			emit(j);
			free(s);
			print_probe("probe", a->probe, verbose);
			print_probe("probe_nosni", a->nosni, verbose);
			print_probe("probe_legacy", a->legacy, verbose);
		}
	}
	for (i = 0; i < finding_list_count(fl); i++) {
		f = finding_list_get(fl, i);
		j = jsonw_new(0);
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "type", "finding");
		jsonw_string(j, "code", finding_code_name(f->code));
		jsonw_string(j, "severity", finding_severity_name(f->severity));
		if (f->subject != NULL)
			jsonw_string(j, "subject", f->subject);
		jsonw_string(j, "message", f->message);
		jsonw_object_end(j);
		emit(j);
	}
	j = jsonw_new(0);
	jsonw_object_begin(j, NULL);
	jsonw_string(j, "type", "done");
	jsonw_int(j, "elapsed_ms", res->elapsed_ms);
	jsonw_string(j, "trust", res->trust_source);
	jsonw_string(j, "worst", finding_severity_name(finding_list_worst(fl)));
	jsonw_object_end(j);
	emit(j);

	finding_list_free(fl);
	mx_tls_result_free(res);
	for (i = 0; i < mx.nhost; i++) {
		free(mx.host[i].name);
		dns_addrs_free(&mx.host[i].addrs);
	}
	free(mx.host);
	free(skip);
	gnutls_global_deinit();
	return 0;
}
