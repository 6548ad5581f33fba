#include "config.h"
#include "doc_certs.h"

#include <string.h>
#include <time.h>

#include "report_json.h"

const json_t *
doc_layer(const json_t *doc, const char *id)
{
	const json_t *layers, *l;
	const char   *s;
	size_t	      i;

	layers = json_object_get(doc, "layers");
	json_array_foreach(layers, i, l)
	{
		s = json_string_value(json_object_get(l, "id"));
		if (s != NULL && strcmp(s, id) == 0)
			return l;
	}
	return NULL;
}

const json_t *
doc_layer_data(const json_t *doc, const char *id)
{
	return json_object_get(doc_layer(doc, id), "data");
}

/* The leaf of an attempt's or address's chain, if it has one. */
static void
doc_certs_add(const json_t *holder, const char *host, int policy,
    struct doc_cert *out, size_t max, size_t *n)
{
	const json_t *leaf, *days;
	const char   *addr;

	leaf = json_array_get(
	    json_object_get(json_object_get(holder, "chain"), "certificates"),
	    0);
	days = json_object_get(leaf, "days_left");
	addr = json_string_value(json_object_get(holder, "address"));
	if (!json_is_integer(days) || addr == NULL || host == NULL)
		return;
	if (*n < max) {
		out[*n].host = host;
		out[*n].address = addr;
		out[*n].policy = policy;
		out[*n].days_left = (long)json_integer_value(days);
		out[*n].not_after = report_json_time_parse(
		    json_string_value(json_object_get(leaf, "not_after")));
	}
	(*n)++;
}

size_t
doc_certs(const json_t *doc, struct doc_cert *out, size_t max)
{
	const json_t *l, *data, *h, *arr, *addrs;
	const char   *host;
	size_t	      i, j, n = 0;

	if ((l = doc_layer(doc, "fetch")) != NULL) {
		data = json_object_get(l, "data");
		/* Every attempt is one address of mta-sts.DOMAIN. */
		host = json_string_value(json_object_get(doc, "domain"));
		arr = json_object_get(data, "attempts");
		for (i = 0; i < json_array_size(arr); i++)
			doc_certs_add(json_array_get(arr, i), host, 1, out, max,
			    &n);
	}
	if ((l = doc_layer(doc, "mx_tls")) != NULL) {
		data = json_object_get(l, "data");
		arr = json_object_get(data, "hosts");
		for (i = 0; i < json_array_size(arr); i++) {
			h = json_array_get(arr, i);
			host = json_string_value(json_object_get(h, "name"));
			addrs = json_object_get(h, "addresses");
			for (j = 0; j < json_array_size(addrs); j++)
				doc_certs_add(json_array_get(addrs, j), host, 0,
				    out, max, &n);
		}
	}
	return n;
}
