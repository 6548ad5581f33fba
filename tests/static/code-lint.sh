#!/bin/sh
# make lint as part of make check: clang-format, cppcheck, banned
# functions, the manual (scripts/lint.sh prints TAP).
exec sh "$(dirname "$0")/../../scripts/lint.sh"
