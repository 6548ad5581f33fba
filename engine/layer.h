/*
 * layer: what one layer of a check is, as data: a class per layer, in the
 * manner of curl's protocol handlers and htop's MeterClass.  The registry
 * (layers.h) lists the classes; check.c, summary.c and report_json.c go
 * through this table and know nothing of any one layer.
 *
 * Each engine/layer_<x>.c defines one class and keeps everything that only
 * renders that layer: its summary lines and its JSON data.
 */
#ifndef MTASTS_LAYER_H
#define MTASTS_LAYER_H

#include "check.h"
#include "finding.h"
#include "layers.h"

struct jsonw;
struct summary;

#define LAYER_BIT(l) (1u << (l))

/* The layer that judges all the others (the verdict): it runs last. */
#define LAYER_FINAL 0x1

struct layer_class {
	const char *name; /* JSON, catalog and screen name */
	unsigned    flags;
	unsigned    needs; /* LAYER_BIT()s of the layers it waits for */
	/*
	 * At the check's deadline (check_cut): the finding a layer still
	 * waiting on the network gets and the step it names.  cut_step NULL:
	 * the layer has no network work and is never cut.  cut_unstarted
	 * says why when a layer it needs had no result yet.
	 */
	enum finding_code cut_code;
	const char	 *cut_step;
	const char	 *cut_unstarted;
	/* The lines that matter (summary.h); NULL: only why it was skipped. */
	void (*summary)(struct summary *, const struct check *, int ascii);
	/* Members of the layer's "data" object in --json; NULL: none. */
	void (*json)(struct jsonw *, const struct check *);
};

#define LAYERS_EXTERN(e, cls) extern const struct layer_class cls;
CHECK_LAYERS(LAYERS_EXTERN)
#undef LAYERS_EXTERN

/* The class of a layer (never NULL for a valid layer). */
const struct layer_class *layer_class(enum check_layer);

#endif
