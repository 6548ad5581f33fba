#include "config.h"
#include "rollout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "id.h"
#include "jsonw.h"
#include "mx_tls.h"
#include "output.h"
#include "policy_parse.h"
#include "report_summary.h"
#include "state.h"
#include "strbuf.h"
#include "sts_record.h"
#include "tlsrpt_record.h"
#include "verdict.h"
#include "xmalloc.h"

#define ROLLOUT_MAX_TEXT (64 * 1024)

static int rollout_id_is(const struct state *, const char *, enum policy_mode);
static int rollout_mx_tls(const struct mx_tls_result *, char *, size_t);
static char *rollout_when(const struct state *, int, long);

static const char *rollout_status_names[] = { "not done", "done",
	"cannot judge yet", "deviation" };
static const char *rollout_status_keys[] = { "not_done", "done", "unknown",
	"deviation" };

const char *
rollout_status_name(enum rollout_status s)
{
	return rollout_status_names[s];
}

void
rollout_facts_init(struct rollout_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->mode = POLICY_MODE_MISSING;
	f->max_age = -1;
	f->mx_tls = -1;
	f->clean_days = -1;
}

void
rollout_facts_from_check(struct rollout_facts *f, const struct check *c)
{
	const struct sts_record	   *sts = check_sts_record(c);
	const struct policy	   *p = check_policy(c);
	const struct tlsrpt_record *rpt = check_tlsrpt_record(c);
	const struct verdict	   *v = check_verdict(c);
	size_t			    i;

	f->checked = check_failure(c) == NULL;
	f->txt_valid = sts != NULL && sts->valid;
	if (f->txt_valid && sts->id != NULL)
		snprintf(f->txt_id, sizeof(f->txt_id), "%s", sts->id);
	f->policy_fetched = p != NULL;
	f->policy_valid = p != NULL && p->valid;
	if (f->policy_valid) {
		f->mode = p->mode;
		f->max_age = p->max_age;
		f->nmx = p->nmx;
		for (i = 0; i < p->nmx && i < GEN_MAX_MX; i++)
			snprintf(f->mx[i], sizeof(f->mx[i]), "%s",
			    p->mx[i].pattern);
	}
	f->tlsrpt_usable = rpt != NULL && rpt->usable;
	f->enforce_ready = v != NULL && v->enforce_ready;
	f->refused = v != NULL && v->exit_status == 2;
	f->mx_tls = rollout_mx_tls(check_mx_tls(c), f->mx_tls_why,
	    sizeof(f->mx_tls_why));
}

/*
 * Phase 1 from the probe of every MX address: 1 when each one passes,
 * 0 when one fails or refuses the connection (no SMTP there is no
 * passing STARTTLS; why says which), -1 when none was judged (not run,
 * port 25 blocked here, cut by the deadline).
 */
static int
rollout_mx_tls(const struct mx_tls_result *res, char *why, size_t len)
{
	const struct mx_tls_host *h;
	enum mx_tls_outcome	  o;
	enum finding_code	  code;
	const char		 *w;
	size_t			  i, j, ok = 0, unknown = 0;

	if (res == NULL || mx_tls_port25_blocked(res))
		return -1;
	for (i = 0; i < res->nhosts; i++) {
		h = &res->hosts[i];
		if (h->skipped) {
			unknown++;
			continue;
		}
		if (h->naddrs == 0) {
			snprintf(why, len, "%s has no address", h->name);
			return 0;
		}
		for (j = 0; j < h->naddrs; j++) {
			o = mx_tls_addr_outcome(&h->addrs[j], &code, &w);
			if (o == MX_TLS_OUTCOME_OK)
				ok++;
			else if (o == MX_TLS_OUTCOME_UNKNOWN)
				unknown++;
			else {
				snprintf(why, len, "%s %s %s (%s)", h->name,
				    h->addrs[j].address,
				    o == MX_TLS_OUTCOME_UNREACHABLE
					? "takes no connection"
					: "fails the STARTTLS probe",
				    w != NULL ? w : finding_code_name(code));
				return 0;
			}
		}
	}
	return ok > 0 && unknown == 0 ? 1 : -1;
}

void
rollout_facts_hooks(struct rollout_facts *f, const struct rollout_hooks *h,
    const char *domain, long today)
{
	if (h == NULL)
		return;
	if (h->mx_tls != NULL)
		f->mx_tls = h->mx_tls(domain, h->arg);
	if (h->clean_days != NULL)
		f->clean_days = h->clean_days(domain, today, h->arg);
}

