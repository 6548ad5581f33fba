# shellcheck shell=sh
# path_without PROG DIR: fills DIR with links to every program on PATH but
# PROG, so that PATH=DIR runs the lab as on a machine without it (sourced).
path_without() {
	_pw_old_ifs=$IFS
	IFS=:
	for _pw_d in $PATH; do
		[ -d "$_pw_d" ] || continue
		for _pw_f in "$_pw_d"/*; do
			_pw_n=${_pw_f##*/}
			[ "$_pw_n" = "$1" ] && continue
			[ -x "$_pw_f" ] && [ ! -e "$2/$_pw_n" ] &&
			    ln -s "$_pw_f" "$2/$_pw_n"
		done
	done
	IFS=$_pw_old_ifs
}
