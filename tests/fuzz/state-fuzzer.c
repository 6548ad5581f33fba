/*
 * libFuzzer target: a rollout state file (wizard/state.c, state_parse
 * through state_load_buffer).  What is read must be written back and read
 * again to the same text: a plan the program accepts is a plan it can
 * keep.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state *st, *again;
	char	     *cause = NULL, *text, *text2;
	size_t	      len, len2;

	if (state_load_buffer((const char *)data, size, "fuzz", &st, &cause) !=
	    0) {
		if (cause == NULL || st != NULL)
			abort();
		free(cause);
		return 0;
	}
	if ((text = state_format(st, &len, &cause)) == NULL) {
		/* The writer may refuse what it cannot write; it says why. */
		if (cause == NULL)
			abort();
		free(cause);
		state_free(st);
		return 0;
	}
	if (state_load_buffer(text, len, "written", &again, &cause) != 0)
		abort(); /* we wrote a file we cannot read */
	if ((text2 = state_format(again, &len2, &cause)) == NULL ||
	    len2 != len || memcmp(text, text2, len) != 0)
		abort();
	free(text);
	free(text2);
	state_free(again);
	state_free(st);
	return 0;
}
