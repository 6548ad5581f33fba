/*
 * Unit tests for change plans (wizard/change.c): the judging of each step
 * on hand-made facts across simulated days, the wrong order of an MX
 * change, the waits, the files of each step, the plan file round trip and
 * the calendar milestones.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xmalloc.h"
#include "wizard/change.h"
#include "wizard/gen.h"
#include "wizard/ics.h"
#include "wizard/schedule.h"
#include "wizard/state.h"

#define DAY0 20788L /* 2026-12-01 */
#define ID0  "20261101T000000Z"

/* A served enforce policy: mx1 exact, max_age one week, id ID0. */
static struct state *
plan(enum change_kind k, void (*set)(struct change_params *))
{
	struct change_params p;
	struct gen_spec	     s;
	struct state	    *st;

	gen_spec_init(&s, "example.test");
	s.mode = POLICY_MODE_ENFORCE;
	s.max_age = 604800;
	gen_spec_add_mx(&s, "mx1.example.test");
	gen_spec_add_rua(&s, "mailto:tlsrpt@example.test");
	gen_spec_set_id(&s, ID0);
	change_params_init(&p, k);
	p.old_max_age = 604800;
	p.start_id = xstrdup(ID0);
	if (set != NULL)
		set(&p);
	st = state_new_change(&s, &p, DAY0);
	state_add_id(st, ID0, s.mode, s.max_age, DAY0);
	change_params_free(&p);
	gen_spec_free(&s);
	return st;
}

static void
set_mx(struct change_params *p)
{
	p->new_mx = xstrdup("mx2.example.test");
	p->old_mx = xstrdup("mx1.example.test");
}

/* Facts: what is live, as the check would see it. */
static void
facts(struct change_facts *f, const char *id, enum policy_mode mode,
    long long max_age, const char *patterns, const char *mxs)
{
	char *s, *t, *save;
	int   covered;

	change_facts_init(f);
	f->checked = 1;
	f->txt_present = id != NULL;
	if (id != NULL)
		snprintf(f->txt_id, sizeof(f->txt_id), "%s", id);
	f->policy_valid = patterns != NULL;
	f->mode = mode;
	f->max_age = max_age;
	f->body = xstrdup("version: STSv1\r\n");
	s = xstrdup(patterns != NULL ? patterns : "");
	for (t = strtok_r(s, " ", &save); t != NULL;
	     t = strtok_r(NULL, " ", &save))
		f->pattern[f->npattern++] = xstrdup(t);
	free(s);
	s = xstrdup(mxs);
	for (t = strtok_r(s, " ", &save); t != NULL;
	     t = strtok_r(NULL, " ", &save)) {
		f->mx[f->nmx++] = xstrdup(t);
		covered = patterns != NULL && strstr(patterns, t) != NULL;
		if (f->policy_valid && !covered)
			f->mx_uncovered = 1;
	}
	free(s);
	f->enforce_healthy =
	    f->policy_valid && mode == POLICY_MODE_ENFORCE && !f->mx_uncovered;
}

static struct change_report *
judge(struct state *st, struct change_facts *f, long day)
{
	int dirty;

	return change_judge(st, f, day, &dirty);
}

static void
test_kinds_table(void **unused)
{
	size_t i;
	int    k;

	(void)unused;
	for (k = 0; k < CHANGE__COUNT; k++) {
		assert_int_equal(change_kind_lookup(change_kind_name(k)), k);
		assert_true(change_nsteps(k) >= 1);
		assert_true(change_nsteps(k) <= CHANGE_MAX_STEPS);
		for (i = 0; i < change_nsteps(k); i++)
			assert_non_null(change_step_title(k, i));
	}
	assert_int_equal(change_kind_lookup("max-age"), CHANGE_MAX_AGE);
	assert_int_equal(change_kind_lookup("bogus"), -1);
}

