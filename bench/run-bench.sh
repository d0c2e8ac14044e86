#!/bin/sh
# Record parsing benchmark: wall-clock time and allocations from a long
# run, and instructions per record from two callgrind runs of different
# length (their difference cancels start-up cost).  Usage:
#   bench/run-bench.sh path/to/bench-record
set -eu
bin=${1:-bench/bench-record}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

instructions() { # mode iterations spaced
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" \
		"$bin" --mode "$1" --iterations "$2" --spaced "$3" \
		>/dev/null 2>&1
	sed -n 's/^summary: //p; s/^totals: //p' "$tmp/cg" | head -n 1
}

# --spaced 1: the same records with " = ", for the general parser
for spaced in 0 1; do
	for mode in 9989 7489; do
		"$bin" --mode "$mode" --iterations 1000000 --spaced "$spaced"
		if command -v valgrind >/dev/null 2>&1; then
			a=$(instructions "$mode" 1000 "$spaced")
			b=$(instructions "$mode" 11000 "$spaced")
			echo "mode=$mode spaced=$spaced instructions/record=$(( (b - a) / 30000 )) (callgrind)"
		fi
	done
done

# Discovery: instructions per operation, by the same two-run difference.
disc=${2:-$(dirname "$bin")/bench-discovery}
if [ -x "$disc" ] && command -v valgrind >/dev/null 2>&1; then
	per_op() { # mode rounds-multiplier(ops per round)
		valgrind --tool=callgrind --callgrind-out-file="$tmp/d1" \
			"$disc" "$1" 100 >/dev/null 2>&1
		valgrind --tool=callgrind --callgrind-out-file="$tmp/d2" \
			"$disc" "$1" 1100 >/dev/null 2>&1
		a=$(sed -n 's/^summary: //p; s/^totals: //p' "$tmp/d1" | head -n 1)
		b=$(sed -n 's/^summary: //p; s/^totals: //p' "$tmp/d2" | head -n 1)
		echo $(( (b - a) / (1000 * $2) ))
	}
	lib=$(per_op psl-lib 8)
	ours=$(per_op psl-dmarc 8)
	echo "psl: libpsl psl_registrable_domain=$lib dmarc_psl_org_domain=$ours instructions/name"
	echo "walk: 3 labels=$(per_op walk3 1) 12 labels=$(per_op walk12 1) 12 labels cached=$(per_op cached 1) instructions/discovery"
fi

# Evaluation: time and allocations, then instructions and allocations per
# message; hot (four domains in rotation) and cold (--cold 1: every
# message from a new domain with a record of its own, 10,000 of them
# between the two callgrind runs).
ev=${3:-$(dirname "$bin")/bench-eval}
if [ -x "$ev" ]; then
	for cold in 0 1; do
		for mode in 7489 9989; do
			"$ev" --mode "$mode" --cold "$cold" --messages 200000
			echo "mode=$mode cold=$cold $("$ev" --mode "$mode" \
				--cold "$cold" --footprint 1 --messages 1000)"
			command -v valgrind >/dev/null 2>&1 || continue
			valgrind --tool=callgrind --callgrind-out-file="$tmp/e1" \
				"$ev" --mode "$mode" --cold "$cold" --threads 1 \
				--messages 2000 >"$tmp/e1.out" 2>/dev/null
			valgrind --tool=callgrind --callgrind-out-file="$tmp/e2" \
				"$ev" --mode "$mode" --cold "$cold" --threads 1 \
				--messages 12000 >"$tmp/e2.out" 2>/dev/null
			a=$(sed -n 's/^summary: //p; s/^totals: //p' "$tmp/e1" | head -n 1)
			b=$(sed -n 's/^summary: //p; s/^totals: //p' "$tmp/e2" | head -n 1)
			x=$(sed -n 's/^allocations=//p' "$tmp/e1.out")
			y=$(sed -n 's/^allocations=//p' "$tmp/e2.out")
			echo "mode=$mode cold=$cold instructions/message=$(( (b - a) / 10000 ))" \
				"allocations/message=$(awk -v x="$x" -v y="$y" \
				'BEGIN { printf "%.2f", (y - x) / 10000 }') (callgrind)"
		done
	done
fi

# One more DKIM signature: (4 more on every message minus none) / 4.
if [ -x "$ev" ] && command -v valgrind >/dev/null 2>&1; then
	run_total() { # mode extra messages
		valgrind --tool=callgrind --callgrind-out-file="$tmp/k" "$ev" \
			--mode "$1" --extra-dkim "$2" --threads 1 --messages "$3" \
			>/dev/null 2>&1
		sed -n 's/^summary: //p; s/^totals: //p' "$tmp/k" | head -n 1
	}
	for mode in 7489 9989; do
		k0=$(( $(run_total "$mode" 0 12000) - $(run_total "$mode" 0 2000) ))
		k4=$(( $(run_total "$mode" 4 12000) - $(run_total "$mode" 4 2000) ))
		echo "mode=$mode instructions/extra DKIM signature=$(( (k4 - k0) / 40000 )) (callgrind)"
	done
fi

# Report output: MB/s of XML written (best and median of 5 runs), alone
# and through gzip -6, the gzip filter alone as the baseline; then
# instructions per XML byte, by the difference of a 1,000- and an
# 11,000-record run (20 elements a record).
sinks=${4:-$(dirname "$bin")/bench-report-sinks}
if [ -x "$sinks" ]; then
	for mode in xml gzip gzip-only; do
		"$sinks" --mode "$mode" --runs 5
	done
	if command -v valgrind >/dev/null 2>&1; then
		for mode in xml gzip; do
			for n in 1000 11000; do
				valgrind --tool=callgrind --callgrind-out-file="$tmp/s$n" \
					"$sinks" --mode "$mode" --records "$n" --runs 1 \
					> "$tmp/s$n.out" 2>/dev/null
			done
			a=$(sed -n 's/^summary: //p; s/^totals: //p' "$tmp/s1000" | head -n 1)
			b=$(sed -n 's/^summary: //p; s/^totals: //p' "$tmp/s11000" | head -n 1)
			ba=$(sed -n 's/.*xml_bytes=\([0-9]*\).*/\1/p' "$tmp/s1000.out")
			bb=$(sed -n 's/.*xml_bytes=\([0-9]*\).*/\1/p' "$tmp/s11000.out")
			echo "mode=$mode instructions/xml-byte=$(awk -v a="$a" -v b="$b" \
				-v x="$ba" -v y="$bb" 'BEGIN { printf "%.2f", (b - a) / (y - x) }') (callgrind)"
		done
	fi
fi

# Spool: rows appended and read back (wall clock), instructions per
# encoded row by the same two-run difference.
sp=${5:-$(dirname "$bin")/bench-spool}
if [ -x "$sp" ]; then
	"$sp" --rows 300000 --runs 5
	if command -v valgrind >/dev/null 2>&1; then
		valgrind --tool=callgrind --callgrind-out-file="$tmp/s1" \
			"$sp" --encode 10000 >/dev/null 2>&1
		valgrind --tool=callgrind --callgrind-out-file="$tmp/s2" \
			"$sp" --encode 110000 >/dev/null 2>&1
		a=$(sed -n 's/^summary: //p; s/^totals: //p' "$tmp/s1" | head -n 1)
		b=$(sed -n 's/^summary: //p; s/^totals: //p' "$tmp/s2" | head -n 1)
		echo "spool: instructions/encoded row=$(( (b - a) / 100000 )) (callgrind)"
	fi
fi
