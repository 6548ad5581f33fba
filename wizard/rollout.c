#include "config.h"
#include "rollout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "id.h"
#include "jsonw.h"
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
static char *rollout_when(const struct state *, int, long);

static const char *rollout_status_names[] = { "not done", "done",
	"cannot judge yet" };

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

	f->checked = check_failure(c) == NULL;
	f->txt_valid = sts != NULL && sts->valid;
	if (f->txt_valid && sts->id != NULL)
		snprintf(f->txt_id, sizeof(f->txt_id), "%s", sts->id);
	f->policy_fetched = p != NULL;
	f->policy_valid = p != NULL && p->valid;
	if (f->policy_valid) {
		f->mode = p->mode;
		f->max_age = p->max_age;
	}
	f->tlsrpt_usable = rpt != NULL && rpt->usable;
	f->enforce_ready = v != NULL && v->enforce_ready;
	/* The STARTTLS probe layer judges phase 1 when it ran. */
	switch (check_layer_status(c, CHECK_MX_TLS)) {
	case CHECK_PASS:
	case CHECK_WARN:
		f->mx_tls = 1;
		break;
	case CHECK_FAIL:
		f->mx_tls = 0;
		break;
	default:
		f->mx_tls = -1;
		break;
	}
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

struct rollout_report *
rollout_judge_run(const struct state *st, const struct check *c,
    const struct report_gate *gate, long today, struct rollout_facts *f)
{
	rollout_facts_init(f);
	if (c != NULL)
		rollout_facts_from_check(f, c);
	/* Without an sts report for the domain the watch phase is unknown. */
	if (gate != NULL && gate->state != REPORT_GATE_NO_DATA)
		f->clean_days = (int)gate->clean_days;
	return rollout_judge(st, f, today);
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
	} else if (f->mx_tls == 0) {
		why[SCHEDULE_MX_TLS] =
		    xstrdup("an MX fails the STARTTLS "
			    "probe (see 'mtasts-tui check')");
	} else {
		s[SCHEDULE_MX_TLS] = ROLLOUT_UNKNOWN;
		why[SCHEDULE_MX_TLS] = xstrdup("the STARTTLS probe did not "
					       "run; confirm it yourself");
	}

	if (!f->checked)
		why[SCHEDULE_TESTING] = xstrdup("the live check failed");
	else if (!f->policy_fetched)
		why[SCHEDULE_TESTING] =
		    xasprintf("no policy at "
			      "https://mta-sts.%s/.well-known/mta-sts.txt",
			st->spec.domain);
	else if (!f->policy_valid)
		why[SCHEDULE_TESTING] = xstrdup("the policy served is not "
						"valid");
	else if (f->mode == POLICY_MODE_NONE)
		why[SCHEDULE_TESTING] = xstrdup("the policy served is in mode "
						"none");
	else {
		s[SCHEDULE_TESTING] = ROLLOUT_DONE;
		why[SCHEDULE_TESTING] = xasprintf("a valid %s policy is "
						  "served",
		    policy_mode_name(f->mode));
	}

	if (!f->checked)
		why[SCHEDULE_RECORDS] = xstrdup("the live check failed");
	else if (!f->txt_valid && !f->tlsrpt_usable)
		why[SCHEDULE_RECORDS] = xstrdup("no valid _mta-sts and no "
						"usable _smtp._tls record");
	else if (!f->txt_valid)
		why[SCHEDULE_RECORDS] = xstrdup("no valid _mta-sts record");
	else if (!f->tlsrpt_usable)
		why[SCHEDULE_RECORDS] = xstrdup("no usable _smtp._tls "
						"record");
	else {
		s[SCHEDULE_RECORDS] = ROLLOUT_DONE;
		why[SCHEDULE_RECORDS] = xasprintf("TXT (id %s) and TLS-RPT "
						  "published",
		    f->txt_id);
	}

	if (f->clean_days >= SCHEDULE_CLEAN_DAYS) {
		s[SCHEDULE_WATCH] = ROLLOUT_DONE;
		why[SCHEDULE_WATCH] =
		    xasprintf("%d consecutive clean days", f->clean_days);
	} else if (f->clean_days >= 0) {
		why[SCHEDULE_WATCH] = xasprintf("%d of %d consecutive clean "
						"days",
		    f->clean_days, SCHEDULE_CLEAN_DAYS);
	} else {
		s[SCHEDULE_WATCH] = ROLLOUT_UNKNOWN;
		why[SCHEDULE_WATCH] =
		    xstrdup("no TLS-RPT reports given: "
			    "pass --reports DIR to count the clean days");
	}

	if (s[SCHEDULE_TESTING] == ROLLOUT_DONE &&
	    s[SCHEDULE_RECORDS] == ROLLOUT_DONE &&
	    f->mode == POLICY_MODE_ENFORCE) {
		if (rollout_id_is(st, f->txt_id, POLICY_MODE_TESTING))
			why[SCHEDULE_ENFORCE] = xasprintf("the TXT still has "
							  "the testing id %s",
			    f->txt_id);
		else {
			s[SCHEDULE_ENFORCE] = ROLLOUT_DONE;
			why[SCHEDULE_ENFORCE] = xasprintf("enforce policy "
							  "served, TXT id %s",
			    f->txt_id);
		}
	} else
		why[SCHEDULE_ENFORCE] = xstrdup("no enforce policy with a "
						"published TXT is seen");

	if (s[SCHEDULE_ENFORCE] == ROLLOUT_DONE &&
	    f->max_age >= GEN_MAX_AGE_FINAL) {
		s[SCHEDULE_MAX_AGE] = ROLLOUT_DONE;
		why[SCHEDULE_MAX_AGE] =
		    xasprintf("max_age is %lld", f->max_age);
	} else if (s[SCHEDULE_ENFORCE] == ROLLOUT_DONE)
		why[SCHEDULE_MAX_AGE] = xasprintf("max_age is %lld, the plan "
						  "ends at %d",
		    f->max_age, GEN_MAX_AGE_FINAL);
	else
		why[SCHEDULE_MAX_AGE] = xstrdup("waits for enforce");

	/* Next: the first phase not done with no later phase done. */
	r->next = -1;
	for (i = SCHEDULE__COUNT - 1; i >= 0; i--) {
		if (s[i] == ROLLOUT_DONE)
			break;
		r->next = i;
	}
	if (r->next != -1)
		r->next_text = rollout_when(st, r->next, today);
	return r;
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

