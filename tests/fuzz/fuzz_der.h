/*
 * Helper shared by the certificate targets: an input read as a chain of
 * DER certificates, each behind a two-byte big-endian length; the bytes
 * left after the last whole one are a certificate of their own.
 */
#ifndef MTASTS_FUZZ_DER_H
#define MTASTS_FUZZ_DER_H

#include <stddef.h>
#include <stdint.h>

#include "certinfo.h"

#define FUZZ_MAX_CERTS 6

static inline size_t
fuzz_der_split(struct certinfo_der *der, const uint8_t *d, size_t n)
{
	size_t off = 0, len, k = 0;

	while (off < n && k < FUZZ_MAX_CERTS) {
		if (n - off >= 2 && k + 1 < FUZZ_MAX_CERTS) {
			len = (size_t)d[off] << 8 | d[off + 1];
			if (len <= n - off - 2) {
				der[k].data = d + off + 2;
				der[k++].len = len;
				off += 2 + len;
				continue;
			}
		}
		der[k].data = d + off;
		der[k++].len = n - off;
		break;
	}
	return k;
}

#endif