/* The whole MX change, day by day, including the wrong order. */
static void
test_mx_change(void **unused)
{
	struct change_report *r;
	struct change_facts   f;
	struct gen_spec	      spec;
	struct state	     *st = plan(CHANGE_MX, set_mx);
	char		     *text, *id1, *id3;

	(void)unused;
	/* Day 0: nothing done; the text warns not to touch the MX yet. */
	facts(&f, ID0, POLICY_MODE_ENFORCE, 604800, "mx1.example.test",
	    "mx1.example.test");
	r = judge(st, &f, DAY0);
	assert_int_equal(r->next, 0);
	assert_null(r->fixnow);
	assert_int_equal(change_report_exit(r), 0);
	assert_non_null(r->hold);
	assert_non_null(strstr(r->hold, "do not change the MX records"));
	assert_non_null(strstr(r->hold, "until step 1 is done"));
	text = change_report_text(st, r);
	assert_non_null(strstr(text, "do NOT change the MX records yet"));
	free(text);
	change_report_free(r);
	change_facts_free(&f);

	/* Wrong order: MX records changed first, under enforce: fix now. */
	facts(&f, ID0, POLICY_MODE_ENFORCE, 604800, "mx1.example.test",
	    "mx2.example.test");
	r = judge(st, &f, DAY0);
	assert_non_null(r->fixnow);
	assert_non_null(strstr(r->fixnow, "rollout next example.test"));
	assert_int_equal(change_report_exit(r), 2);
	assert_int_equal(r->status[0], CHANGE_NOT_DONE);
	assert_int_equal(r->status[1], CHANGE_NOT_DONE);
	assert_int_equal(st->change->seen[1], -1);
	change_report_free(r);
	change_facts_free(&f);

	/* The files of step 1: both patterns, a new id. */
	assert_int_equal(change_step_spec(st, 0, &spec, DAY0, 1796083200), 1);
	assert_int_equal(spec.nmx, 2);
	assert_string_equal(spec.mx[1], "mx2.example.test");
	assert_string_not_equal(spec.id, ID0);
	id1 = xstrdup(spec.id);
	gen_spec_free(&spec);
	/* The plan keeps the id served at the start. */
	assert_string_equal(st->spec.id, ID0);

	/* The policy lists mx2 but the id is old: not done. */
	facts(&f, ID0, POLICY_MODE_ENFORCE, 604800,
	    "mx1.example.test mx2.example.test", "mx1.example.test");
	r = judge(st, &f, DAY0 + 1);
	assert_int_equal(r->status[0], CHANGE_NOT_DONE);
	assert_non_null(strstr(r->why[0], "still " ID0));
	change_report_free(r);
	change_facts_free(&f);

	/* Day 1: step 1 live; step 2 waits a week and a day. */
	facts(&f, id1, POLICY_MODE_ENFORCE, 604800,
	    "mx1.example.test mx2.example.test", "mx1.example.test");
	r = judge(st, &f, DAY0 + 1);
	assert_int_equal(r->status[0], CHANGE_DONE);
	assert_int_equal(st->change->seen[0], DAY0 + 1);
	assert_int_equal(r->next, 1);
	assert_int_equal(r->status[1], CHANGE_WAITING);
	assert_int_equal(r->ready, DAY0 + 1 + 7 + 1);
	assert_non_null(strstr(r->hold, "until 2026-12-10: "));
	text = change_report_text(st, r);
	assert_non_null(strstr(text, "not before 2026-12-10"));
	free(text);
	change_report_free(r);
	change_facts_free(&f);

	/* Day 3: MX switched too early: fix now (put the old MX back). */
	facts(&f, id1, POLICY_MODE_ENFORCE, 604800,
	    "mx1.example.test mx2.example.test", "mx2.example.test");
	r = judge(st, &f, DAY0 + 3);
	assert_non_null(r->fixnow);
	assert_non_null(strstr(r->fixnow, "put the old MX records back"));
	assert_non_null(strstr(r->fixnow, "2026-12-10"));
	/* ... so the switch is not done, not seen, and still next. */
	assert_int_equal(r->status[1], CHANGE_WAITING);
	assert_int_equal(r->next, 1);
	assert_non_null(strstr(r->why[1], "too early"));
	assert_int_equal(st->change->seen[1], -1);
	change_report_free(r);
	change_facts_free(&f);

	/* Day 9: switched on time; step 3 is next, with its own files. */
	facts(&f, id1, POLICY_MODE_ENFORCE, 604800,
	    "mx1.example.test mx2.example.test", "mx2.example.test");
	r = judge(st, &f, DAY0 + 9);
	assert_null(r->fixnow);
	assert_int_equal(r->status[1], CHANGE_DONE);
	assert_int_equal(r->next, 2);
	change_report_free(r);
	change_facts_free(&f);
	assert_int_equal(change_step_spec(st, 2, &spec, DAY0 + 9, 1796083201),
	    1);
	assert_int_equal(spec.nmx, 1);
	assert_string_equal(spec.mx[0], "mx2.example.test");
	id3 = xstrdup(spec.id);
	assert_string_not_equal(id3, id1);
	gen_spec_free(&spec);
	/* Asked again: the same files, the same id. */
	assert_int_equal(change_step_spec(st, 2, &spec, DAY0 + 9, 1796083202),
	    0);
	assert_string_equal(spec.id, id3);
	gen_spec_free(&spec);

	/* Day 10: the old pattern is gone; every step done. */
	facts(&f, id3, POLICY_MODE_ENFORCE, 604800, "mx2.example.test",
	    "mx2.example.test");
	r = judge(st, &f, DAY0 + 10);
	assert_int_equal(r->next, -1);
	assert_int_equal(r->status[0], CHANGE_DONE); /* kept: seen before */
	assert_int_equal(r->status[2], CHANGE_DONE);
	assert_int_equal(change_report_exit(r), 0);
	change_report_free(r);
	change_facts_free(&f);
	free(id1);
	free(id3);
	state_free(st);
}

