/*
 * output: writes the wizard's set of files together (a staging directory
 * and a manifest, each file as file_out.h writes one), never replacing an
 * existing file unless the caller says so.
 */
#ifndef MTASTS_WIZARD_OUTPUT_H
#define MTASTS_WIZARD_OUTPUT_H

#include <stddef.h>
#include <sys/types.h>

struct gen_spec;
struct schedule;

/* Asked about each file that exists; returns 1 to replace it. */
typedef int (*output_replace_cb)(const char *path, void *arg);

/*
 * Generates every format and writes each to its file in dir (created if
 * needed).  Nothing is written if a generator fails, or if a file exists
 * and neither force nor ask (may be NULL) allows replacing it.  Prints
 * nothing.  Returns 0, or -1 with *cause set (caller frees).
 */
int output_write_all(const char *dir, const struct gen_spec *,
    const struct schedule *, int force, output_replace_cb ask, void *arg,
    char **cause);
/*
 * Which of the files output_write_all() writes exist in dir already (bit
 * 1 << gen_format), and in *differ those whose bytes are not what it
 * would write.
 */
unsigned output_existing(const char *dir, const struct gen_spec *,
    const struct schedule *, unsigned *differ);
/* The default directory: ./mtasts-DOMAIN (caller frees). */
char *output_default_dir(const char *domain);

#endif
