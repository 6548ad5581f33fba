/*
 * msg: the one-line messages of the plain commands on standard error.
 *
 * Messages quote file names, state files, causes and network text, so the
 * whole line goes through utf8_sanitize() before it is written: no control
 * byte, bidi control or invisible character reaches the terminal (issue 12).
 */
#ifndef MTASTS_CLI_MSG_H
#define MTASTS_CLI_MSG_H

/* Prints "mtasts-tui: ", the formatted message, sanitised, and a newline. */
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