/* The fix of a blocker: its own, else its finding's, else the catalog's. */
static const char *
rollout_item_fix(const struct check *c, const struct verdict_item *it)
{
	const struct finding_list *fl;
	const struct finding	  *fd;
	size_t			   i, l;

	if (it->fix != NULL)
		return it->fix;
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		fl = check_layer_findings(c, (enum check_layer)l);
		for (i = 0; fl != NULL && i < finding_list_count(fl); i++) {
			fd = finding_list_get(fl, i);
			if (fd->code == it->code &&
			    (it->subject == NULL || fd->subject == NULL ||
				strcmp(fd->subject, it->subject) == 0))
				return finding_fix(fd);
		}
	}
	return finding_code_fix(it->code);
}

static void
rollout_fix_add(struct rollout_report *r, const struct check *c,
    const struct verdict_item *it)
{
	struct rollout_fix *x = &r->fixes[r->nfixes++];

	x->code = xstrdup(finding_code_name(it->code));
	x->subject = it->subject != NULL ? xstrdup(it->subject) : NULL;
	x->why = xstrdup(it->why != NULL ? it->why : "");
	x->fix = xstrdup(rollout_item_fix(c, it));
}

/*
 * The fix-now block: the verdict's blockers with their fixes, then every
 * MX host the strict senders cannot deliver to that no blocker names
 * (nothing listening there is no MTA-STS matter, but mail is refused).
 */
static void
rollout_fix_now(struct rollout_report *r, const struct check *c)
{
	const struct verdict	  *v = check_verdict(c);
	const struct verdict_host *h;
	struct verdict_item	   it;
	size_t			   i, j, nhosts = 0;

	if (v->nviews > 0)
		nhosts = v->views[0].nhosts;
	r->fix_delivery = xstrdup(v->delivery != NULL ? v->delivery : "");
	r->fix_files = v->cause_mta_sts;
	r->fixes = xcalloc(v->nblockers + nhosts + 1, sizeof(*r->fixes));
	for (i = 0; i < v->nblockers; i++)
		rollout_fix_add(r, c, &v->blockers[i]);
	for (i = 0; i < nhosts; i++) {
		h = &v->views[0].hosts[i];
		if (verdict_outcome_delivers(h->outcome) ||
		    h->outcome == VERDICT_UNKNOWN || !h->has_code)
			continue;
		for (j = 0; j < v->nblockers; j++)
			if (v->blockers[j].subject != NULL &&
			    strcmp(v->blockers[j].subject, h->name) == 0)
				break;
		if (j < v->nblockers)
			continue;
		memset(&it, 0, sizeof(it));
		it.code = h->code;
		it.subject = h->name;
		it.why = h->why;
		rollout_fix_add(r, c, &it);
	}
}

struct rollout_report *
rollout_judge_run(const struct state *st, const struct check *c,
    const struct report_gate *gate, long today, struct rollout_facts *f)
{
	struct rollout_report *r;

	rollout_facts_init(f);
	if (c != NULL)
		rollout_facts_from_check(f, c);
	if (gate != NULL) {
		f->reports_given = 1;
		f->reports_read = gate->nreports;
		f->reports_domain = gate->ndomain_reports;
		f->reports_future = gate->nfuture;
		/* Without an sts report for the domain the watch phase is
		 * unknown. */
		if (gate->state != REPORT_GATE_NO_DATA)
			f->clean_days = (int)gate->clean_days;
	}
	r = rollout_judge(st, f, today);
	if (r->fix_now && c != NULL && check_verdict(c) != NULL)
		rollout_fix_now(r, c);
	return r;
}

/* Whether id was handed out by this plan with that mode. */
static int
rollout_id_is(const struct state *st, const char *id, enum policy_mode mode)
{
	size_t i;

	for (i = 0; i < st->nids; i++)
		if (strcmp(st->ids[i].id, id) == 0 && st->ids[i].mode == mode)
			return 1;
	return 0;
}

