#include "config.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "strbuf.h"
#include "theme.h"
#include "utf8.h"
#include "xmalloc.h"

#define TEXT_MAX (1024 * 1024)

static int text_char(const char *, size_t, size_t *);

char *
text_clean(const char *s, size_t len)
{
	if (s == NULL)
		return xstrdup("");
	return utf8_sanitize(s, len, theme_ascii());
}

char *
text_cleans(const char *s)
{
	return text_clean(s, s != NULL ? strlen(s) : 0);
}

char *
text_guard(const char *s)
{
	struct strbuf	     sb;
	const unsigned char *p = (const unsigned char *)s;
	unsigned int	     cp;
	size_t		     i, n, len = strlen(s);
	int		     bad;

	strbuf_init(&sb, TEXT_MAX);
	for (i = 0; i < len; i += n) {
		n = utf8_valid_prefix(p + i, len - i);
		bad = n == 0 || p[i] < 0x20 || p[i] == 0x7f ||
		    (n > 1 && theme_ascii());
		if (n == 0)
			n = 1;
		if (!bad && n > 1 && (cp = utf8_hidden(p + i, n)) != 0)
			strbuf_addf(&sb, "<U+%04X>", cp); /* as utf8_sanitize */
		else if (bad) {
			/* One escape per byte, as utf8_sanitize writes. */
			for (size_t k = 0; k < n; k++)
				strbuf_addf(&sb, "\\x%02x", p[i + k]);
		} else
			strbuf_add(&sb, p + i, n);
	}
	return strbuf_detach(&sb, NULL);
}

/* Columns of the character at s[i] (at most len bytes); *n its bytes. */
static int
text_char(const char *s, size_t len, size_t *n)
{
	mbstate_t st;
	wchar_t	  wc;
	size_t	  r;
	int	  w;

	memset(&st, 0, sizeof(st));
	r = mbrtowc(&wc, s, len, &st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		*n = 1;
		return 1;
	}
	*n = r;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

int
text_width(const char *s)
{
	size_t i, n, len = strlen(s);
	int    w = 0;

	for (i = 0; i < len; i += n)
		w += text_char(s + i, len - i, &n);
	return w;
}

size_t
text_fit(const char *s, int cols, int *used)
{
	size_t i, n, len = strlen(s);
	int    w = 0, cw;

	for (i = 0; i < len; i += n) {
		cw = text_char(s + i, len - i, &n);
		if (w + cw > cols)
			break;
		w += cw;
	}
	if (used != NULL)
		*used = w;
	return i;
}

size_t
text_wrap(const char *s, int cols, char ***lines)
{
	char **out = NULL;
	size_t nout = 0, fit, brk, len;
	int    used;

	if (cols < 8)
		cols = 8;
	len = strlen(s);
	do {
		fit = text_fit(s, cols, &used);
		if (fit < len) {
			/* Break at the last space that fits, if any. */
			for (brk = fit; brk > 0 && s[brk] != ' '; brk--)
				;
			if (brk > 0)
				fit = brk;
			if (fit == 0)
				fit = 1;
		}
		out = xreallocarray(out, nout + 1, sizeof(*out));
		out[nout++] = xstrndup(s, fit);
		s += fit;
		len -= fit;
		while (*s == ' ') {
			s++;
			len--;
		}
	} while (len > 0);
	*lines = out;
	return nout;
}

int
text_draw(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	char  *g;
	size_t n;
	int    used;

	if (cols <= 0)
		return 0;
	g = text_guard(s);
	n = text_fit(g, cols, &used);
	wattrset(w, attr);
	mvwaddnstr(w, y, x, g, (int)n);
	wattrset(w, A_NORMAL);
	free(g);
	return used;
}

void
text_fill(WINDOW *w, int y, int x, int cols, const char *ch, attr_t attr)
{
	int i;

	wattrset(w, attr);
	wmove(w, y, x);
	for (i = 0; i < cols; i++)
		waddstr(w, ch);
	wattrset(w, A_NORMAL);
}
