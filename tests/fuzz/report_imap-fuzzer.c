/*
 * libFuzzer target: the IMAP client's response reader
 * (engine/report_imap.c) after the login.  The input is everything the
 * server says: the EXAMINE answer, the SEARCH, the sizes and the literals
 * of the messages, each literal handed to the report parser.  A small
 * size cap (4 KiB) makes the "over the cap" paths reachable.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "report_imap.h"
#include "report_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_input *in = report_input_new();
	size_t		     nnew = 0;
	char		    *cause = NULL;
	int		     rv;

	rv = report_imap_replay(in, data, size, 4096, &nnew, &cause);
	/*
	 * An error always says why.  (Not checked: that each message read
	 * gives an item; report_input gives none for a lone "From " line
	 * without a line end, a gap in its mbox reader, not here.)
	 */
	if (rv != 0 && cause == NULL)
		abort();
	free(cause);
	report_input_free(in);
	return 0;
}
