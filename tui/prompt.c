#include "config.h"
#include "prompt.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "keys.h"
#include "text.h"
#include "theme.h"
#include "xmalloc.h"

void
prompt_open(struct prompt *p, enum prompt_kind kind, const char *label,
    const char *initial, const char *hint)
{
	prompt_close(p);
	p->kind = kind;
	snprintf(p->label, sizeof(p->label), "%s", label);
	snprintf(p->buf, sizeof(p->buf), "%s", initial != NULL ? initial : "");
	p->len = strlen(p->buf);
	p->hint = hint != NULL ? xstrdup(hint) : NULL;
}

void
prompt_close(struct prompt *p)
{
	free(p->error);
	free(p->hint);
	memset(p, 0, sizeof(*p));
}

void
prompt_set_error(struct prompt *p, const char *e)
{
	free(p->error);
	p->error = e != NULL ? xstrdup(e) : NULL;
}

enum prompt_result
prompt_key(struct prompt *p, int key)
{
	char	  mb[MB_LEN_MAX];
	mbstate_t st;
	size_t	  n;

	if (keys_is_enter(key))
		return PROMPT_DONE;
	if (key == KEYS_ESC || key == KEYS_CTRL('g'))
		return PROMPT_CANCEL;
	prompt_set_error(p, NULL);
	if (keys_is_backspace(key)) {
		/* Back over one UTF-8 character. */
		while (p->len > 0 &&
		    ((unsigned char)p->buf[--p->len] & 0xc0) == 0x80)
			;
		p->buf[p->len] = '\0';
	} else if (key == KEYS_CTRL('u')) {
		p->len = 0;
		p->buf[0] = '\0';
	} else if (key == KEYS_CTRL('w')) {
		while (p->len > 0 && p->buf[p->len - 1] == ' ')
			p->len--;
		while (p->len > 0 && p->buf[p->len - 1] != ' ')
			p->len--;
		p->buf[p->len] = '\0';
	} else if ((key & KEYS_FN) == 0 && key >= 0x20 && key != 0x7f) {
		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, (wchar_t)key, &st);
		if (n != (size_t)-1 && p->len + n < sizeof(p->buf)) {
			memcpy(p->buf + p->len, mb, n);
			p->len += n;
			p->buf[p->len] = '\0';
		}
	}
	return PROMPT_EDITED;
}

int
prompt_draw_line(struct prompt *p, WINDOW *w, int y, int x0, int cols)
{
	int    x, avail;
	size_t off;
	char  *clean;

	x = text_draw(w, y, x0, cols, p->label, theme_attr(THEME_SECTION));
	x += text_draw(w, y, x0 + x, cols - x, " ", A_NORMAL);
	/* Show the end of a long input. */
	clean = text_clean(p->buf, p->len);
	avail = cols - x - 1;
	off = 0;
	while (avail > 0 && text_width(clean + off) > avail)
		off++;
	while ((clean[off] & 0xc0) == 0x80)
		off++;
	x += text_draw(w, y, x0 + x, avail, clean + off, A_NORMAL);
	free(clean);
	if (x < cols)
		x += text_draw(w, y, x0 + x, 1, " ", A_REVERSE);
	return x;
}

void
prompt_draw(struct prompt *p, WINDOW *w, int cols)
{
	int x;

	werase(w);
	x = prompt_draw_line(p, w, 0, 0, cols);
	if (p->error != NULL && x + 2 < cols) {
		x += text_draw(w, 0, x, cols - x, "  ", A_NORMAL);
		text_draw(w, 0, x, cols - x, p->error, theme_attr(THEME_ERROR));
	} else if (p->hint != NULL && x + 2 < cols) {
		x += text_draw(w, 0, x, cols - x, "  ", A_NORMAL);
		text_draw(w, 0, x, cols - x, p->hint, theme_attr(THEME_DIM));
	}
	wnoutrefresh(w);
}
