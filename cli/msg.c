#include "config.h"
#include "msg.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xmalloc.h"

void
msg_error(const char *fmt, ...)
{
	const char *cs = nl_langinfo(CODESET);
	va_list	    ap;
	char	   *raw, *clean;
	int	    ascii;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	/* Outside UTF-8, bytes 0x80..0x9f are C1 controls: all escaped. */
	ascii =
	    cs == NULL || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0);
	clean = utf8_sanitize(raw, strlen(raw), ascii);
	fprintf(stderr, "mtasts-tui: %s\n", clean);
	free(clean);
	free(raw);
}
