#include "config.h"
#include "layer.h"

#include <stdlib.h>

static const struct layer_class *const layer_table[CHECK_LAYER__COUNT] = {
#define LAYERS_ENTRY(e, cls) [e] = &cls,
	CHECK_LAYERS(LAYERS_ENTRY)
#undef LAYERS_ENTRY
};

const struct layer_class *
layer_class(enum check_layer l)
{
	if ((unsigned)l >= CHECK_LAYER__COUNT)
		abort();
	return layer_table[l];
}
