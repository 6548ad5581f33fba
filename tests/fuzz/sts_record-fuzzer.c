/* libFuzzer target: _mta-sts RRset selection and record grammar. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "sts_record.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_rrset    set;
	struct finding_list *fl;
	struct sts_record   *r;
	size_t		     i;

	fl = finding_list_new();
	fuzz_split(&set, data, size);
	r = sts_record_select(set.rr, set.nrr, "_mta-sts.fuzz.example", fl);
	if (r->valid &&
	    (r->id == NULL || strlen(r->id) == 0 || strlen(r->id) > 32 ||
		r->status != STS_RECORD_ONE))
		abort();
	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].name == NULL || r->fields[i].value == NULL)
			abort();
	sts_record_free(r);

	/* The whole input as one joined record. */
	r = sts_record_parse((const char *)data, size, "fuzz", fl);
	if (r->rawlen != size || memcmp(r->raw, data, size) != 0)
		abort();
	sts_record_free(r);
	fuzz_check_findings(fl);
	finding_list_free(fl);
	return 0;
}
