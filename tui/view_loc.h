/*
 * view_loc: what a view shows, or what a list line opens, named by where
 * it is in the check -- a layer, the part of it, and the indexes inside
 * that part -- never by a pointer, so a view finds its data again after
 * a re-run and while the check is still running.
 */
#ifndef MTASTS_TUI_VIEW_LOC_H
#define MTASTS_TUI_VIEW_LOC_H

#include <stddef.h>

#include "check.h"

enum view_part {
	VIEW_PART_LAYER = 0, /* the layer as a whole (its detail view) */
	VIEW_PART_POLICY,    /* the parsed policy, line by line */
	VIEW_PART_HTTP,	     /* the HTTP exchange with fetch address addr */
	VIEW_PART_BODY,	     /* the body fetched from fetch address addr */
	VIEW_PART_CHAIN,     /* the chain of fetch address addr (CHECK_FETCH)
				or of MX host, address addr (CHECK_MX_TLS) */
	VIEW_PART_SMTP,	     /* the SMTP dialogue with MX host, address addr */
	VIEW_PART_MATRIX,    /* the MX x pattern matrix */
	VIEW_PART_DOMAIN     /* line `line` of the domain list */
};

struct view_loc {
	enum check_layer layer;
	enum view_part	 part;
	size_t		 host; /* MX host index in the mx_tls result */
	size_t		 addr; /* address index: of the fetch, or of host */
	int		 code; /* a layer view: the cursor on the first
				  finding with this code; -1 none */
	size_t		 line;
};

/* The locator of a part of a layer, every index 0 and no finding. */
struct view_loc view_loc(enum check_layer, enum view_part);

#endif
