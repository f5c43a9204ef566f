#!/usr/bin/env bash
# Times `keyhound scan` over a generated tree of plain text files (no notebooks, archives
# or model files), to show that decoders cost ordinary text nothing. Compare two builds:
#
#   benches/text_tree.sh path/to/keyhound-before path/to/keyhound-after [runs]
#
# The tree (800 files, ~98 MB of code-like words, some of them keywords such as `token`
# and `password`) is generated once under ${TMPDIR:-/tmp}/keyhound-text-tree with a fixed
# seed. Runs alternate between the binaries so background load hits both alike; the
# script prints every run's wall and CPU time and each binary's medians.
set -euo pipefail
tree="${TMPDIR:-/tmp}/keyhound-text-tree"
runs="${3:-7}"
if [ ! -d "$tree" ]; then
  python3 - "$tree" <<'PY'
import os, random, sys
root = sys.argv[1]
r = random.Random(1)
words = ("def class return import self token password value config data model train loss "
         "epoch batch the of and to in for if else while print string api key secret").split()
exts = [".py", ".rs", ".md", ".json", ".txt", ".toml", ".yaml", ""]
for d in range(20):
    os.makedirs(os.path.join(root, f"d{d}"), exist_ok=True)
    for f in range(40):
        lines, size, target = [], 0, r.randint(50_000, 200_000)
        while size < target:
            line = " ".join(r.choice(words) for _ in range(r.randint(3, 14)))
            lines.append(line)
            size += len(line) + 1
        with open(os.path.join(root, f"d{d}", f"f{f}{r.choice(exts)}"), "w") as fh:
            fh.write("\n".join(lines) + "\n")
PY
fi
# Wall time depends on whatever else the machine runs; CPU time (user + system) much less,
# so both are reported.
declare -A wall cpu
for ((i = 0; i < runs; i++)); do
  for bin in "$1" "$2"; do
    read -r w u s < <( { /usr/bin/time -f "%e %U %S" "$bin" scan -q "$tree" > /dev/null; } 2>&1 | tail -1 )
    c=$(echo "$u + $s" | bc)
    wall[$bin]+="$w "
    cpu[$bin]+="$c "
    echo "$bin run $i: wall ${w}s cpu ${c}s"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for bin in "$1" "$2"; do
  echo "median $bin: wall $(echo "${wall[$bin]}" | median)s cpu $(echo "${cpu[$bin]}" | median)s"
done
