/*
 * file_out: writes a file atomically -- a temporary file in the same
 * directory (PATH.tmpXXXXXX, so no reader globbing PATH's suffix takes
 * it), mode 0644, fsynced, then renamed (or linked when an existing file
 * must be kept) and the directory fsynced -- so a reader sees the old
 * file or the new one, never a part.  Used by the wizard's files, the
 * screen's saves, the state and the metrics textfile.
 */
#ifndef MTASTS_FILE_OUT_H
#define MTASTS_FILE_OUT_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Writes len bytes to path.  With replace 0 an existing file is left
 * alone and 1 is returned.  Returns 0 on success, -1 with *cause set
 * (caller frees) on error.
 */
int file_out_write(const char *path, const void *data, size_t len, int replace,
    char **cause);
/* Writes all of p to fd, mode 0644, fsynced; 0, or -1 with errno set. */
int file_out_fill(int fd, const char *p, size_t len);
/*
 * mkdir -p dir, with mode for the directories it creates; 0, or -1 with
 * *cause set (caller frees) when cause is not NULL.
 */
int file_out_mkdirs(const char *dir, mode_t mode, char **cause);

#endif