static void
set_remove(struct change_params *p)
{
	p->new_max_age = 2 * 604800; /* longer than the old one */
}

static void
test_remove(void **unused)
{
	struct change_report *r;
	struct change_facts   f;
	struct gen_spec	      spec;
	struct state	     *st = plan(CHANGE_REMOVE, set_remove);

	(void)unused;
	assert_int_equal(change_step_spec(st, 0, &spec, DAY0, 1796083200), 1);
	assert_int_equal(spec.mode, POLICY_MODE_NONE);
	assert_int_equal(spec.max_age, 2 * 604800);
	facts(&f, spec.id, POLICY_MODE_NONE, 2 * 604800, "mx1.example.test",
	    "mx1.example.test");
	gen_spec_free(&spec);
	r = judge(st, &f, DAY0);
	assert_int_equal(r->status[0], CHANGE_DONE);
	/* The longer of the old and the new max_age: 14 days, and one. */
	assert_int_equal(r->ready, DAY0 + 15);
	change_report_free(r);
	change_facts_free(&f);

	/* Withdrawn on day 2: too early; next is serving mode none again. */
	facts(&f, NULL, POLICY_MODE_NONE, -1, NULL, "mx1.example.test");
	r = judge(st, &f, DAY0 + 2);
	assert_int_equal(r->status[1], CHANGE_NOT_DONE);
	assert_int_equal(r->next, 0);
	assert_non_null(r->fixnow);
	assert_int_equal(st->change->seen[1], -1);
	change_report_free(r);
	change_facts_free(&f);

	/* TXT gone but the policy still served: not done. */
	facts(&f, NULL, POLICY_MODE_NONE, 86400, "mx1.example.test",
	    "mx1.example.test");
	r = judge(st, &f, DAY0 + 15);
	assert_int_equal(r->status[1], CHANGE_NOT_DONE);
	change_report_free(r);
	change_facts_free(&f);
	facts(&f, NULL, POLICY_MODE_NONE, -1, NULL, "mx1.example.test");
	r = judge(st, &f, DAY0 + 15);
	assert_int_equal(r->next, -1);
	assert_null(r->fixnow);
	change_report_free(r);
	change_facts_free(&f);
	state_free(st);
}

