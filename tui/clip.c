#include "config.h"
#include "clip.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curses.h"
#include "xmalloc.h"

int
clip_enabled(const char **why)
{
	const char *env = getenv("MTASTS_OSC52");
	char	   *ms;

	if (env != NULL && strcmp(env, "1") == 0)
		return 1;
	if (env != NULL && strcmp(env, "0") == 0) {
		*why = "clipboard copy is off (MTASTS_OSC52=0)";
		return 0;
	}
	/* Ms: "set the selection", the capability tmux reads itself. */
	ms = tigetstr("Ms");
	if (ms != NULL && ms != (char *)-1)
		return 1;
	*why = "clipboard copy is off: the terminal does not say it "
	       "supports OSC 52 (MTASTS_OSC52=1 turns it on)";
	return 0;
}

static void
clip_base64(const unsigned char *in, size_t len, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t	 i;
	unsigned v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 |
		    in[i + 2];
		*out++ = tab[v >> 18 & 63];
		*out++ = tab[v >> 12 & 63];
		*out++ = tab[v >> 6 & 63];
		*out++ = tab[v & 63];
	}
	if (i < len) {
		v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		*out++ = tab[v >> 18 & 63];
		*out++ = tab[v >> 12 & 63];
		*out++ = i + 1 < len ? tab[v >> 6 & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

int
clip_copy(const char *text, size_t len, const char **why)
{
	char   *seq;
	size_t	n, off = 0;
	ssize_t w;

	if (len > CLIP_MAX) {
		*why = "too long for the clipboard (64 KiB at most)";
		return -1;
	}
	/* ESC ] 52 ; c ; BASE64 BEL: "c" is the clipboard selection. */
	seq = xmalloc(8 + (len + 2) / 3 * 4 + 2);
	memcpy(seq, "\033]52;c;", 7);
	clip_base64((const unsigned char *)text, len, seq + 7);
	n = strlen(seq);
	seq[n++] = '\a';
	/* Curses has written its frame; the sequence moves no cursor. */
	fflush(stdout);
	while (off < n) {
		if ((w = write(STDOUT_FILENO, seq + off, n - off)) == -1) {
			if (errno == EINTR)
				continue;
			free(seq);
			*why = "could not write to the terminal";
			return -1;
		}
		off += (size_t)w;
	}
	free(seq);
	return 0;
}