int
rollout_phase_spec(struct state *st, int phase, struct gen_spec *out,
    long today, time_t now)
{
	const struct state_id *last = NULL;
	const char	     **ids;
	char		      *id;
	size_t		       n;

	gen_spec_copy(out, &st->spec);
	switch (phase) {
	case SCHEDULE_ENFORCE:
		out->mode = POLICY_MODE_ENFORCE;
		out->max_age = GEN_MAX_AGE_ENFORCE;
		break;
	case SCHEDULE_MAX_AGE:
		out->mode = POLICY_MODE_ENFORCE;
		out->max_age = GEN_MAX_AGE_FINAL;
		break;
	default:
		/* The settings the plan was made with (normally testing). */
		break;
	}
	if (st->nids > 0)
		last = &st->ids[st->nids - 1];
	/* Same body as the last id: keep that id, else a fresh one. */
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
	jsonw_array_begin(w, "phases");
	for (i = 0; i < SCHEDULE__COUNT; i++) {
		jsonw_object_begin(w, NULL);
		jsonw_string(w, "phase", schedule_phase_key(i));
		jsonw_string(w, "title", schedule_phase_title(i));
		schedule_date_format(st->sched.phase[i].start, d, sizeof(d));
		jsonw_string(w, "start", d);
		schedule_date_format(st->sched.phase[i].end, d, sizeof(d));
		jsonw_string(w, "end", d);
		jsonw_string(w, "status",
		    r->status[i] == ROLLOUT_DONE	  ? "done"
			: r->status[i] == ROLLOUT_UNKNOWN ? "unknown"
							  : "not_done");
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