static void
test_max_age(void **unused)
{
	struct change_report *r;
	struct change_facts   f;
	struct gen_spec	      spec;
	struct state	     *st = plan(CHANGE_MAX_AGE, NULL);
	char		     *cause = NULL;

	(void)unused;
	assert_int_equal(st->change->new_max_age, GEN_MAX_AGE_FINAL);
	assert_int_equal(change_params_check(st->change, &st->spec, &cause), 0);
	st->spec.mode = POLICY_MODE_TESTING;
	assert_int_equal(change_params_check(st->change, &st->spec, &cause),
	    -1);
	assert_non_null(strstr(cause, "enforce"));
	free(cause);
	st->spec.mode = POLICY_MODE_ENFORCE;

	/* An uncovered MX: enforce is not healthy, a warning. */
	facts(&f, ID0, POLICY_MODE_ENFORCE, 604800, "mx1.example.test",
	    "mx1.example.test mx9.example.test");
	r = judge(st, &f, DAY0);
	assert_non_null(r->warn);
	assert_int_equal(change_report_exit(r), 1);
	change_report_free(r);
	change_facts_free(&f);

	assert_int_equal(change_step_spec(st, 0, &spec, DAY0, 1796083200), 1);
	assert_int_equal(spec.max_age, GEN_MAX_AGE_FINAL);
	facts(&f, spec.id, POLICY_MODE_ENFORCE, GEN_MAX_AGE_FINAL,
	    "mx1.example.test", "mx1.example.test");
	gen_spec_free(&spec);
	r = judge(st, &f, DAY0 + 1);
	assert_int_equal(r->next, -1);
	assert_int_equal(change_report_exit(r), 0);
	change_report_free(r);
	change_facts_free(&f);
	state_free(st);
}

static void
set_host(struct change_params *p)
{
	p->new_cname = xstrdup("example.test._mta-sts.provider.test");
}

static void
test_host(void **unused)
{
	struct change_report *r;
	struct change_facts   f;
	struct gen_spec	      spec;
	struct state	     *st = plan(CHANGE_HOST, set_host);

	(void)unused;
	facts(&f, ID0, POLICY_MODE_ENFORCE, 604800, "mx1.example.test",
	    "mx1.example.test");
	r = judge(st, &f, DAY0);
	assert_int_equal(r->status[0], CHANGE_NOT_DONE); /* not probed */
	change_report_free(r);
	f.new_cert_ok = 0;
	f.new_same_body = 1;
	r = judge(st, &f, DAY0);
	assert_non_null(strstr(r->why[0], "no valid certificate"));
	change_report_free(r);
	f.new_cert_ok = 1;
	r = judge(st, &f, DAY0);
	assert_int_equal(r->status[0], CHANGE_DONE);
	assert_int_equal(r->next, 1);
	change_report_free(r);

	/* The switch keeps the id and writes the CNAME. */
	assert_int_equal(change_step_spec(st, 1, &spec, DAY0, 1796083200), 0);
	assert_string_equal(spec.id, ID0);
	assert_string_equal(spec.cname, "example.test._mta-sts.provider.test");
	gen_spec_free(&spec);
	f.host_cname = xstrdup("example.test._mta-sts.provider.test");
	r = judge(st, &f, DAY0 + 1);
	assert_int_equal(r->next, -1);
	change_report_free(r);
	/* Switched but nothing served: fix now. */
	f.policy_valid = 0;
	r = judge(st, &f, DAY0 + 1);
	assert_non_null(r->fixnow);
	change_report_free(r);
	change_facts_free(&f);
	state_free(st);
}

