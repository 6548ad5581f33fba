#include "config.h"
#include "keys.h"

#include <wchar.h>

int
keys_read(int *key)
{
	wint_t wc;
	int    r;

	r = wget_wch(stdscr, &wc);
	if (r == ERR)
		return -1;
	if (r == KEY_CODE_YES)
		*key = KEYS_FN | (int)wc;
	else
		*key = (int)wc;
	return 0;
}

int
keys_is_enter(int key)
{
	return key == '\r' || key == '\n' || key == (KEYS_FN | KEY_ENTER);
}

int
keys_is_backspace(int key)
{
	return key == 0x7f || key == 0x08 || key == (KEYS_FN | KEY_BACKSPACE);
}

int
keys_is_back(int key)
{
	return key == KEYS_ESC || keys_is_backspace(key) || key == KEYS_LEFT;
}
