/*
 * layers: the registry, the one list of a check's layers in the order they
 * are shown and reported.  It makes enum check_layer here and the class
 * table in layer.c, so the two cannot disagree; adding a layer is one line
 * here and one engine/layer_<x>.c (doc/architecture.md).
 *
 * X(ENUM, class): the layer's enum name and its struct layer_class.
 */
#ifndef MTASTS_LAYERS_H
#define MTASTS_LAYERS_H

#define CHECK_LAYERS(X)                       \
	X(CHECK_DNS, layer_sts_class)         \
	X(CHECK_FETCH, layer_fetch_class)     \
	X(CHECK_POLICY, layer_policy_class)   \
	X(CHECK_MX, layer_mx_class)           \
	X(CHECK_MX_TLS, layer_mx_tls_class)   \
	X(CHECK_DANE, layer_dane_class)       \
	X(CHECK_TLSRPT, layer_tlsrpt_class)   \
	X(CHECK_AUTH, layer_auth_class)       \
	X(CHECK_HISTORY, layer_history_class) \
	X(CHECK_VERDICT, layer_verdict_class)

enum check_layer {
#define LAYERS_ENUM(e, cls) e,
	CHECK_LAYERS(LAYERS_ENUM)
#undef LAYERS_ENUM
	CHECK_LAYER__COUNT
};

/*
 * The finding catalog's layers (finding_table.h): every check layer, and
 * this one for the findings of the report command, which is not a check.
 */
#define FINDING_LAYER_REPORT CHECK_LAYER__COUNT

#endif
