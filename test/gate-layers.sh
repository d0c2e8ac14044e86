#!/bin/sh
# Layering gate: no two source files of the library call each other,
# directly or round a longer loop, and the core (lib/) never calls the
# report wing (lib/report/, DESIGN.md: the wing is above the core).
# Calls are read from the objects: file A depends on file B when A uses
# a symbol B defines.
set -eu
objs=$(ls "$top_builddir"/lib/.libs/libdmarc_la-*.o \
	"$top_builddir"/lib/report/.libs/libdmarc_la-*.o 2>/dev/null || true)
[ -n "$objs" ] || { echo "no library objects under lib/.libs"; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for o in $objs; do
	# files of the wing are named report/NAME
	f=$(basename "$o" .o | sed 's/^libdmarc_la-//')
	case $o in */lib/report/.libs/*) f="report/$f" ;; esac
	${NM:-nm} "$o" | awk -v f="$f" '
		$1 == "U" { print "U", f, $2 }
		NF == 3 && $2 ~ /^[TDBR]$/ { print "D", f, $3 }'
done > "$tmp"
# edges "A B", then a depth-first search for a cycle (awk, no Python)
awk '
$1 == "D" { def[$3] = $2 }
$1 == "U" { use[NR] = $2 " " $3 }
END {
	for (i in use) {
		split(use[i], p, " ")
		if ((p[2] in def) && def[p[2]] != p[1])
			edge[p[1] " " def[p[2]]] = 1
	}
	for (e in edge) {
		split(e, p, " ")
		if (p[1] !~ /^report\// && p[2] ~ /^report\//) {
			print "the core calls the report wing: " p[1] " -> " p[2]
			exit 1
		}
		out[p[1]] = out[p[1]] " " p[2]
		node[p[1]] = node[p[2]] = 1
	}
	for (n in node)
		if (!(n in state) && visit(n, n))
			exit 1 # one loop at a time: the rest may be its echo
	exit 0
}
function visit(n, path,    k, m, parts) {
	state[n] = 1
	split(out[n], parts, " ")
	for (k in parts) {
		m = parts[k]
		if (m == "")
			continue
		if (m in state) {
			if (state[m] == 1) { # on the current path
				print "call loop: " path " -> " m
				return 1
			}
			continue
		}
		if (visit(m, path " -> " m))
			return 1
	}
	state[n] = 2
	return 0
}' "$tmp" || { echo "the library's layers are broken (above)"; exit 1; }
echo "layers: $(echo "$objs" | wc -w) objects, no call loops"
