#!/usr/bin/env bash
# Kept for old habits: the benchmark driver is bench/compare.py (see its --help).
exec python3 "$(dirname "$0")/compare.py" "$@"
