#!/usr/bin/env bash
# Runs test programs (TAP producers), echoes their output, and closes with the one line CI
# reads: "N passed, N failed[, N skipped]". A program that exits non-zero without reporting a
# failing test counts as one failure, so a crash is never silent.
set -u
pass=0 fail=0 skip=0
for t in "$@"; do
	echo "# --- $t"
	out=$(mktemp)
	"$t" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(grep -E '^ok [0-9]+' "$out" | grep -vc '# SKIP')
	s=$(grep -E '^ok [0-9]+' "$out" | grep -c '# SKIP')
	f=$(grep -cE '^not ok [0-9]+' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $t exited with status $rc"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	rm -f "$out"
done
echo
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