void
rollout_phase_body(const struct state *st, int phase, enum policy_mode *mode,
    long long *max_age)
{
	*mode = st->spec.mode;
	*max_age = st->spec.max_age;
	if (phase == SCHEDULE_ENFORCE) {
		*mode = POLICY_MODE_ENFORCE;
		*max_age = GEN_MAX_AGE_ENFORCE;
	} else if (phase == SCHEDULE_MAX_AGE) {
		*mode = POLICY_MODE_ENFORCE;
		*max_age = GEN_MAX_AGE_FINAL;
	}
}

/* The latest id the plan handed out for that body, or NULL. */
static const char *
rollout_plan_id(const struct state *st, enum policy_mode mode,
    long long max_age)
{
	size_t i;

	for (i = st->nids; i > 0; i--)
		if (st->ids[i - 1].mode == mode &&
		    st->ids[i - 1].max_age == max_age)
			return st->ids[i - 1].id;
	return NULL;
}

/* Whether the served mx lines are the plan's, as a set. */
static int
rollout_mx_same(const struct state *st, const struct rollout_facts *f)
{
	size_t i, j;

	if (f->nmx > GEN_MAX_MX)
		return 0;
	for (i = 0; i < f->nmx; i++) {
		for (j = 0; j < st->spec.nmx; j++)
			if (strcasecmp(f->mx[i], st->spec.mx[j]) == 0)
				break;
		if (j == st->spec.nmx)
			return 0;
	}
	for (j = 0; j < st->spec.nmx; j++) {
		for (i = 0; i < f->nmx; i++)
			if (strcasecmp(f->mx[i], st->spec.mx[j]) == 0)
				break;
		if (i == f->nmx)
			return 0;
	}
	return 1;
}

/*
 * NULL when the served policy is the planned body of phase, else what
 * differs, in words (caller frees).
 */