/* The plan file keeps the change and its days; version 3. */
/* change_plan_make(): the only MX is the old one; refusals say why. */
static void
test_plan_make(void **unused)
{
	struct change_params p;
	struct gen_spec	     s;
	struct state	    *st, *old;
	char		    *cause = NULL, *text;
	int		     field;

	(void)unused;
	gen_spec_init(&s, "example.test");
	s.mode = POLICY_MODE_ENFORCE;
	s.max_age = 604800;
	gen_spec_add_mx(&s, "mx1.example.test");
	gen_spec_add_rua(&s, "mailto:tlsrpt@example.test");
	gen_spec_set_id(&s, ID0);
	change_params_init(&p, CHANGE_MX);
	assert_null(change_plan_make(&s, "mx1.example.test", 0, &p, NULL, DAY0,
	    &field, &cause));
	assert_int_equal(field, -1);
	assert_string_equal(cause, "--change mx needs --new-mx HOST");
	free(cause);
	p.new_mx = xstrdup("mx2.example.test");
	/* An earlier plan handed out a longer max_age: that is waited out. */
	old = plan(CHANGE_MAX_AGE, NULL);
	state_add_id(old, "20261115T000000Z", POLICY_MODE_ENFORCE, 1209600,
	    DAY0 - 10);
	st = change_plan_make(&s, "mx1.example.test", 0, &p, old, DAY0, &field,
	    &cause);
	assert_non_null(st);
	assert_string_equal(st->change->old_mx, "mx1.example.test");
	assert_string_equal(st->change->start_id, ID0);
	assert_int_equal(st->change->old_max_age, 1209600);
	text = change_plan_summary(st, "/x/plan.yaml");
	assert_string_equal(text,
	    "MX change plan for example.test saved in /x/plan.yaml\n"
	    "Served now: mode enforce, max_age 604800, id " ID0
	    "; senders may hold a policy for up to 1209600 s\n"
	    "1. Add the new MX to the policy, with a new id\n"
	    "2. Change the MX records\n"
	    "3. Remove the old MX pattern, with a new id\n"
	    "Next: 'mtasts-tui rollout status example.test' says what to "
	    "do and when\n");
	free(text);
	state_free(st);
	state_free(old);
	/* Served settings our generator refuses: the field is named. */
	gen_spec_remove_mx(&s, 0);
	assert_null(
	    change_plan_make(&s, NULL, 0, &p, NULL, DAY0, &field, &cause));
	assert_int_equal(field, GEN_FIELD_MX);
	free(cause);
	change_params_free(&p);
	gen_spec_free(&s);
}

static void
test_state_round_trip(void **unused)
{
	struct state   *st = plan(CHANGE_MX, set_mx), *back;
	struct gen_spec spec;
	char	       *text, *cause = NULL, *again;
	size_t		len, len2;

	(void)unused;
	change_step_spec(st, 0, &spec, DAY0, 1796083200);
	gen_spec_free(&spec);
	st->change->seen[0] = DAY0 + 1;
	text = state_format(st, &len, &cause);
	assert_non_null(text);
	assert_non_null(strstr(text, "version: 3\n"));
	assert_non_null(strstr(text, "kind: mx\n"));
	assert_int_equal(state_load_buffer(text, len, "t", &back, &cause), 0);
	assert_non_null(back->change);
	assert_int_equal(back->change->kind, CHANGE_MX);
	assert_string_equal(back->change->new_mx, "mx2.example.test");
	assert_string_equal(back->change->old_mx, "mx1.example.test");
	assert_string_equal(back->change->start_id, ID0);
	assert_string_equal(back->change->step_id[0], st->change->step_id[0]);
	assert_int_equal(back->change->seen[0], DAY0 + 1);
	assert_int_equal(back->change->seen[1], -1);
	assert_int_equal(back->change->old_max_age, 604800);
	assert_string_equal(back->spec.id, ID0);
	again = state_format(back, &len2, &cause);
	assert_int_equal(len, len2);
	assert_memory_equal(text, again, len);
	free(again);
	free(text);
	state_free(back);
	state_free(st);
}

static void
test_milestones(void **unused)
{
	struct state	*st = plan(CHANGE_MX, set_mx);
	struct ics_event ev[CHANGE_MAX_STEPS];
	size_t		 n, i;
	char		*ics;

	(void)unused;
	n = change_milestones(st, ev, CHANGE_MAX_STEPS);
	assert_int_equal(n, 3);
	assert_int_equal(ev[0].start, DAY0);
	assert_int_equal(ev[1].start, DAY0 + 8);
	assert_int_equal(ev[2].start, DAY0 + 8);
	for (i = 0; i < n; i++) {
		free(ev[i].title);
		free(ev[i].help);
	}
	ics = ics_format(st, (time_t)DAY0 * 86400);
	assert_non_null(strstr(ics, "UID:switch-mx-20261201-example.test"));
	assert_non_null(strstr(ics, "DTSTART;VALUE=DATE:20261209\r\n"));
	free(ics);
	state_free(st);
}

