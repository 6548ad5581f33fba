#include "config.h"
#include "theme.h"

#include <stddef.h>

/*
 * One table: the colour pair of each item and the attribute it falls back
 * to without colour, so a monochrome screen still tells states apart.
 */
static const struct {
	short  fg;
	short  bg;
	attr_t color_attr;
	attr_t mono_attr;
} theme_table[THEME__COUNT] = {
	[THEME_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[THEME_HEADER] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[THEME_TITLE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[THEME_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[THEME_PASS] = { COLOR_GREEN, -1, A_BOLD, A_NORMAL },
	[THEME_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[THEME_FAIL] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[THEME_SKIP] = { -1, -1, A_DIM, A_DIM },
	[THEME_RUNNING] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[THEME_DIM] = { -1, -1, A_DIM, A_DIM },
	[THEME_SEV_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[THEME_SEV_WARNING] = { COLOR_YELLOW, -1, A_NORMAL, A_BOLD },
	[THEME_SEV_INFO] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[THEME_MARK] = { COLOR_MAGENTA, -1, A_NORMAL, A_UNDERLINE },
	[THEME_MATCH] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[THEME_LINK] = { COLOR_BLUE, -1, A_BOLD, A_BOLD },
	[THEME_SECTION] = { COLOR_WHITE, -1, A_BOLD, A_BOLD },
	[THEME_STATUS] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[THEME_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD },
};

/* UTF-8 and ASCII forms of each symbol. */
static const char *const theme_syms[SYM__COUNT][2] = {
	[SYM_PASS] = { "\u2714", "+" },
	[SYM_WARN] = { "!", "!" },
	[SYM_FAIL] = { "\u2718", "x" },
	[SYM_SKIP] = { "\u2013", "-" },
	[SYM_PENDING] = { "\u00b7", "." },
	[SYM_LINK] = { "\u25b8", ">" },
	[SYM_HLINE] = { "\u2500", "-" },
	[SYM_VLINE] = { "\u2502", "|" },
	[SYM_DASH] = { "\u2014", "-" },
	[SYM_YES] = { "\u2713", "Y" },
	[SYM_NO] = { "\u00b7", "." },
	[SYM_TAB] = { "\u2192", "<TAB>" },
	[SYM_LF] = { "\u240a", "<LF>" },
	[SYM_CRLF] = { "\u240d\u240a", "<CR><LF>" },
	[SYM_CR] = { "\u240d", "<CR>" },
	[SYM_SPACE] = { "\u2423", "<SP>" },
	[SYM_BOM] = { "\u27e8BOM\u27e9", "<BOM>" },
	[SYM_NOEOL] = { "\u2205", "<no EOL>" },
	[SYM_UPDOWN] = { "\u2191\u2193", "j/k" },
	[SYM_LEFT] = { "Esc", "Esc" },
	[SYM_DOTS] = { "\u2026", "..." },
};

static const char *const theme_spin_utf8[] = { "\u280b", "\u2819", "\u2839",
	"\u2838", "\u283c", "\u2834", "\u2826", "\u2827", "\u2807", "\u280f" };
static const char *const theme_spin_ascii[] = { "|", "/", "-", "\\" };

static int    theme_is_ascii;
static int    theme_has_color;
static attr_t theme_attrs[THEME__COUNT];

void
theme_init(int color, int ascii)
{
	size_t i;
	short  fg, bg;
	int    defaults = 0;

	theme_is_ascii = ascii;
	theme_has_color = color && has_colors();
	if (theme_has_color) {
		start_color();
		defaults = use_default_colors() == OK;
	}
	for (i = 0; i < THEME__COUNT; i++) {
		if (!theme_has_color) {
			theme_attrs[i] = theme_table[i].mono_attr;
			continue;
		}
		if (i == THEME_NORMAL) {
			theme_attrs[i] = A_NORMAL;
			continue;
		}
		/* Terminals without default colours get white on black. */
		fg = theme_table[i].fg;
		bg = theme_table[i].bg;
		if (fg == -1 && !defaults)
			fg = COLOR_WHITE;
		if (bg == -1 && !defaults)
			bg = COLOR_BLACK;
		init_pair((short)i, fg, bg);
		theme_attrs[i] = COLOR_PAIR(i) | theme_table[i].color_attr;
	}
}

int
theme_ascii(void)
{
	return theme_is_ascii;
}

int
theme_color(void)
{
	return theme_has_color;
}

attr_t
theme_attr(enum theme_item item)
{
	return theme_attrs[item];
}

const char *
theme_sym(enum theme_sym s)
{
	return theme_syms[s][theme_is_ascii ? 1 : 0];
}

const char *
theme_spinner(unsigned frame)
{
	if (theme_is_ascii)
		return theme_spin_ascii[frame % 4];
	return theme_spin_utf8[frame % 10];
}
