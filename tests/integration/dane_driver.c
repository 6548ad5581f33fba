/*
 * Test driver for engine/dane: for each domain, looks up the MX set,
 * probes every MX address with mx_tls (unless -n), looks up the TLSA
 * records and judges them, and prints one JSON object per line: the dane
 * data (report_json_dane + report_json_dane_matches), every dane.* and
 * mx_tls.* finding, and the summary lines.  For tests/integration/
 * dane-lab.sh.  Not installed.
 *
 * usage: dane_driver [-n] [-m 0|1|2] [-s scale] DOMAIN ...
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "dane.h"
#include "layer_dane.h"
#include "dns.h"
#include "finding.h"
#include "jsonw.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "xmalloc.h"

static void usage(void);
static void emit(struct jsonw *);
static void run_domain(const char *, int, int, double);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: dane_driver [-n] [-m mode] [-s scale] "
	    "DOMAIN ...\n");
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
run_domain(const char *domain, int mode, int probe, double scale)
{
	struct dns_options	  dopt;
	struct mx_tls_options	  topt;
	struct finding_list	 *fl, *scratch;
	struct mx_set		 *mx;
	struct mx_tls_result	 *tls = NULL;
	struct dane_result	 *dane;
	const struct finding	 *f;
	const struct mx_tls_host *th;
	struct jsonw		 *j;
	char			 *cause = NULL, *s;
	size_t			  i, k, n;

	memset(&dopt, 0, sizeof(dopt));
	dopt.timeout = 3;
	dopt.dnssec = 1;
	memset(&topt, 0, sizeof(topt));
	topt.timeout_scale = scale;
	fl = finding_list_new();
	scratch = finding_list_new();
	mx = mx_lookup(&dopt, domain, 0, scratch);
	if (probe) {
		tls = mx_tls_probe(mx, &topt, &cause);
		if (tls == NULL) {
			fprintf(stderr, "%s: mx_tls_probe: %s\n", domain,
			    cause);
			free(cause);
		} else
			mx_tls_judge(tls, mode, fl);
	}
	dane = dane_lookup(&dopt, domain, mx);
	dane_judge(dane, tls, mode, fl);

	j = jsonw_new(0);
	jsonw_object_begin(j, NULL);
	jsonw_string(j, "type", "dane");
	jsonw_string(j, "domain", domain);
	report_json_dane(j, dane);
	if (tls != NULL)
		report_json_dane_matches(j, dane, tls);
	jsonw_object_end(j);
	emit(j);

	n = finding_list_count(fl);
	for (i = 0; i < n; i++) {
		f = finding_list_get(fl, i);
		j = jsonw_new(0);
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "type", "finding");
		jsonw_string(j, "domain", domain);
		jsonw_string(j, "code", finding_code_name(f->code));
		jsonw_string(j, "severity", finding_severity_name(f->severity));
		jsonw_string(j, "subject", f->subject);
		jsonw_string(j, "message", f->message);
		jsonw_object_end(j);
		emit(j);
	}
	for (i = 0; i < dane->nhosts; i++) {
		th = NULL;
		for (k = 0; tls != NULL && k < tls->nhosts; k++)
			if (strcmp(tls->hosts[k].name, dane->hosts[i].name) ==
			    0)
				th = &tls->hosts[k];
		for (k = 0; k <= (th != NULL ? th->naddrs : 0); k++) {
			if (k > 0)
				s = dane_summary(dane, &dane->hosts[i],
				    &th->addrs[k - 1]);
			else
				s = dane_summary(dane, &dane->hosts[i], NULL);
			j = jsonw_new(0);
			jsonw_object_begin(j, NULL);
			jsonw_string(j, "type", "summary");
			jsonw_string(j, "domain", domain);
			jsonw_string(j, "line", s);
			jsonw_object_end(j);
			emit(j);
			free(s);
		}
	}
	dane_result_free(dane);
	mx_tls_result_free(tls);
	mx_set_free(mx);
	finding_list_free(scratch);
	finding_list_free(fl);
}

int
main(int argc, char **argv)
{
	double scale = 0;
	int    ch, mode = 2, probe = 1, i;

	while ((ch = getopt(argc, argv, "m:ns:")) != -1) {
		switch (ch) {
		case 'm':
			mode = (int)strtol(optarg, NULL, 10);
			break;
		case 'n':
			probe = 0;
			break;
		case 's':
			scale = strtod(optarg, NULL);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	if (gnutls_global_init() < 0) {
		fprintf(stderr, "gnutls_global_init failed\n");
		return 1;
	}
	for (i = 0; i < argc; i++)
		run_domain(argv[i], mode, probe, scale);
	gnutls_global_deinit();
	return 0;
}
