#include "config.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <gnutls/gnutls.h>

#include "budget.h"
#include "clock.h"
#include "dns.h"
#include "history.h"
#include "layer.h"
#include "mx_lookup.h"
#include "mx_tls.h"
#include "dane.h"
#include "certinfo.h"
#include "policy_fetch.h"
#include "policy_parse.h"
#include "provider.h"
#include "report_summary.h"
#include "sts_record.h"
#include "tlsrpt_record.h"
#include "verdict.h"
#include "verdict_facts.h"
#include "xmalloc.h"

/* The worker jobs: the layers that wait on the network. */
enum check_job_kind {
	JOB_STS,
	JOB_FETCH,
	JOB_MX,
	JOB_TLSRPT,
	JOB__COUNT,		 /* the jobs started at once */
	JOB_MX_TLS = JOB__COUNT, /* these two start when the MX set is known */
	JOB_DANE
};

/*
 * State shared by the client and the workers, under lock.  It outlives the
 * check when check_free() abandons running workers: the last one to finish
 * frees it.
 */
struct check_core {
	pthread_mutex_t	      lock;
	int		      refs;
	int		      cancelled;
	int		      pipe[2];
	struct check_job     *done; /* finished, not yet taken */
	char		     *domain;
	struct dns_options    dns;
	char		     *resolver;
	char		     *ca_file;
	int		      family;
	unsigned	      fetch_port;
	double		      scale;
	long		      deadline_ms; /* the overall budget */
	int64_t		      deadline;	   /* absolute, set by check_start */
	time_t		      now;
	int		      serial;
	int		      no_mx_tls;
	struct mx_tls_options tls; /* strings owned below */
	char		     *ehlo_name;
	char		    **skip_mx;
	size_t		      nskip_mx;
};

/* One unit of work; handed over whole to the client when done. */
struct check_job {
	struct check_core	   *core;
	enum check_job_kind	    kind;
	struct check_job	   *next;
	struct finding_list	   *fl;
	unsigned		    elapsed_ms;
	struct dns_answer	   *answer; /* STS, TLSRPT */
	struct sts_record	   *sts;
	struct tlsrpt_record	   *rpt;
	struct dns_addrs	    addrs; /* FETCH */
	struct policy_fetch_result *fetch;
	struct mx_set		   *mx;	   /* MX */
	struct mx_set		   *mx_in; /* MX_TLS: its own copy */
	struct mx_tls_result	   *tls;
	struct dane_result	   *dane; /* DANE */
	char			   *cause;
	int64_t			    deadline; /* the layer's, absolute */
};

struct check_layer_state {
	enum check_status    status;
	int		     taken; /* its worker's result is in hand */
	unsigned	     elapsed_ms;
	char		    *skip_reason;
	struct finding_list *fl;
};

struct check {
	struct check_core	*core;
	struct check_layer_state layer[CHECK_LAYER__COUNT];
	struct timespec		 start;
	unsigned		 total_ms;
	int			 started;
	int			 jobs_left;
	int			 no_history;
	char			*history_dir;
	int			 serial;
	char			*reports;
	int			 coverage_done;
	int			 mx_tls_judged;
	int			 dane_judged;
	int			 cut; /* the overall deadline passed */
	char			*failure;

	struct dns_answer	   *sts_answer;
	struct sts_record	   *sts;
	struct dns_addrs	    policy_addrs;
	int			    have_addrs;
	struct policy_fetch_result *fetch;
	struct policy		   *policy;
	struct mx_set		   *mx;
	struct mx_tls_result	   *mx_tls;
	struct dane_result	   *dane;
	struct dns_answer	   *rpt_answer;
	struct tlsrpt_record	   *rpt;
	struct history_result	   *history;
	struct verdict		   *verdict;
	struct provider_result	   *delegation;
};

