#include "config.h"
#include "id.h"

#include <string.h>
#include <time.h>

#include "xmalloc.h"

char *
id_new(time_t now, const char *const *used, size_t nused)
{
	struct tm tm;
	char	  buf[32];
	size_t	  i;
	int	  clash;

	for (;; now++) {
		gmtime_r(&now, &tm);
		strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
		clash = 0;
		for (i = 0; i < nused; i++)
			if (used[i] != NULL && strcmp(used[i], buf) == 0)
				clash = 1;
		if (!clash)
			return xstrdup(buf);
	}
}
