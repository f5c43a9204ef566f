#!/usr/bin/env bash
# Interleaved A/B of two builds of one criterion bench, for figures that mean something on a
# shared, noisy machine: each round runs A then B back to back, so load drifts hit both.
#
#   benches/ab.sh OLD_BENCH_BINARY NEW_BENCH_BINARY 'find/real-rust' [ROUNDS]
#
# Build each side with `cargo bench --bench engine --no-run` (it prints the executable's path)
# and copy the binary away before building the other side.
set -euo pipefail
old=$1 new=$2 filter=$3 rounds=${4:-3}
thrpt() {
  "$1" --bench --warm-up-time 1 --measurement-time 4 --noplot "$filter" 2>/dev/null |
    awk '/thrpt:/ { gsub(/\[|\]/, ""); print $4, $5; exit }'
}
printf '%-6s %-14s %-14s %s\n' round A B B/A
for i in $(seq 1 "$rounds"); do
  a=$(thrpt "$old"); b=$(thrpt "$new")
  printf '%-6s %-14s %-14s %s\n' "$i" "$a" "$b" \
    "$(python3 -c "import sys; u={'KiB/s':1/1024,'MiB/s':1,'GiB/s':1024}; a,au,b,bu=sys.argv[1:]; print(f'{float(b)*u[bu]/(float(a)*u[au]):.2f}')" $a $b)"
done
