#!/bin/sh
# The keys of the screen: tui/keys_table.h (what the help view shows) and
# the KEYS section of doc/mtasts-tui.1 name the same keys; the mark of an
# entry that opens a view is the same in the manual, the help and the
# symbol table; the manual lists every pane the screen has.  TAP output.
cd "$(dirname "$0")/../.." || exit 1
man=doc/mtasts-tui.1
keys_sec=$(sed -n '/^\.Sh KEYS/,/^\.Sh /p' "$man")

# Key names of the table (KEYS_KEY lines, marks excluded).
table_keys=$(sed -n 's/^KEYS_KEY("\([^"]*\)".*/\1/p' tui/keys_table.h | tr ' ' '\n' | grep -v '^$')
missing=
for k in $table_keys; do
	# Regex characters of a key name taken literally.
	q=$(printf '%s' "$k" | sed 's/[][\\.*+?^$]/\\&/g')
	case $k in
	[a-zA-Z]) pat="Cm $q( |\$)" ;;
	?) pat="Cm (\\\\&)?$q( |\$)" ;;
	*) pat="(^| )$q( |,|\$)" ;;
	esac
	printf '%s\n' "$keys_sec" | grep '^\.It' | grep -Eq -- "$pat" ||
	    missing="$missing $k"
done
if [ -n "$table_keys" ] && [ -z "$missing" ]; then
	echo "ok - the manual's KEYS names every key of the key table"
else
	echo "not ok - the manual's KEYS lacks:$missing"
fi

# And the other way: every key the manual lists is in the table.
extra=
for k in $(printf '%s\n' "$keys_sec" | sed -n 's/^\.It //p' |
    sed 's/Cm //g; s/\\&//g; s/ , / /g; s/,//g'); do
	printf '%s\n' "$table_keys" | grep -qxF -- "$k" || extra="$extra $k"
done
if [ -z "$extra" ]; then
	echo "ok - every key of the manual's KEYS is in the key table"
else
	echo "not ok - keys in the manual but not in the key table:$extra"
fi

# The link mark: U+25B8 on the screen (theme.c), {link} in the help, the
# same character and > in the manual.
if grep -q 'SYM_LINK\] = { "\\u25b8", ">" }' tui/theme.c &&
    grep -q '{link}' tui/keys_table.h &&
    grep -q '\\\[u25B8\]' "$man" && ! grep -q '\\(rh' "$man"; then
	echo "ok - one mark for entries that open a view (screen, help, manual)"
else
	echo "not ok - the mark for entries that open a view differs"
fi

# Every pane of the screen (every layer but the verdict) is in the list.
# The names come from the layer classes (engine/layer_*.c), less the final.
layers=$(grep -L 'LAYER_FINAL' engine/layer_*.c |
    xargs sed -n 's/^[[:space:]]*\.name = "\([a-z_]*\)",$/\1/p')
list=$(sed -n '/^Below it there is one pane per check layer/,/^\.Pc/p' "$man")
missing=
for l in $layers; do
	printf '%s\n' "$list" | grep -Eq "(Cm|,) $l( |,|\$)" || missing="$missing $l"
done
if [ -n "$layers" ] && [ -z "$missing" ]; then
	echo "ok - the manual lists every pane ($(echo $layers))"
else
	echo "not ok - the manual's pane list lacks:$missing (layers: $(echo $layers))"
fi

# The wizard's keys: its view binds only what tui/keys_wizard.h lists (no
# key literal compared or switched on in its files), and the help view
# shows that same table, so the key line, the bindings and the help
# cannot drift apart.
lits=$(grep -nE "(case|==|!=) *'|(case|==|!=) *KEYS_" tui/view_wizard*.c)
if [ -z "$lits" ] && grep -q 'wiz_bindings\[i\]\.key' tui/view_wizard.c &&
    grep -q '^#include "keys_wizard.h"' tui/view_wizard.c; then
	echo "ok - the wizard view binds keys only from keys_wizard.h"
else
	echo "not ok - the wizard view binds keys outside keys_wizard.h:"
	printf '%s\n' "$lits" | sed 's/^/# /'
fi
if grep -q '^#include "keys_wizard.h"' tui/view_help.c &&
    [ "$(grep -c '^WIZARD_KEY(' tui/keys_wizard.h)" -gt 0 ]; then
	echo "ok - the help view lists the wizard's key table"
else
	echo "not ok - the help view does not list tui/keys_wizard.h"
fi
# Every screen of the wizard has its way out in the table (entries
# joined onto one line each first).
wizkeys=$(grep -v '^ \*\|^/\*' tui/keys_wizard.h | tr '\n' ' ' |
    sed 's/WIZARD_KEY(/\
WIZARD_KEY(/g')
for s in STATE MX MODE RUA ID HOSTING OUTPUT; do
	printf '%s\n' "$wizkeys" | grep -E "^WIZARD_KEY\(WIZ_(STEPS|$s)[ ,)&]" |
	    grep -q ', wiz_quit)' || { echo "not ok - no quit key on WIZ_$s"; continue; }
	echo "ok - the wizard screen WIZ_$s has its quit key in the table"
done