static unsigned
check_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (unsigned)((t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

int
check_global_init(char **cause)
{
	CURLcode rc;

	*cause = NULL;
	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		*cause = xasprintf("libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	if (gnutls_global_init() < 0) {
		*cause = xstrdup("GnuTLS initialisation failed");
		curl_global_cleanup();
		return -1;
	}
	return 0;
}

void
check_global_cleanup(void)
{
	gnutls_global_deinit();
	curl_global_cleanup();
}

const char *
check_layer_name(enum check_layer l)
{
	return (unsigned)l < CHECK_LAYER__COUNT ? layer_class(l)->name : "?";
}

int
check_layer_final(enum check_layer l)
{
	return (layer_class(l)->flags & LAYER_FINAL) != 0;
}

const char *
check_status_name(enum check_status s)
{
	static const char *names[] = { "pending", "running", "pass", "warn",
		"fail", "skip", "cut" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* Copies the TXT strings of an answer into the parsers' borrowed form. */
static struct txt_rr *
check_txt_rrs(const struct dns_answer *a, struct txt_string **strs)
{
	struct txt_rr *rrs;
	size_t	       i, j, n = 0;

	for (i = 0; i < a->nrr; i++)
		n += a->rr[i].nstr;
	rrs = xcalloc(a->nrr + 1, sizeof(*rrs));
	*strs = xcalloc(n + 1, sizeof(**strs));
	n = 0;
	for (i = 0; i < a->nrr; i++) {
		rrs[i].strings = *strs + n;
		rrs[i].nstrings = a->rr[i].nstr;
		for (j = 0; j < a->rr[i].nstr; j++, n++) {
			(*strs)[n].data = a->rr[i].str[j].data;
			(*strs)[n].len = a->rr[i].str[j].len;
		}
	}
	return rrs;
}

/* Findings for a TXT lookup that did not give an answer to parse. */
static int
check_txt_dns_error(const struct dns_answer *a, enum finding_code code,
    struct finding_list *fl)
{
	switch (a->status) {
	case DNS_OK:
	case DNS_NODATA:
	case DNS_NXDOMAIN:
		return 0;
	default:
		finding_add(fl, code, a->qname, 0,
		    "TXT lookup of %s failed: %s", a->qname,
		    a->error != NULL ? a->error : dns_status_name(a->status));
		return 1;
	}
}

/* One TXT question, bounded by the DNS layer's deadline. */
static struct dns_answer *
check_txt_query(struct check_job *job, const char *name)
{
	struct dns_options o = job->core->dns;

	o.deadline_ms = job->deadline = budget_layer_deadline(
	    BUDGET_DNS_LAYER_MS, job->core->scale, job->core->deadline);
	return dns_query(&o, name, DNS_TYPE_TXT);
}

static void
check_job_sts(struct check_job *job)
{
	struct check_core *core = job->core;
	struct txt_string *strs;
	struct txt_rr	  *rrs;
	char		  *name;

	name = xasprintf("_mta-sts.%s", core->domain);
	job->answer = check_txt_query(job, name);
	if (job->answer->cut)
		finding_add(job->fl, FINDING_STS_TXT_CUT, name, 0,
		    "TXT lookup of %s cut by the layer's deadline after %u ms: "
		    "%s",
		    name, job->answer->elapsed_ms, job->answer->error);
	if (check_txt_dns_error(job->answer, FINDING_STS_TXT_DNS_ERROR,
		job->fl)) {
		free(name);
		return;
	}
	if (job->answer->ncname > 0)
		finding_add(job->fl, FINDING_STS_TXT_CNAME, name, 0,
		    "%s is a CNAME; senders follow it to %s", name,
		    job->answer->cname[job->answer->ncname - 1]);
	rrs = check_txt_rrs(job->answer, &strs);
	job->sts = sts_record_select(rrs, job->answer->nrr, name, job->fl);
	sts_record_fix(job->fl, name, core->now);
	free(rrs);
	free(strs);
	/* Only the positive fact is a finding; the summary says either. */
	if (job->answer->nrr > 0 && job->answer->ad)
		finding_add(job->fl, FINDING_STS_TXT_DNSSEC, name, 0,
		    "The answer for %s was DNSSEC-validated by the resolver "
		    "(AD bit)",
		    name);
	free(name);
}

static void
check_job_fetch(struct check_job *job)
{
	struct check_core	   *core = job->core;
	struct policy_fetch_options fo;
	struct dns_options	    dno = core->dns;
	char			   *host, *cause = NULL;
	int64_t			    t0 = clock_ms();

	host = xasprintf("mta-sts.%s", core->domain);
	dno.deadline_ms = job->deadline = budget_layer_deadline(
	    BUDGET_FETCH_LAYER_MS, core->scale, core->deadline);
	dns_resolve_addrs(&dno, host, core->family, &job->addrs);
	if (job->addrs.n == 0 && clock_ms() >= job->deadline) {
		finding_add(job->fl, FINDING_FETCH_CUT, host, 0,
		    "the address lookup of %s was cut by the layer's "
		    "deadline after %ld ms: nothing was fetched",
		    host, (long)(clock_ms() - t0));
		free(host);
		return;
	}
	if (job->addrs.n == 0) {
		/* Say why: no such name is not the same as a failed lookup. */
		finding_add(job->fl, FINDING_FETCH_HOST_UNRESOLVABLE, host, 0,
		    "%s has no %saddress: %s", host,
		    core->family == 4	    ? "IPv4 "
			: core->family == 6 ? "IPv6 "
					    : "",
		    job->addrs.error != NULL ? job->addrs.error
					     : "no A or AAAA record");
		free(host);
		return;
	}
	memset(&fo, 0, sizeof(fo));
	fo.ca_file = core->ca_file;
	fo.connect_timeout_ms = budget_ms(BUDGET_FETCH_CONNECT_MS, core->scale);
	fo.total_timeout_ms = budget_ms(BUDGET_FETCH_TOTAL_MS, core->scale);
	fo.deadline_ms = job->deadline;
	fo.family = core->family;
	fo.port = core->fetch_port;
	fo.now = core->now;
	job->fetch = policy_fetch(host, (const char *const *)job->addrs.addr,
	    job->addrs.n, &fo, &cause);
	if (job->fetch == NULL) {
		finding_add(job->fl, FINDING_FETCH_CONNECT_FAILED, host, 0,
		    "The policy fetch could not start: %s", cause);
		free(cause);
	} else {
		finding_list_move(job->fl, job->fetch->findings);
		if (job->fetch->cut)
			finding_add(job->fl, FINDING_FETCH_CUT, host, 0,
			    "the fetch from %s was cut by the layer's "
			    "deadline after %ld ms",
			    host, (long)(clock_ms() - t0));
	}
	free(host);
}

static void
check_job_mx_tls(struct check_job *job)
{
	struct mx_tls_options o = job->core->tls;

	o.deadline_ms = job->deadline = budget_layer_deadline(
	    BUDGET_MX_TLS_LAYER_MS, job->core->scale, job->core->deadline);
	job->tls = mx_tls_probe(job->mx_in, &o, &job->cause);
}

static void
check_job_dane(struct check_job *job)
{
	struct dns_options o = job->core->dns;
	int64_t		   t0 = clock_ms();

	o.deadline_ms = job->deadline = budget_layer_deadline(
	    BUDGET_DANE_LAYER_MS, job->core->scale, job->core->deadline);
	job->dane = dane_lookup(&o, job->core->domain, job->mx_in);
	if (clock_ms() >= job->deadline)
		finding_add(job->fl, FINDING_DANE_CUT, job->core->domain, 0,
		    "the TLSA lookups were cut by the layer's deadline after "
		    "%ld ms; a lookup still open counts as failed",
		    (long)(clock_ms() - t0));
}

static void
check_job_mx(struct check_job *job)
{
	struct dns_options o = job->core->dns;
	int64_t		   t0 = clock_ms();

	o.deadline_ms = job->deadline = budget_layer_deadline(
	    BUDGET_MX_LAYER_MS, job->core->scale, job->core->deadline);
	job->mx = mx_lookup(&o, job->core->domain, job->core->family, job->fl);
	if (clock_ms() >= job->deadline)
		finding_add(job->fl, FINDING_MX_CUT, job->core->domain, 0,
		    "the MX lookups were cut by the layer's deadline after "
		    "%ld ms: hosts still being resolved are not examined",
		    (long)(clock_ms() - t0));
	/* --serial: probe here too, so nothing overlaps at all. */
	if (job->core->serial && job->mx->nhost > 0) {
		job->mx_in = mx_set_clone(job->mx);
		if (!job->core->no_mx_tls)
			check_job_mx_tls(job);
		check_job_dane(job);
	}
}

static void
check_job_tlsrpt(struct check_job *job)
{
	struct check_core *core = job->core;
	struct txt_string *strs;
	struct txt_rr	  *rrs;
	char		  *name;

	name = xasprintf("_smtp._tls.%s", core->domain);
	job->answer = check_txt_query(job, name);
	if (job->answer->cut)
		finding_add(job->fl, FINDING_TLSRPT_CUT, name, 0,
		    "TXT lookup of %s cut by the layer's deadline after %u ms: "
		    "%s",
		    name, job->answer->elapsed_ms, job->answer->error);
	if (!check_txt_dns_error(job->answer, FINDING_TLSRPT_DNS_ERROR,
		job->fl)) {
		rrs = check_txt_rrs(job->answer, &strs);
		job->rpt =
		    tlsrpt_record_select(rrs, job->answer->nrr, name, job->fl);
		free(rrs);
		free(strs);
	}
	free(name);
}

static void
check_core_unref(struct check_core *core)
{
	int last;

	pthread_mutex_lock(&core->lock);
	last = --core->refs == 0;
	pthread_mutex_unlock(&core->lock);
	if (!last)
		return;
	close(core->pipe[0]);
	close(core->pipe[1]);
	pthread_mutex_destroy(&core->lock);
	free(core->domain);
	free(core->resolver);
	free(core->ca_file);
	free(core->ehlo_name);
	while (core->nskip_mx > 0)
		free(core->skip_mx[--core->nskip_mx]);
	free(core->skip_mx);
	free(core);
}

static void
check_job_free(struct check_job *job)
{
	finding_list_free(job->fl);
	dns_answer_free(job->answer);
	sts_record_free(job->sts);
	tlsrpt_record_free(job->rpt);
	mx_set_free(job->mx_in);
	mx_tls_result_free(job->tls);
	dane_result_free(job->dane);
	free(job->cause);
	dns_addrs_free(&job->addrs);
	policy_fetch_result_free(job->fetch);
	mx_set_free(job->mx);
	free(job);
}

static void
check_job_run(struct check_job *job)
{
	struct check_core *core = job->core;
	struct timespec	   t0;
	ssize_t		   w;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	switch (job->kind) {
	case JOB_STS:
		check_job_sts(job);
		break;
	case JOB_FETCH:
		check_job_fetch(job);
		break;
	case JOB_MX:
		check_job_mx(job);
		break;
	case JOB_MX_TLS:
		check_job_mx_tls(job);
		break;
	case JOB_DANE:
		check_job_dane(job);
		break;
	default:
		check_job_tlsrpt(job);
		break;
	}
	job->elapsed_ms = check_ms_since(&t0);

	pthread_mutex_lock(&core->lock);
	if (core->cancelled) {
		pthread_mutex_unlock(&core->lock);
		check_job_free(job);
	} else {
		job->next = core->done;
		core->done = job;
		do {
			w = write(core->pipe[1], "", 1);
		} while (w == -1 && errno == EINTR);
		pthread_mutex_unlock(&core->lock);
	}
	check_core_unref(core);
}

static void *
check_worker(void *arg)
{
	check_job_run(arg);
	return NULL;
}

/* --serial: one thread runs every job in turn, to show what overlap buys. */
static void *
check_worker_serial(void *arg)
{
	struct check_job **jobs = arg;
	int		   i;

	for (i = 0; i < JOB__COUNT; i++)
		check_job_run(jobs[i]);
	free(jobs);
	return NULL;
}

struct check *
check_new(const char *domain, const struct check_options *opts)
{
	struct check	  *c;
	struct check_core *core;
	int		   i;

	c = xcalloc(1, sizeof(*c));
	core = xcalloc(1, sizeof(*core));
	pthread_mutex_init(&core->lock, NULL);
	core->refs = 1;
	core->pipe[0] = core->pipe[1] = -1;
	core->domain = xstrdup(domain);
	if (opts->resolver != NULL)
		core->resolver = xstrdup(opts->resolver);
	if (opts->ca_file != NULL)
		core->ca_file = xstrdup(opts->ca_file);
	core->scale = opts->timeout_scale > 0 ? opts->timeout_scale : 1.0;
	core->family = opts->family;
	core->fetch_port = opts->fetch_port;
	core->now = opts->now != 0 ? opts->now : time(NULL);
	core->dns.resolver = core->resolver;
	core->dns.port = opts->resolver_port;
	core->dns.timeout =
	    budget_ms(BUDGET_DNS_QUERY_MS, core->scale) / 1000.0;
	core->deadline_ms = opts->deadline > 0 ? (long)(opts->deadline * 1000)
					       : BUDGET_CHECK_MS;
	if (core->deadline_ms < BUDGET_CHECK_MIN_MS)
		core->deadline_ms = BUDGET_CHECK_MIN_MS;
	if (core->deadline_ms > BUDGET_CHECK_MAX_MS)
		core->deadline_ms = BUDGET_CHECK_MAX_MS;
	core->dns.dnssec = 1;
	core->serial = opts->serial;
	core->no_mx_tls = opts->no_mx_tls;
	if (opts->ehlo_name != NULL)
		core->ehlo_name = xstrdup(opts->ehlo_name);
	core->skip_mx = xcalloc(opts->nskip_mx + 1, sizeof(*core->skip_mx));
	for (i = 0; i < (int)opts->nskip_mx; i++)
		core->skip_mx[core->nskip_mx++] = xstrdup(opts->skip_mx[i]);
	core->tls.ca_file = core->ca_file;
	core->tls.ehlo_name = core->ehlo_name;
	core->tls.family = core->family;
	core->tls.port = opts->smtp_port;
	core->tls.timeout_scale = core->scale;
	core->tls.now = core->now;
	core->tls.expiry_warn_days = opts->expiry_warn_days;
	core->tls.skip = (const char *const *)core->skip_mx;
	core->tls.nskip = core->nskip_mx;
	core->tls.serial = opts->serial;
	c->core = core;
	c->no_history = opts->no_history;
	if (opts->history_dir != NULL)
		c->history_dir = xstrdup(opts->history_dir);
	c->serial = opts->serial;
	if (opts->reports != NULL)
		c->reports = xstrdup(opts->reports);
	for (i = 0; i < CHECK_LAYER__COUNT; i++) {
		c->layer[i].status = CHECK_PENDING;
		c->layer[i].fl = finding_list_new();
	}
	return c;
}

int
check_start(struct check *c, char **cause)
{
	static const enum check_layer job_layer[JOB__COUNT] = { CHECK_DNS,
		CHECK_FETCH, CHECK_MX, CHECK_TLSRPT };
	struct check_core	     *core = c->core;
	struct check_job	    **jobs;
	pthread_attr_t		      attr;
	pthread_t		      tid;
	int			      i, rc = 0;

	*cause = NULL;
	if (c->started)
		return 0;
	if (pipe(core->pipe) == -1) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		fcntl(core->pipe[i], F_SETFL,
		    fcntl(core->pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(core->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	c->started = 1;
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	core->deadline = clock_ms() + core->deadline_ms;

	jobs = xcalloc(JOB__COUNT, sizeof(*jobs));
	for (i = 0; i < JOB__COUNT; i++) {
		jobs[i] = xcalloc(1, sizeof(**jobs));
		jobs[i]->core = core;
		jobs[i]->kind = i;
		jobs[i]->fl = finding_list_new();
		c->layer[job_layer[i]].status = CHECK_RUNNING;
	}
	c->layer[CHECK_POLICY].status = CHECK_RUNNING;
	c->layer[CHECK_MX_TLS].status = CHECK_RUNNING;
	c->layer[CHECK_DANE].status = CHECK_RUNNING;
	pthread_mutex_lock(&core->lock);
	core->refs += JOB__COUNT;
	pthread_mutex_unlock(&core->lock);
	c->jobs_left = JOB__COUNT;

	/* Detached: check_free() must never wait for a stalled server. */
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (c->serial) {
		if (pthread_create(&tid, &attr, check_worker_serial, jobs) != 0)
			rc = -1;
		else
			jobs = NULL;
	} else {
		for (i = 0; i < JOB__COUNT; i++) {
			if (pthread_create(&tid, &attr, check_worker,
				jobs[i]) != 0) {
				rc = -1;
				break;
			}
			jobs[i] = NULL;
		}
	}
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		/* Jobs never started: finish them here, in this thread. */
		for (i = 0; i < JOB__COUNT; i++)
			if (jobs[i] != NULL)
				check_job_run(jobs[i]);
	}
	free(jobs);
	return 0;
}

int
check_fd(const struct check *c)
{
	return c->core->pipe[0];
}

static void
check_layer_finish(struct check *c, enum check_layer l, unsigned ms)
{
	struct check_layer_state *ls = &c->layer[l];

	finding_list_sort(ls->fl);
	ls->elapsed_ms = ms;
	switch (finding_list_worst(ls->fl)) {
	case FINDING_ERROR:
		ls->status = CHECK_FAIL;
		break;
	case FINDING_WARNING:
		ls->status = CHECK_WARN;
		break;
	default:
		ls->status = CHECK_PASS;
	}
}

static void
check_layer_skip(struct check *c, enum check_layer l, const char *why)
{
	free(c->layer[l].skip_reason);
	c->layer[l].skip_reason = xstrdup(why);
	c->layer[l].status = CHECK_SKIP;
}

/* fetch.expiring_soon: a valid policy host certificate about to lapse. */
static void
check_fetch_expiry(struct check *c, struct finding_list *fl)
{
	const struct policy_fetch_addr *a;
	int				warn = c->core->tls.expiry_warn_days;
	size_t				i;

	if (warn <= 0)
		warn = MX_TLS_EXPIRY_WARN_DAYS;
	for (i = 0; c->fetch != NULL && i < c->fetch->naddrs; i++) {
		a = &c->fetch->addrs[i];
		if (a->verify == NULL || a->verify->verdict != CERTINFO_OK ||
		    a->chain == NULL || a->chain->ncerts == 0 ||
		    a->chain->certs[0].days_left >= warn)
			continue;
		finding_add(fl, FINDING_FETCH_EXPIRING_SOON, a->address, 0,
		    "The certificate of %s at %s expires in %ld day%s "
		    "(warning threshold %d)",
		    c->fetch->host, a->address, a->chain->certs[0].days_left,
		    a->chain->certs[0].days_left == 1 ? "" : "s", warn);
	}
}

/* Starts a job that needs the MX set, on a copy of it. */
static void
check_spawn(struct check *c, enum check_job_kind kind)
{
	struct check_core *core = c->core;
	struct check_job  *job;
	pthread_attr_t	   attr;
	pthread_t	   tid;
	int		   rc;

	job = xcalloc(1, sizeof(*job));
	job->core = core;
	job->kind = kind;
	job->fl = finding_list_new();
	job->mx_in = mx_set_clone(c->mx);
	pthread_mutex_lock(&core->lock);
	core->refs++;
	pthread_mutex_unlock(&core->lock);
	c->jobs_left++;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, check_worker, job);
	pthread_attr_destroy(&attr);
	if (rc != 0)
		check_job_run(job);
}

/* The port 25 probe and the TLSA lookups start once the MX set is known. */
static void
check_spawn_mx_jobs(struct check *c)
{
	if (c->mx->nhost == 0) {
		check_layer_skip(c, CHECK_MX_TLS, "no MX host to probe");
		check_layer_skip(c, CHECK_DANE, "no MX host");
		return;
	}
	if (c->core->no_mx_tls)
		check_layer_skip(c, CHECK_MX_TLS, "--no-mx-tls");
	else
		check_spawn(c, JOB_MX_TLS);
	check_spawn(c, JOB_DANE);
}

static void
check_take_dane(struct check *c, struct check_job *job)
{
	c->layer[CHECK_DANE].elapsed_ms = job->elapsed_ms;
	c->layer[CHECK_DANE].taken = job->dane != NULL;
	c->dane = job->dane;
	job->dane = NULL;
}

static void
check_take_mx_tls(struct check *c, struct check_job *job)
{
	c->layer[CHECK_MX_TLS].elapsed_ms = job->elapsed_ms;
	if (job->tls == NULL) {
		check_layer_skip(c, CHECK_MX_TLS,
		    job->cause != NULL ? job->cause
				       : "the probe could not start");
		return;
	}
	c->mx_tls = job->tls;
	c->layer[CHECK_MX_TLS].taken = 1;
	job->tls = NULL;
}

/* 0 no policy (or mode none), 1 testing, 2 enforce: what senders apply. */
static int
check_applied_mode(const struct check *c)
{
	if (c->sts == NULL || !c->sts->valid || c->policy == NULL ||
	    !c->policy->valid)
		return 0;
	return c->policy->mode == POLICY_MODE_ENFORCE ? 2
	    : c->policy->mode == POLICY_MODE_TESTING  ? 1
						      : 0;
}

/*
 * Judging needs the policy's mode: what blocks an enforce sender is an
 * error under testing and enforce, a warning with no policy (TLS-9).
 */
static void
check_judge_mx_tls(struct check *c)
{
	c->mx_tls_judged = 1;
	if (c->mx_tls == NULL)
		return;
	mx_tls_judge(c->mx_tls, check_applied_mode(c),
	    c->layer[CHECK_MX_TLS].fl);
	check_layer_finish(c, CHECK_MX_TLS, c->layer[CHECK_MX_TLS].elapsed_ms);
}

/* DANE is judged against the chains the probe saw (DANE-13 needs both). */
static void
check_judge_dane(struct check *c)
{
	c->dane_judged = 1;
	if (c->dane == NULL)
		return;
	dane_judge(c->dane, c->mx_tls, check_applied_mode(c),
	    c->layer[CHECK_DANE].fl);
	check_layer_finish(c, CHECK_DANE, c->layer[CHECK_DANE].elapsed_ms);
}

static void
check_take(struct check *c, struct check_job *job, check_layer_cb cb, void *arg)
{
	enum check_layer l;

	switch (job->kind) {
	case JOB_STS:
		l = CHECK_DNS;
		c->sts_answer = job->answer;
		c->sts = job->sts;
		job->answer = NULL;
		job->sts = NULL;
		break;
	case JOB_FETCH:
		l = CHECK_FETCH;
		c->policy_addrs = job->addrs;
		c->have_addrs = 1;
		memset(&job->addrs, 0, sizeof(job->addrs));
		c->fetch = job->fetch;
		job->fetch = NULL;
		break;
	case JOB_MX:
		l = CHECK_MX;
		c->mx = job->mx;
		job->mx = NULL;
		if (job->dane != NULL) {
			/* --serial: the MX job did the probe and lookups. */
			if (job->tls != NULL || job->cause != NULL)
				check_take_mx_tls(c, job);
			else
				check_layer_skip(c, CHECK_MX_TLS,
				    "--no-mx-tls");
			check_take_dane(c, job);
		} else
			check_spawn_mx_jobs(c);
		break;
	case JOB_MX_TLS:
	case JOB_DANE:
		if (job->kind == JOB_MX_TLS)
			check_take_mx_tls(c, job);
		else
			check_take_dane(c, job);
		check_job_free(job);
		c->jobs_left--;
		return;
	default:
		l = CHECK_TLSRPT;
		c->rpt_answer = job->answer;
		c->rpt = job->rpt;
		job->answer = NULL;
		job->rpt = NULL;
		break;
	}
	if (l == CHECK_FETCH)
		check_fetch_expiry(c, job->fl);
	finding_list_move(c->layer[l].fl, job->fl);
	check_layer_finish(c, l, job->elapsed_ms);
	check_job_free(job);
	c->jobs_left--;
	if (cb != NULL)
		cb(c, l, arg);
}

/* The policy layer parses what the fetch layer brought back. */
static void
check_run_policy(struct check *c)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (c->fetch == NULL || c->fetch->body == NULL) {
		check_layer_skip(c, CHECK_POLICY,
		    "no policy body was "
		    "fetched (see the fetch layer)");
		return;
	}
	c->policy = policy_parse(c->fetch->body, c->fetch->body_len,
	    c->fetch->url, c->layer[CHECK_POLICY].fl);
	check_layer_finish(c, CHECK_POLICY, check_ms_since(&t0));
}

/* MX coverage needs both the MX set and a usable policy. */
static void
check_run_coverage(struct check *c)
{
	const char **patterns;
	size_t	     i;

	c->coverage_done = 1;
	if (c->policy == NULL || !c->policy->valid ||
	    c->policy->mode == POLICY_MODE_NONE)
		return;
	patterns = xcalloc(c->policy->nmx + 1, sizeof(*patterns));
	for (i = 0; i < c->policy->nmx; i++)
		patterns[i] = c->policy->mx[i].pattern;
	mx_lookup_cover(c->mx, patterns, c->policy->nmx,
	    c->policy->mode == POLICY_MODE_ENFORCE, c->core->domain,
	    c->layer[CHECK_MX].fl);
	free(patterns);
	check_layer_finish(c, CHECK_MX, c->layer[CHECK_MX].elapsed_ms);
}

static void
check_run_history(struct check *c)
{
	const char     *body = NULL, *id = NULL, **mx;
	size_t		len = 0;
	struct timespec t0;

	if (c->no_history) {
		check_layer_skip(c, CHECK_HISTORY, "--no-history");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (c->sts != NULL && c->sts->valid)
		id = c->sts->id;
	if (c->policy != NULL && c->policy->valid) {
		body = c->fetch->body;
		len = c->fetch->body_len;
	}
	if (id == NULL || body == NULL || c->mx == NULL) {
		check_layer_skip(c, CHECK_HISTORY,
		    "no valid id and policy "
		    "to compare with earlier runs");
		return;
	}
	/* The MX hosts go on record; unused patterns meet the former ones. */
	mx = mx_set_names(c->mx);
	c->history = history_update(c->history_dir, c->core->domain, id, body,
	    len, mx, c->mx->nhost, c->core->now, c->layer[CHECK_HISTORY].fl);
	free(mx);
	mx_lookup_stale(c->mx, c->history, c->core->domain,
	    c->layer[CHECK_MX].fl);
	check_layer_finish(c, CHECK_HISTORY, check_ms_since(&t0));
}

/*
 * Delegation (provider.h): once the TXT chain, the policy host's chain and
 * the fetch and policy layers are known, name the provider and diagnose a
 * failing fetch in the fetch layer.
 */
static void
check_run_delegation(struct check *c)
{
	struct provider_input in;

	memset(&in, 0, sizeof(in));
	in.domain = c->core->domain;
	in.host_cname = (const char *const *)c->policy_addrs.cname;
	in.nhost_cname = c->policy_addrs.ncname;
	in.host_nxdomain = c->policy_addrs.n == 0 &&
	    (c->policy_addrs.status4 == DNS_NXDOMAIN ||
		c->policy_addrs.status6 == DNS_NXDOMAIN);
	in.host_nodata = c->policy_addrs.n == 0 && !in.host_nxdomain &&
	    c->policy_addrs.status4 == DNS_NODATA &&
	    c->policy_addrs.status6 == DNS_NODATA;
	if (c->sts_answer != NULL) {
		in.txt_cname = (const char *const *)c->sts_answer->cname;
		in.ntxt_cname = c->sts_answer->ncname;
	}
	in.fetch = c->fetch;
	in.policy = c->policy;
	c->delegation = provider_judge(&in, c->layer[CHECK_FETCH].fl);
	check_layer_finish(c, CHECK_FETCH, c->layer[CHECK_FETCH].elapsed_ms);
}

/*
 * The overall deadline passed: every layer still waiting on the network is
 * cut, with a finding naming the step and when, and the check ends with
 * what it has.  Workers still out are abandoned: they are detached, end on
 * their layer's deadline (never later than the check's) and drop their
 * results.
 */
static void
check_cut(struct check *c, check_layer_cb cb, void *arg)
{
	const struct layer_class *k;
	struct check_layer_state *ls;
	unsigned		  ms = check_ms_since(&c->start);
	unsigned		  had = 0;
	int			  l, n;

	c->cut = 1;
	pthread_mutex_lock(&c->core->lock);
	c->core->cancelled = 1;
	pthread_mutex_unlock(&c->core->lock);
	/* Which layers had results before any was cut. */
	for (l = 0; l < CHECK_LAYER__COUNT; l++)
		if (c->layer[l].status > CHECK_RUNNING &&
		    c->layer[l].status != CHECK_CUT)
			had |= LAYER_BIT(l);
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		k = layer_class(l);
		ls = &c->layer[l];
		if (k->cut_step == NULL ||
		    (ls->status != CHECK_RUNNING &&
			ls->status != CHECK_PENDING))
			continue;
		/* A result in hand waits only for its judging input. */
		if (ls->taken)
			continue;
		n = k->cut_unstarted != NULL && (k->needs & ~had) != 0;
		finding_add(ls->fl, k->cut_code, c->core->domain, 0,
		    "%s %s%s%s: cut at the check's deadline (%.1f s), %.1f s "
		    "after the check started",
		    k->cut_step, n ? "never started (" : "did not finish",
		    n ? k->cut_unstarted : "", n ? ")" : "",
		    c->core->deadline_ms / 1000.0, ms / 1000.0);
		finding_list_sort(ls->fl);
		ls->status = CHECK_CUT;
		ls->elapsed_ms = ms;
		if (cb != NULL)
			cb(c, (enum check_layer)l, arg);
	}
	c->jobs_left = 0;
	if (c->mx == NULL) {
		c->coverage_done = 1;
		if (c->failure == NULL)
			c->failure = xasprintf("the check's deadline (%.1f s) "
					       "passed before the MX set was "
					       "known",
			    c->core->deadline_ms / 1000.0);
	}
}

static int
check_dns_dead(const struct dns_answer *a)
{
	return a != NULL &&
	    (a->status == DNS_TIMEOUT || a->status == DNS_ERROR);
}

/*
 * A domain that takes no mail (null MX, RFC 7505) needs neither a policy
 * nor reports: "publish _mta-sts" or "publish _smtp._tls" would be advice
 * to build what has no use (MX-6), so their absence is only noted.
 */
static void
check_null_mx_quiet(struct check *c)
{
	static const struct {
		enum check_layer  layer;
		enum finding_code code;
	} moot[] = { { CHECK_DNS, FINDING_STS_TXT_MISSING },
		{ CHECK_TLSRPT, FINDING_TLSRPT_MISSING } };
	struct finding *f;
	size_t		i, j;

	if (c->mx == NULL || !c->mx->null_mx || c->mx->nhost > 0)
		return;
	for (i = 0; i < sizeof(moot) / sizeof(moot[0]); i++) {
		for (j = 0; j < finding_list_count(c->layer[moot[i].layer].fl);
		     j++) {
			f = finding_list_at(c->layer[moot[i].layer].fl, j);
			if (f->code != moot[i].code)
				continue;
			f->severity = FINDING_INFO;
			finding_set_fix(f,
			    "Nothing needed: %s takes no mail "
			    "(null MX).",
			    c->core->domain);
		}
		if (c->layer[moot[i].layer].status > CHECK_RUNNING &&
		    c->layer[moot[i].layer].status != CHECK_SKIP)
			check_layer_finish(c, moot[i].layer,
			    c->layer[moot[i].layer].elapsed_ms);
	}
}

static void
check_run_verdict(struct check *c)
{
	const struct finding_list *layers[CHECK_LAYER__COUNT];
	struct verdict_reports	   rep;
	struct report_gate	   gate;
	size_t			   nbad = 0, n = 0;
	int			   i;

	if (check_dns_dead(c->sts_answer) && check_dns_dead(c->rpt_answer) &&
	    c->mx != NULL &&
	    (c->mx->status == DNS_TIMEOUT || c->mx->status == DNS_ERROR))
		c->failure = xasprintf("the DNS resolver did not answer: %s",
		    c->sts_answer->error != NULL ? c->sts_answer->error
						 : "no reply");

	check_null_mx_quiet(c);
	for (i = 0; i < CHECK_LAYER__COUNT; i++)
		if (!check_layer_final(i))
			layers[n++] = c->layer[i].fl;
	memset(&rep, 0, sizeof(rep));
	memset(&gate, 0, sizeof(gate));
	if (c->reports != NULL) {
		/* Local files only: read here, in the client thread. */
		report_gate_path(&gate, c->reports, c->core->domain,
		    REPORT_DAY_NONE, &nbad);
		rep.given = 1;
		rep.clean = gate.state == REPORT_GATE_READY;
		rep.why = gate.why != NULL ? gate.why : "no report";
	}
	c->verdict = verdict_facts_judge(c, (long long)c->core->now, &rep,
	    layers, n, c->layer[CHECK_VERDICT].fl);
	report_gate_clear(&gate);
	check_layer_finish(c, CHECK_VERDICT, 0);
	/* The verdict layer's status is the exit status in a word. */
	c->layer[CHECK_VERDICT].status = c->verdict->exit_status == 2
	    ? CHECK_FAIL
	    : c->verdict->exit_status == 1 ? CHECK_WARN
					   : CHECK_PASS;
	c->total_ms = check_ms_since(&c->start);
}

int
check_process(struct check *c, check_layer_cb cb, void *arg)
{
	struct check_core *core = c->core;
	struct check_job  *list, *job, *rev = NULL;
	char		   buf[64];

	if (!c->started || check_done(c))
		return check_done(c);
	while (read(core->pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&core->lock);
	list = core->done;
	core->done = NULL;
	pthread_mutex_unlock(&core->lock);
	/* The queue is LIFO; take jobs in the order they finished. */
	while (list != NULL) {
		job = list;
		list = job->next;
		job->next = rev;
		rev = job;
	}
	while ((job = rev) != NULL) {
		rev = job->next;
		check_take(c, job, cb, arg);
	}
	if (!c->cut && clock_ms() >= core->deadline)
		check_cut(c, cb, arg);

	if (c->layer[CHECK_FETCH].status > CHECK_RUNNING &&
	    c->layer[CHECK_POLICY].status == CHECK_RUNNING) {
		check_run_policy(c);
		if (cb != NULL)
			cb(c, CHECK_POLICY, arg);
	}
	if (c->delegation == NULL &&
	    c->layer[CHECK_POLICY].status != CHECK_RUNNING &&
	    c->layer[CHECK_DNS].status > CHECK_RUNNING) {
		check_run_delegation(c);
		if (cb != NULL)
			cb(c, CHECK_FETCH, arg);
	}
	if (!c->coverage_done && c->mx != NULL &&
	    c->layer[CHECK_POLICY].status != CHECK_RUNNING) {
		check_run_coverage(c);
		if (cb != NULL)
			cb(c, CHECK_MX, arg);
	}
	if (!c->mx_tls_judged &&
	    c->layer[CHECK_POLICY].status != CHECK_RUNNING &&
	    (c->mx_tls != NULL || c->layer[CHECK_MX_TLS].status == CHECK_SKIP ||
		c->layer[CHECK_MX_TLS].status == CHECK_CUT)) {
		check_judge_mx_tls(c);
		if (cb != NULL)
			cb(c, CHECK_MX_TLS, arg);
	}
	if (!c->dane_judged && c->mx_tls_judged &&
	    (c->dane != NULL || c->layer[CHECK_DANE].status == CHECK_SKIP ||
		c->layer[CHECK_DANE].status == CHECK_CUT)) {
		check_judge_dane(c);
		if (cb != NULL)
			cb(c, CHECK_DANE, arg);
	}
	if (c->jobs_left == 0 && c->coverage_done && c->mx_tls_judged &&
	    c->dane_judged && c->verdict == NULL) {
		check_run_history(c);
		if (cb != NULL)
			cb(c, CHECK_HISTORY, arg);
		check_run_verdict(c);
		if (cb != NULL)
			cb(c, CHECK_VERDICT, arg);
	}
	return check_done(c);
}

void
check_wait(struct check *c, check_layer_cb cb, void *arg)
{
	struct timeval tv;
	fd_set	       rfds;
	int64_t	       left;
	int	       fd = check_fd(c);

	/* Each wait ends at the overall deadline: check_process cuts there. */
	while (!check_process(c, cb, arg)) {
		left = c->core->deadline - clock_ms();
		if (left < 0)
			left = 0;
		tv.tv_sec = (time_t)(left / 1000);
		tv.tv_usec = (suseconds_t)(left % 1000) * 1000;
		FD_ZERO(&rfds);
		FD_SET(fd, &rfds);
		if (select(fd + 1, &rfds, NULL, NULL, &tv) == -1 &&
		    errno != EINTR)
			break;
	}
}

struct check *
check_run_sync(const char *domain, const struct check_options *opts,
    check_layer_cb cb, void *arg, char **cause)
{
	struct check *c = check_new(domain, opts);

	if (check_start(c, cause) != 0) {
		check_free(c);
		return NULL;
	}
	check_wait(c, cb, arg);
	return c;
}

int
check_layer_cut(const struct check *c, enum check_layer l)
{
	return c->layer[l].status == CHECK_CUT;
}

unsigned
check_deadline_ms(const struct check *c)
{
	return (unsigned)c->core->deadline_ms;
}

int
check_addr_cut(const struct check *c)
{
	return c->mx_tls != NULL && c->mx_tls->ncut > 0;
}

int
check_done(const struct check *c)
{
	return c->verdict != NULL;
}

void
check_free(struct check *c)
{
	struct check_job *job;
	int		  i;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->core->lock);
	c->core->cancelled = 1;
	while ((job = c->core->done) != NULL) {
		c->core->done = job->next;
		check_job_free(job);
	}
	pthread_mutex_unlock(&c->core->lock);
	check_core_unref(c->core);

	for (i = 0; i < CHECK_LAYER__COUNT; i++) {
		finding_list_free(c->layer[i].fl);
		free(c->layer[i].skip_reason);
	}
	dns_answer_free(c->sts_answer);
	sts_record_free(c->sts);
	dns_addrs_free(&c->policy_addrs);
	policy_fetch_result_free(c->fetch);
	policy_free(c->policy);
	mx_set_free(c->mx);
	mx_tls_result_free(c->mx_tls);
	dane_result_free(c->dane);
	dns_answer_free(c->rpt_answer);
	tlsrpt_record_free(c->rpt);
	history_result_free(c->history);
	verdict_free(c->verdict);
	provider_result_free(c->delegation);
	free(c->history_dir);
	free(c->reports);
	free(c->failure);
	free(c);
}

const char *
check_domain(const struct check *c)
{
	return c->core->domain;
}

time_t
check_time(const struct check *c)
{
	return c->core->now;
}

enum check_status
check_layer_status(const struct check *c, enum check_layer l)
{
	return c->layer[l].status;
}

unsigned
check_layer_elapsed_ms(const struct check *c, enum check_layer l)
{
	return c->layer[l].elapsed_ms;
}

const char *
check_layer_skip_reason(const struct check *c, enum check_layer l)
{
	return c->layer[l].skip_reason;
}

const struct finding_list *
check_layer_findings(const struct check *c, enum check_layer l)
{
	return c->layer[l].fl;
}

unsigned
check_elapsed_ms(const struct check *c)
{
	if (!c->started)
		return 0;
	return check_done(c) ? c->total_ms : check_ms_since(&c->start);
}

const char *
check_failure(const struct check *c)
{
	return c->failure;
}

const struct dns_answer *
check_sts_answer(const struct check *c)
{
	return c->sts_answer;
}

const struct sts_record *
check_sts_record(const struct check *c)
{
	return c->sts;
}

const struct dns_addrs *
check_policy_host_addrs(const struct check *c)
{
	return c->have_addrs ? &c->policy_addrs : NULL;
}

const struct provider_result *
check_delegation(const struct check *c)
{
	return c->delegation;
}

const struct policy_fetch_result *
check_fetch(const struct check *c)
{
	return c->fetch;
}

const struct policy *
check_policy(const struct check *c)
{
	return c->policy;
}

const struct mx_set *
check_mx(const struct check *c)
{
	return c->mx;
}

const struct mx_tls_result *
check_mx_tls(const struct check *c)
{
	return c->mx_tls;
}

const struct dane_result *
check_dane(const struct check *c)
{
	return c->dane;
}

const struct dns_answer *
check_tlsrpt_answer(const struct check *c)
{
	return c->rpt_answer;
}

const struct tlsrpt_record *
check_tlsrpt_record(const struct check *c)
{
	return c->rpt;
}

const struct history_result *
check_history(const struct check *c)
{
	return c->history;
}

const struct verdict *
check_verdict(const struct check *c)
{
	return c->verdict;
}

int
check_exit_status(const struct check *c)
{
	/* One place: the verdict's three answers decide (doc/verdict.md). */
	if (c->failure != NULL || !check_done(c))
		return 3;
	return c->verdict->exit_status;
}
