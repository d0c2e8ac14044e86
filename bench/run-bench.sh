#!/bin/sh
# Record parsing benchmark: wall-clock time and allocations from a long
# run, and instructions per record from two callgrind runs of different
# length (their difference cancels start-up cost).  Usage:
#   bench/run-bench.sh path/to/bench-record
set -eu
bin=${1:-bench/bench-record}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

instructions() { # mode iterations
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" \
		"$bin" --mode "$1" --iterations "$2" >/dev/null 2>&1
	sed -n 's/^summary: //p; s/^totals: //p' "$tmp/cg" | head -n 1
}

for mode in 9989 7489; do
	"$bin" --mode "$mode" --iterations 1000000
	if command -v valgrind >/dev/null 2>&1; then
		a=$(instructions "$mode" 1000)
		b=$(instructions "$mode" 11000)
		echo "mode=$mode instructions/record=$(( (b - a) / 30000 )) (callgrind)"
	fi
done