#define ID1 "20261201T000000Z"

/*
 * A fix plan as the wizard saves it (version 2, "kind: fix"), loaded:
 * enforce with the missing backup pattern added, a new id.
 */
static struct state *
fix_plan(void)
{
	struct gen_spec s;
	struct state   *st, *back;
	char	       *text, *cause = NULL;
	size_t		len;

	gen_spec_init(&s, "example.test");
	s.mode = POLICY_MODE_ENFORCE;
	s.max_age = 604800;
	gen_spec_add_mx(&s, "mx1.example.test");
	gen_spec_add_mx(&s, "backup.example.test");
	gen_spec_add_rua(&s, "mailto:tlsrpt@example.test");
	st = state_new(&s, DAY0);
	st->kind = STATE_KIND_FIX;
	state_add_id(st, ID0, s.mode, s.max_age, DAY0 - 30);
	state_add_id(st, ID1, s.mode, s.max_age, DAY0);
	gen_spec_free(&s);
	assert_false(change_follows(st)); /* not loaded yet */
	text = state_format(st, &len, &cause);
	assert_non_null(text);
	/* Older programs keep reading it: version 2, no change map. */
	assert_non_null(strstr(text, "version: 2\n"));
	assert_non_null(strstr(text, "\nkind: fix\n"));
	assert_null(strstr(text, "change:"));
	assert_int_equal(state_load_buffer(text, len, "t", &back, &cause), 0);
	free(text);
	state_free(st);
	assert_true(change_follows(back));
	assert_int_equal(back->change->kind, CHANGE_FIX);
	return back;
}

