/*
 * libFuzzer target: the wizard's YAML reader (wizard/yamlr.c, libyaml
 * underneath).  Every node of the document is visited through the public
 * lookups, as state.c uses them, with a bound on the work per input.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "yamlr.h"

#define FUZZ_MAX_VISITS 4096

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_keys[] = { "version", "domain", "settings",
	"mode", "mx", "ids", "id", "phases", "", "<<" };

static void
fuzz_walk(const struct yamlr *r, int node, int depth, size_t *visits)
{
	const char *s;
	long long   v;
	size_t	    i, n;

	if (node == 0 || depth > 64 || ++*visits > FUZZ_MAX_VISITS)
		return;
	if ((s = yamlr_str(r, node)) != NULL) {
		(void)strlen(s);
		(void)yamlr_int(r, node, &v);
	}
	if (yamlr_is_seq(r, node)) {
		n = yamlr_len(r, node);
		for (i = 0; i < n; i++)
			fuzz_walk(r, yamlr_item(r, node, i), depth + 1, visits);
		if (yamlr_item(r, node, n) != 0)
			abort();
	}
	if (yamlr_is_map(r, node))
		for (i = 0; i < sizeof(fuzz_keys) / sizeof(fuzz_keys[0]); i++) {
			fuzz_walk(r, yamlr_get(r, node, fuzz_keys[i]),
			    depth + 1, visits);
			(void)yamlr_get_str(r, node, fuzz_keys[i]);
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yamlr *r;
	char	     *cause = NULL;
	size_t	      visits = 0;

	r = yamlr_load((const char *)data, size, &cause);
	if ((r == NULL) == (cause == NULL))
		abort();
	if (r != NULL) {
		fuzz_walk(r, yamlr_root(r), 0, &visits);
		yamlr_free(r);
	}
	free(cause);
	return 0;
}