static char *
rollout_body_diff(const struct state *st, const struct rollout_facts *f,
    int phase)
{
	enum policy_mode mode;
	long long	 max_age;
	struct strbuf	 sb;
	size_t		 i;

	rollout_phase_body(st, phase, &mode, &max_age);
	if (f->mode == mode && f->max_age == max_age && rollout_mx_same(st, f))
		return NULL;
	strbuf_init(&sb, ROLLOUT_MAX_TEXT);
	strbuf_addstr(&sb, "the served policy is not the plan's mta-sts.txt:");
	if (f->mode != mode)
		strbuf_addf(&sb, " mode %s (plan: %s)",
		    policy_mode_name(f->mode), policy_mode_name(mode));
	if (f->max_age != max_age)
		strbuf_addf(&sb, "%s max_age %lld (plan: %lld)",
		    f->mode != mode ? ";" : "", f->max_age, max_age);
	if (!rollout_mx_same(st, f)) {
		strbuf_addf(&sb, "%s mx",
		    f->mode != mode || f->max_age != max_age ? ";" : "");
		for (i = 0; i < f->nmx && i < GEN_MAX_MX; i++)
			strbuf_addf(&sb, " %s", f->mx[i]);
		strbuf_addstr(&sb, " (plan:");
		for (i = 0; i < st->spec.nmx; i++)
			strbuf_addf(&sb, " %s", st->spec.mx[i]);
		strbuf_addstr(&sb, ")");
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * The later phase whose planned body and id are live (the plan moved on
 * through `rollout next`), or -1.
 */
static int
rollout_moved_on(const struct state *st, const struct rollout_facts *f,
    int after)
{
	enum policy_mode mode;
	long long	 max_age;
	const char	*id;
	char		*diff;
	int		 p;

	for (p = SCHEDULE_MAX_AGE; p > after; p--) {
		if (p != SCHEDULE_ENFORCE && p != SCHEDULE_MAX_AGE)
			continue;
		if ((diff = rollout_body_diff(st, f, p)) != NULL) {
			free(diff);
			continue;
		}
		rollout_phase_body(st, p, &mode, &max_age);
		id = rollout_plan_id(st, mode, max_age);
		if (f->txt_valid && id != NULL && strcmp(id, f->txt_id) == 0)
			return p;
	}
	return -1;
}

/* The risk of a served policy stricter than phase allows, or NULL. */
static char *
rollout_risk(const struct state *st, const struct rollout_facts *f, int phase)
{
	enum policy_mode mode;
	long long	 max_age;
	char		*own;

	/* The plan's own settings (an enforce plan) are never a deviation. */
	if ((own = rollout_body_diff(st, f, SCHEDULE_TESTING)) == NULL)
		return NULL;
	free(own);
	rollout_phase_body(st, phase, &mode, &max_age);
	if (f->mode == POLICY_MODE_ENFORCE && mode != POLICY_MODE_ENFORCE) {
		if (f->clean_days < 0)
			return xstrdup("enforce is live before any TLS-RPT "
				       "evidence: senders refuse mail to any "
				       "MX the policy misses or whose TLS "
				       "fails, and no report has shown which "
				       "those are");
		if (f->clean_days < SCHEDULE_CLEAN_DAYS)
			return xasprintf("enforce is live with %d of %d clean "
					 "days of TLS-RPT evidence: senders "
					 "refuse mail to any MX the policy "
					 "misses or whose TLS fails",
			    f->clean_days, SCHEDULE_CLEAN_DAYS);
		return xstrdup("enforce is live before the plan's enforce "
			       "step, without its new id: senders holding the "
			       "testing policy do not fetch it");
	}
	if (f->mode == POLICY_MODE_ENFORCE && f->max_age > max_age)
		return xasprintf("max_age %lld is live before the plan raises "
				 "it: senders keep this policy that long, so "
				 "a mistake in it cannot be undone sooner",
		    f->max_age);
	return NULL;
}

/* Phase 2: the planned testing body is served. */
static void
rollout_judge_testing(const struct state *st, const struct rollout_facts *f,
    struct rollout_report *r)
{
	enum rollout_status *s = &r->status[SCHEDULE_TESTING];
	char		   **why = &r->why[SCHEDULE_TESTING];
	char		    *diff, *risk;
	int		     p;

	if (!f->checked)
		*why = xstrdup("the live check failed");
	else if (!f->policy_fetched)
		*why = xasprintf("no policy at "
				 "https://mta-sts.%s/.well-known/mta-sts.txt",
		    st->spec.domain);
	else if (!f->policy_valid)
		*why = xstrdup("the policy served is not valid");
	else if (f->mode == POLICY_MODE_NONE)
		*why = xstrdup("the policy served is in mode none");
	else if ((diff = rollout_body_diff(st, f, SCHEDULE_TESTING)) == NULL) {
		*s = ROLLOUT_DONE;
		*why = xasprintf("a valid %s policy is served, as planned "
				 "(max_age %lld)",
		    policy_mode_name(f->mode), f->max_age);
	} else if ((p = rollout_moved_on(st, f, SCHEDULE_TESTING)) != -1) {
		free(diff);
		*s = ROLLOUT_DONE;
		*why = xasprintf("passed: the plan's %s policy and id are live",
		    schedule_phase_key(p));
	} else if ((risk = rollout_risk(st, f, SCHEDULE_TESTING)) != NULL) {
		*s = ROLLOUT_DEVIATION;
		*why = xasprintf("%s; %s", risk, diff);
		free(risk);
		free(diff);
	} else
		*why = diff;
}

/* Phase 3: the TXT with the plan's id, and a usable TLS-RPT record. */
static void
rollout_judge_records(const struct state *st, const struct rollout_facts *f,
    struct rollout_report *r)
{
	enum rollout_status *s = &r->status[SCHEDULE_RECORDS];
	char		   **why = &r->why[SCHEDULE_RECORDS];
	enum policy_mode     mode;
	long long	     max_age;
	const char	    *id;

	rollout_phase_body(st, SCHEDULE_TESTING, &mode, &max_age);
	id = rollout_plan_id(st, mode, max_age);
	if (!f->checked)
		*why = xstrdup("the live check failed");
	else if (!f->txt_valid && !f->tlsrpt_usable)
		*why = xstrdup("no valid _mta-sts and no usable _smtp._tls "
			       "record");
	else if (!f->txt_valid)
		*why = xstrdup("no valid _mta-sts record");
	else if (r->status[SCHEDULE_TESTING] == ROLLOUT_DEVIATION) {
		*s = ROLLOUT_DEVIATION;
		*why = xasprintf("the TXT (id %s) makes senders apply the "
				 "policy that deviates from the plan",
		    f->txt_id);
	} else if (!f->tlsrpt_usable)
		*why = xstrdup("no usable _smtp._tls record");
	else if ((id != NULL && strcmp(id, f->txt_id) == 0) ||
	    rollout_moved_on(st, f, SCHEDULE_RECORDS) != -1) {
		*s = ROLLOUT_DONE;
		*why =
		    xasprintf("TXT (id %s) and TLS-RPT published", f->txt_id);
	} else
		*why = xasprintf("the TXT has id %s, not the plan's %s",
		    f->txt_id, id != NULL ? id : "(none yet)");
}

/* Phase 4: the clean days of the reports given, and what they held. */
static void
rollout_judge_watch(const struct rollout_facts *f, struct rollout_report *r)
{
	enum rollout_status *s = &r->status[SCHEDULE_WATCH];
	char		   **why = &r->why[SCHEDULE_WATCH];
	char		     future[96];

	future[0] = '\0';
	if (f->reports_future > 0)
		snprintf(future, sizeof(future),
		    "; %zu report%s dated after today, ignored",
		    f->reports_future, f->reports_future == 1 ? "" : "s");
	if (f->clean_days >= SCHEDULE_CLEAN_DAYS) {
		*s = ROLLOUT_DONE;
		*why = xasprintf("%d consecutive clean days%s", f->clean_days,
		    future);
	} else if (f->clean_days >= 0) {
		*why = xasprintf("%d of %d consecutive clean days%s",
		    f->clean_days, SCHEDULE_CLEAN_DAYS, future);
	} else if (!f->reports_given) {
		*s = ROLLOUT_UNKNOWN;
		*why = xstrdup("no TLS-RPT reports given: "
			       "pass --reports DIR to count the clean days");
	} else {
		*s = ROLLOUT_UNKNOWN;
		if (f->reports_domain == 0)
			*why = xasprintf("%zu report%s read, none for this "
					 "domain",
			    f->reports_read, f->reports_read == 1 ? "" : "s");
		else if (f->reports_future == f->reports_domain)
			*why = xasprintf("%zu report%s dated after today, "
					 "ignored",
			    f->reports_future,
			    f->reports_future == 1 ? "" : "s");
		else
			*why = xasprintf("%zu report%s read, %zu for this "
					 "domain, none of an sts policy%s",
			    f->reports_read, f->reports_read == 1 ? "" : "s",
			    f->reports_domain, future);
	}
}

/* Phases 5 and 6: the planned enforce body, then its long max_age. */
static void
rollout_judge_enforce(const struct state *st, const struct rollout_facts *f,
    struct rollout_report *r, int phase)
{
	enum rollout_status *s = &r->status[phase];
	char		   **why = &r->why[phase];
	enum policy_mode     mode;
	long long	     max_age;
	const char	    *id;
	char		    *diff = NULL, *risk;

	rollout_phase_body(st, phase, &mode, &max_age);
	id = rollout_plan_id(st, mode, max_age);
	if (phase == SCHEDULE_MAX_AGE &&
	    r->status[SCHEDULE_ENFORCE] != ROLLOUT_DONE) {
		*why = xstrdup("waits for enforce");
		return;
	}
	if (!f->checked || !f->policy_valid || f->mode != POLICY_MODE_ENFORCE) {
		*why = xstrdup(phase == SCHEDULE_ENFORCE
			? "no enforce policy with a published TXT is seen"
			: "waits for enforce");
		return;
	}
	if ((diff = rollout_body_diff(st, f, phase)) == NULL) {
		if (!f->txt_valid)
			*why =
			    xstrdup("the plan's policy is served; publish the "
				    "TXT with its new id");
		else if (rollout_id_is(st, f->txt_id, POLICY_MODE_TESTING))
			*why = xasprintf("the TXT still has the testing id %s",
			    f->txt_id);
		else if (id == NULL || strcmp(id, f->txt_id) != 0)
			*why = xasprintf("the TXT has id %s, not the plan's %s",
			    f->txt_id,
			    id != NULL ? id
				       : "(none yet: 'rollout next' makes it)");
		else {
			*s = ROLLOUT_DONE;
			*why = phase == SCHEDULE_ENFORCE
			    ? xasprintf("enforce policy served, TXT id %s",
				  f->txt_id)
			    : xasprintf("max_age is %lld, TXT id %s",
				  f->max_age, f->txt_id);
		}
		return;
	}
	if (phase == SCHEDULE_ENFORCE &&
	    rollout_moved_on(st, f, SCHEDULE_ENFORCE) != -1) {
		*s = ROLLOUT_DONE;
		*why = xasprintf("passed: the plan's max-age policy and id are "
				 "live (TXT id %s)",
		    f->txt_id);
	} else if (phase == SCHEDULE_ENFORCE &&
	    (risk = rollout_risk(st, f, SCHEDULE_ENFORCE)) != NULL) {
		*s = ROLLOUT_DEVIATION;
		*why = xasprintf("%s; %s", risk, diff);
		free(risk);
	} else
		*why = xasprintf("an enforce policy is live, but %s", diff);
	free(diff);
}

struct rollout_report *
rollout_judge(const struct state *st, const struct rollout_facts *f, long today)
{
	struct rollout_report *r;
	enum rollout_status   *s;
	char		     **why;
	int		       i;

	r = xcalloc(1, sizeof(*r));
	r->today = today;
	s = r->status;
	why = r->why;

	if (f->mx_tls == 1) {
		s[SCHEDULE_MX_TLS] = ROLLOUT_DONE;
		why[SCHEDULE_MX_TLS] = xstrdup("every MX passes the STARTTLS "
					       "probe");
	} else if (f->mx_tls == 0 && f->mx_tls_why[0] != '\0') {
		why[SCHEDULE_MX_TLS] =
		    xasprintf("%s: see 'mtasts-tui check'", f->mx_tls_why);
	} else if (f->mx_tls == 0) {
		why[SCHEDULE_MX_TLS] =
		    xstrdup("an MX fails the STARTTLS probe or takes no "
			    "connection (see 'mtasts-tui check')");
	} else {
		s[SCHEDULE_MX_TLS] = ROLLOUT_UNKNOWN;
		why[SCHEDULE_MX_TLS] = xstrdup("the STARTTLS probe did not "
					       "run; confirm it yourself");
	}
	rollout_judge_testing(st, f, r);
	rollout_judge_records(st, f, r);
	rollout_judge_watch(f, r);
	rollout_judge_enforce(st, f, r, SCHEDULE_ENFORCE);
	rollout_judge_enforce(st, f, r, SCHEDULE_MAX_AGE);

	/* Next: the first phase not done with no later phase done. */
	r->next = -1;
	for (i = SCHEDULE__COUNT - 1; i >= 0; i--) {
		if (s[i] == ROLLOUT_DONE)
			break;
		r->next = i;
	}
	/* A deviation is live now: going back to the plan comes first. */
	for (i = 0; i < SCHEDULE__COUNT; i++)
		if (s[i] == ROLLOUT_DEVIATION) {
			r->next = i;
			break;
		}
	r->fix_now = f->checked && f->refused;
	if (r->fix_now)
		r->next_text = xstrdup("fix now: mail is refused (above); the "
				       "plan's dates wait until it is fixed.");
	else if (r->next != -1 && s[r->next] == ROLLOUT_DEVIATION)
		r->next_text = xasprintf("%s: now, what is live deviates from "
					 "the plan (above).",
		    schedule_phase_title(r->next));
	else if (r->next != -1)
		r->next_text = rollout_when(st, r->next, today);
	return r;
}

int
rollout_report_exit(const struct rollout_report *r)
{
	int i;

	if (r->fix_now)
		return 2;
	for (i = 0; i < SCHEDULE__COUNT; i++)
		if (r->status[i] == ROLLOUT_DEVIATION)
			return 1;
	return 0;
}

/* "Serve the policy in testing: due by 2026-12-14 (3 days left)." */
static char *
rollout_when(const struct state *st, int p, long today)
{
	const struct schedule_phase *ph = &st->sched.phase[p];
	char			     d[16];

	if (today < ph->start) {
		schedule_date_format(ph->start, d, sizeof(d));
		return xasprintf("%s: starts on %s (in %ld day%s).",
		    schedule_phase_title(p), d, ph->start - today,
		    ph->start - today == 1 ? "" : "s");
	}
	schedule_date_format(ph->end, d, sizeof(d));
	if (today <= ph->end)
		return xasprintf("%s: now, due by %s (%ld day%s left).",
		    schedule_phase_title(p), d, ph->end - today + 1,
		    ph->end - today + 1 == 1 ? "" : "s");
	return xasprintf("%s: overdue since %s (%ld day%s late).",
	    schedule_phase_title(p), d, today - ph->end,
	    today - ph->end == 1 ? "" : "s");
}

void
rollout_report_free(struct rollout_report *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < SCHEDULE__COUNT; i++)
		free(r->why[i]);
	for (i = 0; i < (int)r->nfixes; i++) {
		free(r->fixes[i].code);
		free(r->fixes[i].subject);
		free(r->fixes[i].why);
		free(r->fixes[i].fix);
	}
	free(r->fixes);
	free(r->fix_delivery);
	free(r->next_text);
	free(r);
}

int
rollout_next_phase(const struct rollout_report *r)
{
	int i;

	for (i = 0; i < SCHEDULE__COUNT; i++) {
		if (i == SCHEDULE_MX_TLS || i == SCHEDULE_WATCH)
			continue;
		if (r->status[i] != ROLLOUT_DONE)
			return i;
	}
	return -1;
}

/* Whether the served policy is not the planned body of phase. */
static int
rollout_live_differs(const struct state *st, const struct rollout_facts *f,
    int phase)
{
	char *diff;

	if (!f->policy_valid)
		return 0;
	diff = rollout_body_diff(st, f, phase);
	free(diff);
	return diff != NULL;
}

int
rollout_phase_spec(struct state *st, int phase, struct gen_spec *out,
    long today, time_t now, const struct rollout_facts *live)
{
	const struct state_id *last = NULL;
	const char	     **ids;
	char		      *id;
	size_t		       n;

	gen_spec_copy(out, &st->spec);
	rollout_phase_body(st, phase, &out->mode, &out->max_age);
	if (st->nids > 0)
		last = &st->ids[st->nids - 1];
	/*
	 * Same body as the last id: keep that id, else a fresh one.  Also
	 * a fresh one when the live TXT has that id over another body:
	 * senders would not fetch the new body under an id they know.
	 */
	if (last != NULL && live != NULL && live->txt_valid &&
	    strcmp(live->txt_id, last->id) == 0 &&
	    rollout_live_differs(st, live, phase))
		last = NULL;
	if (last != NULL && last->mode == out->mode &&
	    last->max_age == out->max_age) {
		gen_spec_set_id(out, last->id);
		return 0;
	}
	ids = state_ids(st, &n);
	id = id_new(now, ids, n);
	free(ids);
	state_add_id(st, id, out->mode, out->max_age, today);
	gen_spec_set_id(out, id);
	free(id);
	return 1;
}

char *
rollout_fix_dir(const struct state *st, const struct rollout_report *r)
{
	char *base, *dir;
	int   p = rollout_next_phase(r);

	if (!r->fix_files || (p != SCHEDULE_TESTING && p != SCHEDULE_RECORDS))
		return NULL;
	base = output_default_dir(st->spec.domain);
	dir = xasprintf("%s/%s", base, schedule_phase_key(p));
	free(base);
	return dir;
}

/* The fix-now block: what is refused, why, the fix, and the files. */
static void
rollout_fix_text(struct strbuf *sb, const struct state *st,
    const struct rollout_report *r)
{
	size_t i;
	char  *dir = rollout_fix_dir(st, r);

	strbuf_addf(sb, "FIX NOW: mail to %s is refused now.\n",
	    st->spec.domain);
	if (r->fix_delivery != NULL)
		strbuf_addf(sb, "  delivery: %s\n", r->fix_delivery);
	for (i = 0; i < r->nfixes; i++) {
		strbuf_addf(sb, "  - %s", r->fixes[i].code);
		if (r->fixes[i].subject != NULL)
			strbuf_addf(sb, " %s", r->fixes[i].subject);
		if (r->fixes[i].why[0] != '\0')
			strbuf_addf(sb, ": %s", r->fixes[i].why);
		strbuf_addf(sb, "\n    fix: %s\n", r->fixes[i].fix);
	}
	if (!r->fix_files)
		strbuf_addstr(sb,
		    "  This is not the policy's doing: fix the "
		    "MX hosts above.\n");
	else if (dir != NULL)
		strbuf_addf(sb,
		    "  To stop the refusals at once: 'mtasts-tui rollout next "
		    "%s' writes the plan's files\n"
		    "  into %s/: serve %s/mta-sts.txt first, then publish "
		    "%s/zone.txt.\n",
		    st->spec.domain, dir, dir, dir);
	else
		strbuf_addstr(sb,
		    "  Fix what is listed; 'rollout next' writes "
		    "no enforce files while mail is refused.\n");
	strbuf_addstr(sb, "\n");
	free(dir);
}

char *
rollout_report_text(const struct state *st, const struct rollout_report *r)
{
	struct strbuf sb;
	char	      d1[16], d2[16];
	int	      i;

	strbuf_init(&sb, ROLLOUT_MAX_TEXT);
	schedule_date_format(st->sched.created, d1, sizeof(d1));
	schedule_date_format(r->today, d2, sizeof(d2));
	strbuf_addf(&sb,
	    "Rollout of MTA-STS for %s (plan made %s, today "
	    "%s)\n\n",
	    st->spec.domain, d1, d2);
	if (r->fix_now)
		rollout_fix_text(&sb, st, r);
	for (i = 0; i < SCHEDULE__COUNT; i++) {
		schedule_date_format(st->sched.phase[i].start, d1, sizeof(d1));
		schedule_date_format(st->sched.phase[i].end, d2, sizeof(d2));
		strbuf_addf(&sb, "%d. %-36s %s .. %s\n   %-17s %s\n", i + 1,
		    schedule_phase_title(i), d1, d2,
		    rollout_status_name(r->status[i]), r->why[i]);
	}
	if (r->next == -1)
		strbuf_addstr(&sb, "\nEvery phase is done.\n");
	else {
		strbuf_addf(&sb, "\nNext: %s\n      %s\n", r->next_text,
		    schedule_phase_help(r->next));
		if (rollout_next_phase(r) != -1)
			strbuf_addf(&sb,
			    "      'mtasts-tui rollout next %s' "
			    "writes the files for: %s.\n",
			    st->spec.domain,
			    schedule_phase_title(rollout_next_phase(r)));
	}
	return strbuf_detach(&sb, NULL);
}

/* "fix_now": null, or what refuses mail and the files that stop it. */
static void
rollout_fix_json(struct jsonw *w, const struct state *st,
    const struct rollout_report *r)
{
	size_t i;
	char  *dir;

	if (!r->fix_now) {
		jsonw_null(w, "fix_now");
		return;
	}
	jsonw_object_begin(w, "fix_now");
	jsonw_string(w, "delivery", r->fix_delivery);
	jsonw_array_begin(w, "blockers");
	for (i = 0; i < r->nfixes; i++) {
		jsonw_object_begin(w, NULL);
		jsonw_string(w, "code", r->fixes[i].code);
		jsonw_string(w, "subject", r->fixes[i].subject);
		jsonw_string(w, "why", r->fixes[i].why);
		jsonw_string(w, "fix", r->fixes[i].fix);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	dir = rollout_fix_dir(st, r);
	jsonw_string(w, "files", dir);
	free(dir);
	jsonw_object_end(w);
}

char *
rollout_report_json(const struct state *st, const struct rollout_report *r)
{
	struct jsonw *w;
	char	     *text, d[16];
	int	      i;

	w = jsonw_new(1);
	jsonw_object_begin(w, NULL);
	jsonw_string(w, "domain", st->spec.domain);
	schedule_date_format(st->sched.created, d, sizeof(d));
	jsonw_string(w, "created", d);
	schedule_date_format(r->today, d, sizeof(d));
	jsonw_string(w, "today", d);
	rollout_fix_json(w, st, r);
	jsonw_array_begin(w, "phases");
	for (i = 0; i < SCHEDULE__COUNT; i++) {
		jsonw_object_begin(w, NULL);
		jsonw_string(w, "phase", schedule_phase_key(i));
		jsonw_string(w, "title", schedule_phase_title(i));
		schedule_date_format(st->sched.phase[i].start, d, sizeof(d));
		jsonw_string(w, "start", d);
		schedule_date_format(st->sched.phase[i].end, d, sizeof(d));
		jsonw_string(w, "end", d);
		jsonw_string(w, "status", rollout_status_keys[r->status[i]]);
		jsonw_string(w, "why", r->why[i]);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	if (r->next == -1)
		jsonw_null(w, "next");
	else {
		jsonw_object_begin(w, "next");
		jsonw_string(w, "phase", schedule_phase_key(r->next));
		jsonw_string(w, "text", r->next_text);
		if (rollout_next_phase(r) != -1)
			jsonw_string(w, "artifacts",
			    schedule_phase_key(rollout_next_phase(r)));
		else
			jsonw_null(w, "artifacts");
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
	text = jsonw_finish(w, NULL);
	jsonw_free(w);
	return text;
}