/* The fix kind's three steps across what the operator may have done. */
static void
test_fix(void **unused)
{
	struct change_report *r;
	struct change_facts   f;
	struct gen_spec	      spec;
	struct state	     *st = fix_plan(), *back;
	char		     *text, *again, *cause = NULL;
	size_t		      len;
	int		      dirty;

	(void)unused;
	assert_int_equal(change_kind_lookup("fix"), -1);
	assert_string_equal(change_kind_name(CHANGE_FIX), "fix");
	assert_int_equal(change_nsteps(CHANGE_FIX), 3);
	assert_true(change_step_publishes(CHANGE_FIX, 0));
	assert_true(change_step_publishes(CHANGE_FIX, 1));
	assert_false(change_step_publishes(CHANGE_FIX, 2));

	/* The broken body is served, mail refused: step 1, fix now. */
	facts(&f, ID0, POLICY_MODE_ENFORCE, 604800, "mx1.example.test",
	    "mx1.example.test backup.example.test");
	f.refused = 1;
	r = change_judge(st, &f, DAY0, &dirty);
	assert_int_equal(dirty, 0); /* the file keeps no days */
	assert_int_equal(r->nsteps, 3);
	assert_int_equal(r->next, 0);
	assert_int_equal(r->status[0], CHANGE_NOT_DONE);
	assert_non_null(strstr(r->why[0], "no 'mx: backup.example.test'"));
	assert_int_equal(r->status[1], CHANGE_NOT_DONE);
	assert_int_equal(r->status[2], CHANGE_NOT_DONE);
	assert_non_null(r->fixnow);
	assert_non_null(strstr(r->fixnow, "rollout next example.test"));
	assert_null(r->hold);
	assert_int_equal(change_report_exit(r), 2);
	text = change_report_text(st, r);
	assert_non_null(strstr(text,
	    "Fix plan for example.test (mode "
	    "enforce, max_age 604800, new id " ID1));
	assert_non_null(strstr(text, "Next: Serve the fixed policy body"));
	free(text);
	change_report_free(r);
	change_facts_free(&f);

	/* The files: the plan's own settings and id, no new id. */
	assert_int_equal(change_step_spec(st, 0, &spec, DAY0, 1796083200), 0);
	assert_string_equal(spec.id, ID1);
	assert_int_equal(spec.nmx, 2);
	assert_int_equal(spec.mode, POLICY_MODE_ENFORCE);
	gen_spec_free(&spec);
	assert_int_equal(st->nids, 2);

	/* The body served, the id not yet (the check sees no refusal). */
	facts(&f, ID0, POLICY_MODE_ENFORCE, 604800,
	    "backup.example.test mx1.example.test",
	    "mx1.example.test backup.example.test");
	r = change_judge(st, &f, DAY0, &dirty);
	assert_int_equal(r->status[0], CHANGE_DONE);
	assert_int_equal(r->next, 1);
	assert_int_equal(r->status[1], CHANGE_NOT_DONE);
	assert_non_null(strstr(r->why[1], "not the new " ID1));
	assert_null(r->fixnow);
	assert_int_equal(change_report_exit(r), 0);
	change_report_free(r);
	/* The same while a check still says refused: publish the id now. */
	f.refused = 1;
	r = change_judge(st, &f, DAY0, &dirty);
	assert_int_equal(r->next, 1);
	assert_non_null(strstr(r->fixnow, "publish its new id now"));
	change_report_free(r);
	change_facts_free(&f);

	/* The id published before the body: too early, fix now. */
	facts(&f, ID1, POLICY_MODE_ENFORCE, 604800, "mx1.example.test",
	    "mx1.example.test backup.example.test");
	f.refused = 1;
	r = change_judge(st, &f, DAY0, &dirty);
	assert_int_equal(r->next, 0);
	assert_int_equal(r->status[1], CHANGE_NOT_DONE);
	assert_non_null(strstr(r->why[1], "too early"));
	assert_non_null(r->fixnow);
	assert_non_null(strstr(r->fixnow,
	    "cache the old policy under the "
	    "new id"));
	assert_int_equal(change_report_exit(r), 2);
	change_report_free(r);
	change_facts_free(&f);

	/* A body that differs otherwise (max_age) is not the fix. */
	facts(&f, ID0, POLICY_MODE_ENFORCE, 86400,
	    "mx1.example.test backup.example.test",
	    "mx1.example.test backup.example.test");
	r = change_judge(st, &f, DAY0, &dirty);
	assert_int_equal(r->next, 0);
	assert_non_null(strstr(r->why[0], "max_age 86400 (plan: 604800)"));
	change_report_free(r);
	change_facts_free(&f);

	/* Body, then id, and the check refuses nothing: done. */
	facts(&f, ID1, POLICY_MODE_ENFORCE, 604800,
	    "mx1.example.test backup.example.test",
	    "mx1.example.test backup.example.test");
	r = change_judge(st, &f, DAY0 + 1, &dirty);
	assert_int_equal(r->next, -1);
	assert_int_equal(r->status[0], CHANGE_DONE);
	assert_int_equal(r->status[1], CHANGE_DONE);
	assert_int_equal(r->status[2], CHANGE_DONE);
	assert_null(r->fixnow);
	assert_null(r->warn);
	assert_int_equal(change_report_exit(r), 0);
	text = change_report_text(st, r);
	assert_non_null(strstr(text, "Every step is done."));
	free(text);
	text = change_report_json(st, r);
	assert_non_null(strstr(text, "\"change\": \"fix\""));
	assert_non_null(strstr(text, "\"step\": \"publish-id\""));
	free(text);
	change_report_free(r);
	change_facts_free(&f);

	/* Judging changed nothing the file keeps: it is written as read. */
	text = state_format(st, &len, &cause);
	assert_non_null(strstr(text, "version: 2\n"));
	assert_null(strstr(text, "change:"));
	assert_int_equal(state_load_buffer(text, len, "t", &back, &cause), 0);
	again = state_format(back, &len, &cause);
	assert_string_equal(text, again);
	free(again);
	free(text);
	state_free(back);
	state_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_table),
		cmocka_unit_test(test_mx_change),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_max_age),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_plan_make),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_milestones),
		cmocka_unit_test(test_fix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
