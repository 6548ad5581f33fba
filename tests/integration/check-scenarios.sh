#!/bin/sh
# mtasts-tui check --json against every lab scenario with a [check] table.
exec python3 "$(dirname "$0")/check_scenarios.py"
