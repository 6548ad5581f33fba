/* libFuzzer target: _smtp._tls RRset selection, grammar and rua URIs. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "tlsrpt_record.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_rrset     set;
	struct finding_list  *fl;
	struct tlsrpt_record *r;
	size_t		      i;

	fl = finding_list_new();
	fuzz_split(&set, data, size);
	r = tlsrpt_record_select(set.rr, set.nrr, "_smtp._tls.fuzz.example",
	    fl);
	if (r->usable && !r->valid)
		abort();
	for (i = 0; i < r->nuris; i++) {
		if (r->uris[i].uri == NULL)
			abort();
		if (r->uris[i].usable && r->uris[i].target == NULL)
			abort();
		if (r->uris[i].usable &&
		    r->uris[i].scheme != TLSRPT_SCHEME_MAILTO &&
		    r->uris[i].scheme != TLSRPT_SCHEME_HTTPS)
			abort();
	}
	tlsrpt_record_free(r);

	r = tlsrpt_record_parse((const char *)data, size, "fuzz", fl);
	if (r->rawlen != size || memcmp(r->raw, data, size) != 0)
		abort();
	tlsrpt_record_free(r);
	fuzz_check_findings(fl);
	finding_list_free(fl);
	return 0;
}
