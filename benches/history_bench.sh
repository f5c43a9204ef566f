#!/usr/bin/env bash
# Benchmarks `keyhound history` and `keyhound staged` on generated repositories.
#
#   benches/history_bench.sh [WORKDIR]
#
# Generates (once, cached in WORKDIR, default target/bench-repos):
#   deep: COMMITS commits (default 5000) over FILES files (default 3000), each commit editing
#         a few files, packed with deltas by `git fast-import`;
#   wide: one commit of WIDE_FILES files (default 50000), with a one-line change staged.
# Then reports, for `keyhound history` on deep: wall time, CPU time, unique blobs/s, MB/s and
# peak RSS (when /usr/bin/time is present), next to `git cat-file --batch-all-objects --batch`
# inflating every object on one core; and the wall time of `keyhound staged` on wide.
# Figures are the best of RUNS runs (default 3). Needs git, python3 and a release build.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${1:-$root/target/bench-repos}"
commits="${COMMITS:-5000}"
files="${FILES:-3000}"
wide_files="${WIDE_FILES:-50000}"
runs="${RUNS:-3}"
kh="$root/target/release/keyhound"

[ -x "$kh" ] || (cd "$root" && cargo build --release --quiet)
mkdir -p "$work"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

deep="$work/deep-$commits-$files"
if [ ! -d "$deep/.git" ]; then
    echo "generating $deep ..." >&2
    rm -rf "$deep" && mkdir -p "$deep"
    git -C "$deep" init -q
    python3 "$here/gen_repo.py" "$commits" "$files" 4 | git -C "$deep" fast-import --quiet
fi

wide="$work/wide-$wide_files"
if [ ! -d "$wide/.git" ]; then
    echo "generating $wide ..." >&2
    rm -rf "$wide" && mkdir -p "$wide"
    git -C "$wide" init -q
    python3 "$here/gen_repo.py" 2 "$wide_files" 1 1 40 | git -C "$wide" fast-import --quiet
    git -C "$wide" read-tree main
    git -C "$wide" symbolic-ref HEAD refs/heads/main
fi
# A small staged change: one new line in one existing file, one new small file.
first="$(git -C "$wide" ls-tree -r --name-only main | awk 'NR==1')"
changed="$( (git -C "$wide" cat-file blob "main:$first"; echo 'retries = 3') | git -C "$wide" hash-object -w --stdin)"
git -C "$wide" update-index --cacheinfo "100644,$changed,$first"
added="$(echo 'print("hello")' | git -C "$wide" hash-object -w --stdin)"
git -C "$wide" update-index --add --cacheinfo "100644,$added,bench_new_file.py"

have_time=0
[ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null && have_time=1

# best_of CMD...: prints "wall user sys maxrss_kb" of the fastest run.
best_of() {
    local best="" line
    for _ in $(seq "$runs"); do
        if [ "$have_time" = 1 ]; then
            /usr/bin/time -o "$work/time.out" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
            line="$(tail -1 "$work/time.out")"
        else
            local t0 t1
            t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
            line="$(echo "$t1 - $t0" | bc) ? ? ?"
        fi
        if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then
            best="$line"
        fi
    done
    echo "$best"
}

summary="$("$kh" history -f json "$deep" 2>&1 >/dev/null | tail -1 || true)"
blobs="$(echo "$summary" | sed -n 's/.* \([0-9]*\) unique blobs.*/\1/p')"
mb="$(echo "$summary" | sed -n 's/.*(\([0-9.]*\) MB).*/\1/p')"
pack_mb="$(du -sm "$deep/.git/objects/pack" | cut -f1)"

read -r g_wall g_user g_sys g_rss <<<"$(best_of git -C "$deep" cat-file --batch-all-objects --batch)"
read -r k_wall k_user k_sys k_rss <<<"$(best_of "$kh" history -q -f json "$deep")"
read -r s_wall s_user s_sys s_rss <<<"$(best_of "$kh" staged -q -f json "$wide")"

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "deep repo: $commits commits, $blobs unique blobs, $mb MB of blobs, pack $pack_mb MB"
echo "$summary"
printf 'git cat-file --batch-all-objects --batch: %6.2f s wall, %6.2f s CPU, peak RSS %s KB\n' \
    "$g_wall" "$(echo "$g_user + $g_sys" | bc)" "$g_rss"
printf 'keyhound history:                         %6.2f s wall, %6.2f s CPU, peak RSS %s KB\n' \
    "$k_wall" "$(echo "$k_user + $k_sys" | bc)" "$k_rss"
awk -v b="$blobs" -v m="$mb" -v w="$k_wall" \
    'BEGIN { printf "keyhound history throughput: %.0f blobs/s, %.1f MB/s (wall)\n", b / w, m / w }'
printf 'keyhound staged (%s files in the index, 2 staged changes): %.3f s wall, %.3f s CPU, peak RSS %s KB\n' \
    "$wide_files" "$s_wall" "$(echo "$s_user + $s_sys" | bc)" "$s_rss"
