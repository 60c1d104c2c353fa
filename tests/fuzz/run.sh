#!/usr/bin/env bash
# Runs every built libFuzzer target (build/fuzz/fuzz_*) for FUZZ_SECS seconds each, seeded from
# tests/fuzz/corpus/<target>/ when present (regression inputs included); one TAP line per
# target. A crash, or an input taking over 5 s (a stall on traffic), leaves its input in
# build/fuzz/ and fails the line.
set -u
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECS:-60}
bins=(build/fuzz/fuzz_*)
echo "1..${#bins[@]}"
n=0
for b in "${bins[@]}"; do
	n=$((n + 1))
	name=$(basename "$b")
	work=$(mktemp -d)
	seeds=()
	[ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
	if "$b" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=5 -print_final_stats=1 -artifact_prefix=build/fuzz/ \
		"$work" "${seeds[@]}" >"$work.log" 2>&1; then
		echo "ok $n - $name: ${secs}s, $(grep -o 'stat::number_of_executed_units: [0-9]*' \
			"$work.log" | grep -o '[0-9]*$' || echo '?') inputs, no crash"
	else
		echo "not ok $n - $name crashed; see build/fuzz/ for the input"
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$work.log" | head -20 | sed 's/^/# /'
	fi
	rm -rf "$work" "$work.log"
done
