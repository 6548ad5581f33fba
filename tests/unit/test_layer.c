/*
 * Unit tests: the layer registry (layers.h) and the scheduler over it.  The
 * check runs against a resolver that never answers, so it needs no lab.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "finding.h"
#include "layer.h"

static void
test_registry(void **state)
{
	const struct layer_class *k;
	int			  l, m, nfinal = 0;

	(void)state;
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		k = layer_class(l);
		assert_non_null(k->name);
		assert_string_equal(check_layer_name(l), k->name);
		assert_non_null(k->judge);
		for (m = 0; m < l; m++)
			assert_string_not_equal(layer_class(m)->name, k->name);
		if (check_layer_final(l)) {
			nfinal++;
			/* The final layer waits for every other. */
			assert_int_equal(k->after | LAYER_BIT(l), LAYER_ALL);
		}
		/* A layer that can be cut says so with a finding of its own. */
		if (k->cut_step != NULL)
			assert_int_equal(finding_code_layer_id(k->cut_code), l);
		/* Only network work can be cut; it has a deadline. */
		if (k->cut_step != NULL)
			assert_non_null(k->work);
		if (k->late != NULL)
			assert_int_not_equal(k->late_needs, 0);
	}
	assert_int_equal(nfinal, 1);
}

static void
test_catalog_layers(void **state)
{
	int i, l;

	(void)state;
	for (i = 0; i < FINDING__COUNT; i++) {
		l = finding_code_layer_id(i);
		assert_true((l >= 0 && l < CHECK_LAYER__COUNT) ||
		    l == FINDING_LAYER_REPORT);
		if (l == FINDING_LAYER_REPORT)
			assert_string_equal(finding_code_layer(i), "report");
		else
			assert_string_equal(finding_code_layer(i),
			    check_layer_name(l));
	}
}

/*
 * With every step instant, the rules (doc/architecture.md) bring every
 * layer to done: needs, after and late_needs have no cycle.
 */
static void
test_no_cycle(void **state)
{
	const struct layer_class *k;
	unsigned		  have = 0, done = 0, finals = 0, mask;
	int			  l, moved;

	(void)state;
	for (l = 0; l < CHECK_LAYER__COUNT; l++)
		if (check_layer_final(l))
			finals |= LAYER_BIT(l);
	do {
		moved = 0;
		for (l = 0; l < CHECK_LAYER__COUNT; l++) {
			k = layer_class(l);
			if (done & LAYER_BIT(l))
				continue;
			mask = (k->needs | k->after) & ~LAYER_BIT(l);
			if (!check_layer_final(l))
				mask &= ~finals;
			if ((mask & ~(have | done)) != 0 ||
			    (k->after & ~LAYER_BIT(l) &
				~(check_layer_final(l) ? 0 : finals) & ~done) !=
				0)
				continue;
			have |= LAYER_BIT(l);
			if ((k->late_needs & ~LAYER_BIT(l) & ~have) != 0)
				continue;
			done |= LAYER_BIT(l);
			moved = 1;
		}
	} while (moved);
	assert_int_equal(done, LAYER_ALL);
}

struct seen {
	int calls[CHECK_LAYER__COUNT];
	int last;
};

static void
seen_cb(struct check *c, enum check_layer l, void *arg)
{
	struct seen *s = arg;

	(void)c;
	s->calls[l]++;
	s->last = l;
}

/*
 * A check where nothing answers still reports every layer, final last;
 * with optional 0 the optional layers are done at once and not shown.
 */
static void
run_dead_resolver(int serial, int optional)
{
	struct check_options o;
	struct check	    *c;
	struct seen	     s;
	char		    *cause = NULL;
	int		     l;

	memset(&o, 0, sizeof(o));
	memset(&s, 0, sizeof(s));
	o.resolver = "127.0.0.1";
	o.resolver_port = 9;
	o.timeout_scale = 0.1;
	o.no_history = 1;
	o.no_mx_tls = 1;
	o.deadline = 2;
	o.serial = serial;
	for (l = 0; optional && l < CHECK_LAYER__COUNT; l++)
		if (check_layer_optional(l))
			o.optional |= LAYER_BIT(l);
	c = check_run_sync("example.test", &o, seen_cb, &s, &cause);
	assert_non_null(c);
	assert_true(check_done(c));
	for (l = 0; l < CHECK_LAYER__COUNT; l++) {
		assert_true(check_layer_status(c, l) > CHECK_RUNNING);
		if (!optional && check_layer_optional(l)) {
			assert_false(check_layer_shown(c, l));
			assert_int_equal(s.calls[l], 0);
			assert_int_equal(check_layer_status(c, l), CHECK_SKIP);
			continue;
		}
		assert_true(check_layer_shown(c, l));
		assert_true(s.calls[l] > 0);
	}
	assert_true(check_layer_final(s.last));
	assert_int_equal(check_exit_status(c), 3);
	assert_non_null(check_failure(c));
	check_free(c);
}

static void
test_check_dead_resolver(void **state)
{
	(void)state;
	run_dead_resolver(0, 0);
	run_dead_resolver(0, 1);
}

static void
test_check_serial(void **state)
{
	(void)state;
	run_dead_resolver(1, 0);
	run_dead_resolver(1, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_catalog_layers),
		cmocka_unit_test(test_no_cycle),
		cmocka_unit_test(test_check_dead_resolver),
		cmocka_unit_test(test_check_serial),
	};
	char *cause;

	if (check_global_init(&cause) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
