/*
 * Unit tests for the wizard's plan: dates and the schedule, policy ids,
 * the state file (round trip, the optional kind, corrupt and newer files left untouched),
 * atomic no-clobber output, and rollout judging across simulated dates.
 */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "file_out.h"
#include "scratch.h"

#include "report_summary.h"
#include "strbuf.h"
#include "xmalloc.h"
#include "wizard/gen.h"
#include "wizard/id.h"
#include "wizard/output.h"
#include "wizard/rollout.h"
#include "wizard/schedule.h"
#include "wizard/state.h"
#include "wizard/yamlr.h"

static char *tmpdir;

static int
setup(void **state)
{
	char tmpl[] = "/tmp/test_wizard_plan.XXXXXX";

	(void)state;
	if (mkdtemp(tmpl) == NULL)
		return -1;
	tmpdir = xstrdup(tmpl);
	return 0;
}

static int
teardown(void **state)
{
	char *cmd;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	free(tmpdir);
	return 0;
}

static void
spill(const char *path, const char *text)
{
	FILE *f;

	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
spec_basic(struct gen_spec *s)
{
	gen_spec_init(s, "example.com");
	gen_spec_add_mx(s, "mx1.example.com");
	gen_spec_add_rua(s, "mailto:tlsrpt@example.com");
	gen_spec_set_id(s, "20261201T000000Z");
}

static void
test_dates(void **state)
{
	static const char *bad[] = { "2026-02-29", "2026-13-01", "2026-00-10",
		"2026-1-01", "26-01-01", "2026-01-32", "2026/01/01", "",
		"1969-12-31" };
	char		   buf[16];
	long		   d;
	size_t		   i;

	(void)state;
	assert_int_equal(schedule_date_parse("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(schedule_date_parse("2024-02-29", &d), 0);
	schedule_date_format(d + 1, buf, sizeof(buf));
	assert_string_equal(buf, "2024-03-01");
	assert_int_equal(schedule_date_parse("2026-12-01", &d), 0);
	assert_int_equal(d, 20788);
	schedule_date_compact(d + 31, buf, sizeof(buf));
	assert_string_equal(buf, "20270101");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(schedule_date_parse(bad[i], &d), -1);
}

static void
test_schedule(void **state)
{
	struct schedule s;
	char	       *cause;
	int		i;

	(void)state;
	schedule_make(&s, 1000);
	assert_int_equal(s.phase[SCHEDULE_MX_TLS].start, 1000);
	assert_int_equal(s.phase[SCHEDULE_MX_TLS].end, 1006);
	assert_int_equal(s.phase[SCHEDULE_TESTING].start, 1007);
	assert_int_equal(s.phase[SCHEDULE_RECORDS].end, 1020);
	assert_int_equal(s.phase[SCHEDULE_WATCH].start, 1014);
	assert_int_equal(s.phase[SCHEDULE_ENFORCE].start, 1021);
	assert_int_equal(s.phase[SCHEDULE_ENFORCE].end, 1041);
	/* Watching lasts at least the 14 clean days it asks for. */
	assert_true(
	    s.phase[SCHEDULE_WATCH].end - s.phase[SCHEDULE_WATCH].start + 1 >=
	    SCHEDULE_CLEAN_DAYS);
	for (i = 0; i < SCHEDULE__COUNT; i++)
		assert_int_equal(schedule_phase_lookup(schedule_phase_key(i)),
		    i);
	setenv("MTASTS_TODAY", "2026-12-01", 1);
	assert_int_equal(schedule_today(&cause), 20788);
	assert_int_equal(schedule_now(), (time_t)20788 * 86400);
	setenv("MTASTS_TODAY", "tomorrow", 1);
	assert_int_equal(schedule_today(&cause), -1);
	assert_non_null(strstr(cause, "MTASTS_TODAY"));
	free(cause);
	unsetenv("MTASTS_TODAY");
}

static void
test_ids(void **state)
{
	const char *used[3];
	char	   *a, *b, *c, *why;

	(void)state;
	a = id_new((time_t)20788 * 86400, NULL, 0);
	assert_string_equal(a, "20261201T000000Z");
	assert_int_equal(gen_validate_id(a, &why), 0);
	used[0] = a;
	b = id_new((time_t)20788 * 86400, used, 1);
	assert_string_equal(b, "20261201T000001Z");
	used[1] = b;
	used[2] = "20261201T000002Z";
	c = id_new((time_t)20788 * 86400, used, 3);
	assert_string_equal(c, "20261201T000003Z");
	free(a);
	free(b);
	free(c);
}

static void
test_state_roundtrip(void **state)
{
	struct gen_spec s;
	struct state   *st, *back;
	char	       *path, *cause, *t1, *t2;
	size_t		l1, l2;

	(void)state;
	spec_basic(&s);
	gen_spec_add_mx(&s, "*.backup.example.com");
	gen_spec_add_addr(&s, "192.0.2.1");
	st = state_new(&s, 20788);
	state_add_id(st, s.id, s.mode, s.max_age, 20788);
	state_add_id(st, "20261222T000000Z", POLICY_MODE_ENFORCE,
	    GEN_MAX_AGE_ENFORCE, 20809);
	path = xasprintf("%s/sub/dir/example.com.yaml", tmpdir);
	assert_int_equal(state_load(path, &back, &cause), 1);
	assert_int_equal(state_save(st, path, &cause), 0);
	assert_int_equal(state_load(path, &back, &cause), 0);
	assert_string_equal(back->spec.domain, "example.com");
	assert_int_equal(back->nids, 2);
	assert_string_equal(back->spec.id, "20261222T000000Z");
	assert_int_equal(back->ids[1].mode, POLICY_MODE_ENFORCE);
	assert_int_equal(back->sched.phase[SCHEDULE_ENFORCE].start,
	    st->sched.phase[SCHEDULE_ENFORCE].start);
	assert_int_equal(back->spec.nmx, 2);
	assert_string_equal(back->spec.mx[1], "*.backup.example.com");
	t1 = state_format(st, &l1, &cause);
	t2 = state_format(back, &l2, &cause);
	assert_string_equal(t1, t2);
	assert_null(strstr(t1, "kind:"));
	assert_int_equal(back->kind, STATE_KIND_ROLLOUT);
	free(t1);
	free(t2);
	state_free(back);
	/* A fix plan says so in one optional key, read back. */
	st->kind = STATE_KIND_FIX;
	assert_int_equal(state_save(st, path, &cause), 0);
	assert_int_equal(state_load(path, &back, &cause), 0);
	assert_int_equal(back->kind, STATE_KIND_FIX);
	t1 = state_format(back, &l1, &cause);
	assert_non_null(strstr(t1, "\nkind: fix\n"));
	/* An unknown kind is refused, not read as a rollout. */
	t2 = xstrdup(t1);
	memcpy(strstr(t2, "kind: fix") + 6, "mix", 3);
	state_free(back);
	back = NULL;
	assert_int_equal(state_load_buffer(t2, l1, "p", &back, &cause), -1);
	assert_non_null(strstr(cause, "unknown kind of plan 'mix'"));
	free(cause);
	free(t1);
	free(t2);
	state_free(st);
	free(path);
	gen_spec_free(&s);
}

/* A file we cannot read is reported and stays byte for byte as it was. */
/*
 * A plan file cut short at any byte (a crash or a full disk while it was
 * written) is refused, never read as a smaller plan: "max_age: 86400" cut
 * to "max_age: 86" must not load.  A version 1 file (no end mark) with
 * every field is still read.
 */
static void
test_state_truncated(void **state)
{
	struct gen_spec s;
	struct state   *st, *back;
	char	       *path, *cause, *text, *cut, *v1, *p;
	size_t		len, i;

	(void)state;
	spec_basic(&s);
	st = state_new(&s, 20788);
	state_add_id(st, s.id, s.mode, s.max_age, 20788);
	path = xasprintf("%s/cut.yaml", tmpdir);
	text = state_format(st, &len, &cause);
	assert_non_null(text);
	assert_non_null(strstr(text, "max_age: 86400\n"));
	/* Every proper prefix but the one lacking only the last newline. */
	for (i = 0; i + 1 < len; i++) {
		cut = xmalloc(i + 1);
		memcpy(cut, text, i);
		cut[i] = '\0';
		spill(path, cut);
		cause = NULL;
		if (state_load(path, &back, &cause) != -1)
			fail_msg("a file cut to %zu of %zu bytes loaded: "
				 "...%s",
			    i, len, cut + (i > 40 ? i - 40 : 0));
		assert_non_null(strstr(cause, "untouched"));
		free(cause);
		free(cut);
	}
	spill(path, text);
	assert_int_equal(state_load(path, &back, &cause), 0);
	state_free(back);

	/* Cut in the settings: the reason names what is missing. */
	cut = xstrdup(text);
	p = strstr(cut, "max_age: 86400\n");
	p[strlen("max_age: 86")] = '\0';
	spill(path, cut);
	assert_int_equal(state_load(path, &back, &cause), -1);
	assert_non_null(strstr(cause, "incomplete"));
	free(cause);
	free(cut);

	/* Version 1, as the previous release wrote it: still read. */
	v1 = xstrdup(text);
	p = strstr(v1, "version: 2\n");
	assert_non_null(p);
	p[strlen("version: ")] = '1';
	p = strstr(v1, "\nend: ");
	assert_non_null(p);
	p[1] = '\0';
	spill(path, v1);
	if (state_load(path, &back, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(back->nids, 1);
	state_free(back);
	/* ... but a version 1 file lacking a field is refused. */
	p = strstr(v1, "ids:");
	assert_non_null(p);
	*p = '\0';
	spill(path, v1);
	assert_int_equal(state_load(path, &back, &cause), -1);
	assert_non_null(strstr(cause, "ids missing"));
	free(cause);
	free(v1);
	free(text);
	free(path);
	state_free(st);
	gen_spec_free(&s);
}

/* Unblocks a test stuck in open() or read() on a FIFO: fails it. */
static void
on_alarm(int sig)
{
	(void)sig;
	_exit(1);
}

/* A FIFO or a symbolic link where the plan should be never hangs us. */
static void
test_state_not_regular(void **state)
{
	struct state *st;
	char	     *path, *cause;

	(void)state;
	path = xasprintf("%s/fifo.yaml", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(5);
	assert_int_equal(state_load(path, &st, &cause), -1);
	alarm(0);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	unlink(path);
	assert_int_equal(symlink("/dev/zero", path), 0);
	alarm(5);
	assert_int_equal(state_load(path, &st, &cause), -1);
	alarm(0);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	unlink(path);
	free(path);
}

/*
 * Nesting is bounded before libyaml builds the document: a 200 KB plan
 * file of '[' took 55 s (quadratic); it is refused at once.  A plan-like
 * document a few levels deep still loads.
 */
static void
test_state_nesting(void **state)
{
	struct state *st;
	struct yamlr *r;
	char	     *path, *cause, *text;
	size_t	      n = 100000, i;
	time_t	      t0;

	(void)state;
	text = xmalloc(2 * n + 2);
	for (i = 0; i < n; i++) {
		text[i] = '[';
		text[n + i] = ']';
	}
	text[2 * n] = '\n';
	text[2 * n + 1] = '\0';
	path = xasprintf("%s/deep.yaml", tmpdir);
	spill(path, text);
	t0 = time(NULL);
	assert_int_equal(state_load(path, &st, &cause), -1);
	assert_true(time(NULL) - t0 <= 2);
	if (strstr(cause, "nested more than 32 levels") == NULL)
		fail_msg("%s", cause);
	free(cause);
	/* 33 levels: refused; 32: read. */
	assert_null(r = yamlr_load(text + n - 33, 66, &cause));
	assert_non_null(strstr(cause, "nested"));
	free(cause);
	r = yamlr_load(text + n - 32, 64, &cause);
	assert_non_null(r);
	yamlr_free(r);
	free(text);
	free(path);
}

static void
test_state_untouched(void **state)
{
	static const char *bad[] = {
		"version: 4\ndomain: example.com\ncreated: \"2026-12-01\"\n",
		"version: 1\ndomain: [unclosed\n",
		"version: 1\ndomain: example.com\n",
		"just a string\n",
		"",
	};
	static const char *want[] = { "newer", "not valid YAML",
		"cannot be used", "cannot be used", "not valid YAML" };
	struct stat	   sb;
	struct state	  *st;
	char		  *path, *cause, *after;
	size_t		   i;

	(void)state;
	path = xasprintf("%s/bad.yaml", tmpdir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		spill(path, bad[i]);
		assert_int_equal(state_load(path, &st, &cause), -1);
		if (strstr(cause, want[i]) == NULL)
			fail_msg("case %zu: %s", i, cause);
		assert_non_null(strstr(cause, "untouched"));
		free(cause);
		after = scratch_slurp(path, NULL);
		assert_string_equal(after, bad[i]);
		free(after);
	}
	assert_int_equal(stat(path, &sb), 0);
	free(path);
}

static int
say_no(const char *path, void *arg)
{
	(void)path;
	(*(int *)arg)++;
	return 0;
}

static int
say_yes(const char *path, void *arg)
{
	(void)path;
	(*(int *)arg)++;
	return 1;
}

static void
test_output(void **state)
{
	struct gen_spec s;
	char	       *dir, *cause, *p, *text;
	unsigned	differ;
	int		asked = 0;

	(void)state;
	spec_basic(&s);
	dir = xasprintf("%s/out/a", tmpdir);
	assert_int_equal(output_existing(dir, &s, NULL, &differ), 0);
	assert_int_equal(differ, 0);
	assert_int_equal(output_write_all(dir, &s, NULL, 0, NULL, NULL, &cause),
	    0);
	p = xasprintf("%s/zone.txt", dir);
	/* Written just now: all there, none differs; then one does. */
	assert_int_equal(output_existing(dir, &s, NULL, &differ),
	    (1u << GEN_FORMAT__COUNT) - 1);
	assert_int_equal(differ, 0);
	spill(p, "mine\n");
	output_existing(dir, &s, NULL, &differ);
	assert_int_equal(differ, 1u << GEN_FORMAT_ZONE);
	/* Another id: every file would change, none may be replaced. */
	gen_spec_set_id(&s, "20261201T000009Z");
	assert_int_equal(output_write_all(dir, &s, NULL, 0, NULL, NULL, &cause),
	    -1);
	assert_non_null(strstr(cause, "--force"));
	free(cause);
	text = scratch_slurp(p, NULL);
	assert_string_equal(text, "mine\n");
	free(text);
	assert_int_equal(
	    output_write_all(dir, &s, NULL, 0, say_no, &asked, &cause), -1);
	free(cause);
	assert_int_equal(asked, 1);
	text = scratch_slurp(p, NULL);
	assert_string_equal(text, "mine\n");
	free(text);
	asked = 0;
	assert_int_equal(
	    output_write_all(dir, &s, NULL, 0, say_yes, &asked, &cause), 0);
	assert_int_equal(asked, GEN_FORMAT__COUNT);
	text = scratch_slurp(p, NULL);
	assert_non_null(strstr(text, "id=20261201T000009Z"));
	free(text);
	assert_int_equal(file_out_write(p, "x", 1, 0, &cause), 1);
	free(cause);
	free(p);
	free(dir);
	gen_spec_free(&s);
}

static void
facts_live(struct rollout_facts *f, enum policy_mode mode, const char *id,
    long long max_age)
{
	rollout_facts_init(f);
	f->checked = 1;
	f->policy_fetched = 1;
	f->policy_valid = 1;
	f->mode = mode;
	f->max_age = max_age;
	f->txt_valid = id != NULL;
	if (id != NULL)
		snprintf(f->txt_id, sizeof(f->txt_id), "%s", id);
	f->tlsrpt_usable = id != NULL;
	f->enforce_ready = 1;
	/* The mx lines of spec_basic(), as planned. */
	snprintf(f->mx[0], sizeof(f->mx[0]), "%s", "mx1.example.com");
	f->nmx = 1;
}

static int
clean_days_20(const char *domain, long today, void *arg)
{
	(void)domain;
	(void)today;
	(void)arg;
	return 20;
}

static void
test_rollout(void **state)
{
	struct rollout_hooks   hooks = { NULL, clean_days_20, NULL };
	struct rollout_report *r;
	struct rollout_facts   f;
	struct gen_spec	       s, out;
	struct state	      *st;
	char		      *text;

	(void)state;
	spec_basic(&s);
	st = state_new(&s, 20788);
	state_add_id(st, s.id, s.mode, s.max_age, 20788);

	/* Day 0, nothing deployed. */
	rollout_facts_init(&f);
	f.checked = 1;
	r = rollout_judge(st, &f, 20788);
	assert_int_equal(r->status[SCHEDULE_MX_TLS], ROLLOUT_UNKNOWN);
	assert_int_equal(r->status[SCHEDULE_TESTING], ROLLOUT_NOT_DONE);
	assert_int_equal(r->status[SCHEDULE_WATCH], ROLLOUT_UNKNOWN);
	assert_int_equal(r->next, SCHEDULE_MX_TLS);
	assert_non_null(strstr(r->next_text, "due by 2026-12-07"));
	assert_int_equal(rollout_next_phase(r), SCHEDULE_TESTING);
	rollout_report_free(r);

	/* Day 10: testing policy served, no records yet. */
	facts_live(&f, POLICY_MODE_TESTING, NULL, 86400);
	r = rollout_judge(st, &f, 20798);
	assert_int_equal(r->status[SCHEDULE_TESTING], ROLLOUT_DONE);
	assert_int_equal(r->status[SCHEDULE_RECORDS], ROLLOUT_NOT_DONE);
	assert_int_equal(r->next, SCHEDULE_RECORDS);
	assert_non_null(strstr(r->next_text, "11 days left"));
	text = rollout_report_text(st, r);
	assert_non_null(strstr(text, "no valid _mta-sts"));
	free(text);
	rollout_report_free(r);

	/* Day 25: records published; the watch phase cannot be judged. */
	facts_live(&f, POLICY_MODE_TESTING, s.id, 86400);
	r = rollout_judge(st, &f, 20813);
	assert_int_equal(r->status[SCHEDULE_RECORDS], ROLLOUT_DONE);
	assert_int_equal(r->next, SCHEDULE_WATCH);
	assert_int_equal(rollout_next_phase(r), SCHEDULE_ENFORCE);
	rollout_report_free(r);
	/* With a report hook, 20 clean days: watching is done. */
	rollout_facts_hooks(&f, &hooks, "example.com", 20813);
	r = rollout_judge(st, &f, 20813);
	assert_int_equal(r->status[SCHEDULE_WATCH], ROLLOUT_DONE);
	assert_int_equal(r->next, SCHEDULE_ENFORCE);
	rollout_report_free(r);

	/* The enforce step gets a new id, once. */
	assert_int_equal(rollout_phase_spec(st, SCHEDULE_ENFORCE, &out, 20813,
			     (time_t)20813 * 86400, NULL),
	    1);
	assert_int_equal(out.mode, POLICY_MODE_ENFORCE);
	assert_int_equal(out.max_age, GEN_MAX_AGE_ENFORCE);
	assert_string_not_equal(out.id, s.id);
	assert_int_equal(st->nids, 2);
	text = xstrdup(out.id);
	gen_spec_free(&out);
	assert_int_equal(rollout_phase_spec(st, SCHEDULE_ENFORCE, &out, 20814,
			     (time_t)20814 * 86400, NULL),
	    0);
	assert_string_equal(out.id, text);
	gen_spec_free(&out);

	/* Enforce served but the TXT still has the testing id. */
	facts_live(&f, POLICY_MODE_ENFORCE, s.id, GEN_MAX_AGE_ENFORCE);
	r = rollout_judge(st, &f, 20815);
	assert_int_equal(r->status[SCHEDULE_ENFORCE], ROLLOUT_NOT_DONE);
	assert_non_null(strstr(r->why[SCHEDULE_ENFORCE], "testing id"));
	rollout_report_free(r);
	/* Then with the new id: enforce done, max_age next. */
	facts_live(&f, POLICY_MODE_ENFORCE, text, GEN_MAX_AGE_ENFORCE);
	r = rollout_judge(st, &f, 20815);
	assert_int_equal(r->status[SCHEDULE_ENFORCE], ROLLOUT_DONE);
	free(text);
	assert_int_equal(r->next, SCHEDULE_MAX_AGE);
	assert_non_null(strstr(r->next_text, "starts on 2027-01-12"));
	rollout_report_free(r);
	/* max_age raised with an id the plan did not hand out: not done. */
	facts_live(&f, POLICY_MODE_ENFORCE, "20270112T000000Z",
	    GEN_MAX_AGE_FINAL);
	r = rollout_judge(st, &f, 20900);
	assert_int_equal(r->status[SCHEDULE_ENFORCE], ROLLOUT_DEVIATION);
	assert_non_null(strstr(r->why[SCHEDULE_ENFORCE],
	    "max_age 31557600 is live before the plan raises it"));
	assert_int_equal(r->status[SCHEDULE_MAX_AGE], ROLLOUT_NOT_DONE);
	assert_int_equal(rollout_report_exit(r), 1);
	rollout_report_free(r);
	/* Past the plan, max_age raised with the plan's id: all done. */
	rollout_phase_spec(st, SCHEDULE_MAX_AGE, &out, 20900,
	    (time_t)20900 * 86400, NULL);
	facts_live(&f, POLICY_MODE_ENFORCE, out.id, GEN_MAX_AGE_FINAL);
	gen_spec_free(&out);
	r = rollout_judge(st, &f, 20900);
	assert_int_equal(r->status[SCHEDULE_TESTING], ROLLOUT_DONE);
	assert_int_equal(r->status[SCHEDULE_RECORDS], ROLLOUT_DONE);
	assert_int_equal(r->status[SCHEDULE_ENFORCE], ROLLOUT_DONE);
	assert_int_equal(r->next, -1);
	text = rollout_report_json(st, r);
	assert_non_null(strstr(text, "\"next\": null"));
	free(text);
	rollout_report_free(r);
	state_free(st);
	gen_spec_free(&s);
}

/*
 * The plan is the source of truth (issue 13): a phase is done only when
 * the live policy is the plan's body of that phase with the plan's id; a
 * stricter one is a deviation with its risk; refusals are fix now.
 */
static void
test_rollout_plan_truth(void **state)
{
	struct rollout_report *r;
	struct rollout_facts   f;
	struct gen_spec	       s, out;
	struct state	      *st;
	char		      *text;

	(void)state;
	spec_basic(&s);
	st = state_new(&s, 20788);
	state_add_id(st, s.id, s.mode, s.max_age, 20788);

	/* Case 1: enforce served, no TXT, the plan is in testing. */
	facts_live(&f, POLICY_MODE_ENFORCE, NULL, 86400);
	r = rollout_judge(st, &f, 20796);
	assert_int_equal(r->status[SCHEDULE_TESTING], ROLLOUT_DEVIATION);
	assert_non_null(strstr(r->why[SCHEDULE_TESTING],
	    "enforce is live before any TLS-RPT evidence"));
	assert_int_equal(r->next, SCHEDULE_TESTING);
	assert_non_null(strstr(r->next_text, "now"));
	assert_int_equal(rollout_report_exit(r), 1);
	text = rollout_report_json(st, r);
	assert_non_null(strstr(text, "\"deviation\""));
	assert_non_null(strstr(text, "\"fix_now\": null"));
	free(text);
	rollout_report_free(r);
	/* With some clean days the risk says how many. */
	f.clean_days = 5;
	r = rollout_judge(st, &f, 20796);
	assert_non_null(strstr(r->why[SCHEDULE_TESTING], "5 of 14 clean days"));
	rollout_report_free(r);

	/* Testing served with other mx lines: not done, and why. */
	facts_live(&f, POLICY_MODE_TESTING, s.id, 86400);
	snprintf(f.mx[0], sizeof(f.mx[0]), "%s", "mx9.example.com");
	r = rollout_judge(st, &f, 20796);
	assert_int_equal(r->status[SCHEDULE_TESTING], ROLLOUT_NOT_DONE);
	assert_non_null(strstr(r->why[SCHEDULE_TESTING], "mx mx9.example.com"));
	assert_int_equal(rollout_report_exit(r), 0);
	rollout_report_free(r);
	/* ... and a TXT id the plan did not hand out: records not done. */
	facts_live(&f, POLICY_MODE_TESTING, "20261101T000000Z", 86400);
	r = rollout_judge(st, &f, 20796);
	assert_int_equal(r->status[SCHEDULE_TESTING], ROLLOUT_DONE);
	assert_int_equal(r->status[SCHEDULE_RECORDS], ROLLOUT_NOT_DONE);
	assert_non_null(strstr(r->why[SCHEDULE_RECORDS], "not the plan's"));
	rollout_report_free(r);

	/* Case 2: mail refused now: fix now, exit 2, no date as next. */
	facts_live(&f, POLICY_MODE_ENFORCE, "20261101T000000Z", 86400);
	f.refused = 1;
	r = rollout_judge(st, &f, 20790);
	assert_true(r->fix_now);
	assert_int_equal(rollout_report_exit(r), 2);
	assert_null(strstr(r->next_text, "starts on"));
	assert_null(strstr(r->why[SCHEDULE_ENFORCE], "no enforce policy"));
	rollout_report_free(r);

	/* Case 7: an MX takes no connection: phase 1 not done. */
	facts_live(&f, POLICY_MODE_TESTING, s.id, 86400);
	f.mx_tls = 0;
	r = rollout_judge(st, &f, 20790);
	assert_int_equal(r->status[SCHEDULE_MX_TLS], ROLLOUT_NOT_DONE);
	rollout_report_free(r);

	/* Case 8: what the reports given held. */
	f.reports_given = 1;
	f.reports_read = 3;
	r = rollout_judge(st, &f, 20810);
	assert_string_equal(r->why[SCHEDULE_WATCH],
	    "3 reports read, none for this domain");
	rollout_report_free(r);
	f.reports_domain = f.reports_future = 2;
	r = rollout_judge(st, &f, 20810);
	assert_string_equal(r->why[SCHEDULE_WATCH],
	    "2 reports dated after today, ignored");
	rollout_report_free(r);
	f.clean_days = 4;
	f.reports_future = 1;
	r = rollout_judge(st, &f, 20810);
	assert_string_equal(r->why[SCHEDULE_WATCH],
	    "4 of 14 consecutive clean days; 1 report dated after today, "
	    "ignored");
	rollout_report_free(r);

	/* The plan's id live over another body: rollout next takes a new
	 * id, or senders would keep the policy they hold. */
	facts_live(&f, POLICY_MODE_ENFORCE, s.id, 86400);
	assert_int_equal(rollout_phase_spec(st, SCHEDULE_TESTING, &out, 20796,
			     (time_t)20796 * 86400, &f),
	    1);
	assert_string_not_equal(out.id, s.id);
	gen_spec_free(&out);
	state_free(st);

	/* A plan made in enforce with a long max_age: live as planned is
	 * no deviation in any phase. */
	s.mode = POLICY_MODE_ENFORCE;
	s.max_age = GEN_MAX_AGE_FINAL;
	st = state_new(&s, 20788);
	state_add_id(st, s.id, s.mode, s.max_age, 20788);
	facts_live(&f, POLICY_MODE_ENFORCE, s.id, GEN_MAX_AGE_FINAL);
	f.mx_tls = 1;
	r = rollout_judge(st, &f, 20790);
	assert_int_equal(r->status[SCHEDULE_TESTING], ROLLOUT_DONE);
	assert_int_equal(r->status[SCHEDULE_RECORDS], ROLLOUT_DONE);
	/* Its body and id are the max-age phase's: everything is done. */
	assert_int_equal(r->status[SCHEDULE_ENFORCE], ROLLOUT_DONE);
	assert_int_equal(r->status[SCHEDULE_MAX_AGE], ROLLOUT_DONE);
	assert_int_equal(rollout_report_exit(r), 0);
	rollout_report_free(r);
	/* The same plan at max_age 604800: enforce waits for its own body,
	 * without a deviation. */
	state_free(st);
	s.max_age = 604800;
	st = state_new(&s, 20788);
	state_add_id(st, s.id, s.mode, s.max_age, 20788);
	facts_live(&f, POLICY_MODE_ENFORCE, s.id, 604800);
	f.mx_tls = 1;
	r = rollout_judge(st, &f, 20790);
	assert_int_equal(r->status[SCHEDULE_TESTING], ROLLOUT_DONE);
	assert_int_equal(r->status[SCHEDULE_ENFORCE], ROLLOUT_NOT_DONE);
	assert_int_equal(rollout_report_exit(r), 0);
	rollout_report_free(r);
	state_free(st);
	gen_spec_free(&s);
}

/* The one judging of the front ends: the report gate counts the clean days. */
static void
test_rollout_judge_run(void **state)
{
	struct rollout_report *r;
	struct rollout_facts   f;
	struct report_gate     gate;
	struct gen_spec	       s;
	struct state	      *st;

	(void)state;
	spec_basic(&s);
	st = state_new(&s, 20788);
	memset(&gate, 0, sizeof(gate));

	/* No check could run, no reports: nothing is judged done. */
	r = rollout_judge_run(st, NULL, NULL, 20813, &f);
	assert_int_equal(f.checked, 0);
	assert_int_equal(f.clean_days, -1);
	assert_int_equal(r->status[SCHEDULE_TESTING], ROLLOUT_NOT_DONE);
	assert_int_equal(r->status[SCHEDULE_WATCH], ROLLOUT_UNKNOWN);
	rollout_report_free(r);
	/* Reports without an sts report for the domain: still unknown. */
	gate.state = REPORT_GATE_NO_DATA;
	r = rollout_judge_run(st, NULL, &gate, 20813, &f);
	assert_int_equal(r->status[SCHEDULE_WATCH], ROLLOUT_UNKNOWN);
	rollout_report_free(r);
	/* 11 clean days: watching, with the count. */
	gate.state = REPORT_GATE_WATCH;
	gate.clean_days = 11;
	r = rollout_judge_run(st, NULL, &gate, 20813, &f);
	assert_int_equal(f.clean_days, 11);
	assert_int_equal(r->status[SCHEDULE_WATCH], ROLLOUT_NOT_DONE);
	assert_non_null(strstr(r->why[SCHEDULE_WATCH], "11 of 14"));
	rollout_report_free(r);
	/* Enough clean days: the watch phase is done. */
	gate.state = REPORT_GATE_READY;
	gate.clean_days = SCHEDULE_CLEAN_DAYS;
	r = rollout_judge_run(st, NULL, &gate, 20813, &f);
	assert_int_equal(r->status[SCHEDULE_WATCH], ROLLOUT_DONE);
	rollout_report_free(r);
	state_free(st);
	gen_spec_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_state_roundtrip),
		cmocka_unit_test(test_state_untouched),
		cmocka_unit_test(test_state_truncated),
		cmocka_unit_test(test_state_not_regular),
		cmocka_unit_test(test_state_nesting),
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_rollout),
		cmocka_unit_test(test_rollout_plan_truth),
		cmocka_unit_test(test_rollout_judge_run),
	};

	return cmocka_run_group_tests_name("wizard_plan", tests, setup,
	    teardown);
}
