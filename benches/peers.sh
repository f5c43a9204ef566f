#!/usr/bin/env bash
# keyhound against its peers and git's own floor, in one run on this machine (issue 14's
# ratio table). Ratios are what count: the development machine is shared, absolute times
# are not comparable between runs.
#
#   benches/peers.sh [--install] [REPO...]
#
# REPO...    full clones to measure (default: /work/corpora/diffusers /work/corpora/rails, or
#            $PEER_REPOS); they are only read.
# --install  install Kingfisher into target/peers-venv (`pip install kingfisher-bin`) when it
#            is not on PATH.
#
# Peers: Nosey Parker (`noseyparker` on PATH, or the binary $NOSEYPARKER names; build it from
# praetorian-inc/noseyparker's source) and Kingfisher (`kingfisher` on PATH, $KINGFISHER, or
# --install), run with `--no-validate --no-update-check`. A peer that is not found is left
# out; keyhound is always compared with git's floor, `git cat-file --batch-all-objects
# --batch` inflating every object on one core.
#
# Jobs, each run ONCE (a rails history is heavy) and interleaved tool by tool, each timed by
# `/usr/bin/time -f`: per repository, the history audit (keyhound uncached, git's floor, each
# peer) and the tree scan with `.git/` excluded (keyhound, each peer). The whole measurement
# holds the build lock ($PEERS_LOCK, default /tmp/cargo.lock) so no build on this machine
# runs meanwhile; keyhound's release build is made inside it first.
#
# Needs bash, coreutils, git, python3 and GNU time (/usr/bin/time).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
lock="${PEERS_LOCK:-/tmp/cargo.lock}"

install=0
repos=()
for arg in "$@"; do
    case "$arg" in
        --install) install=1 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        -*) echo "peers.sh: unknown option $arg" >&2; exit 2 ;;
        *) repos+=("$arg") ;;
    esac
done
if [ ${#repos[@]} -eq 0 ]; then
    # shellcheck disable=SC2206
    repos=(${PEER_REPOS:-/work/corpora/diffusers /work/corpora/rails})
fi

# Hold the build lock for the whole measurement (re-run under flock once).
if [ -z "${PEERS_LOCKED:-}" ] && command -v flock > /dev/null; then
    echo "peers.sh: waiting for $lock (no build runs while measuring) ..." >&2
    exec env PEERS_LOCKED=1 flock "$lock" "$0" "$@"
fi

[ -x /usr/bin/time ] && /usr/bin/time -f %M true > /dev/null 2>&1 || {
    echo "peers.sh: needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2
    exit 2
}
for repo in "${repos[@]}"; do
    [ -d "$repo/.git" ] || [ -f "$repo/HEAD" ] || { echo "peers.sh: $repo: not a git clone" >&2; exit 2; }
done

echo "peers.sh: building keyhound (release) ..." >&2
(cd "$root" && cargo build --release --quiet)
kh="$root/target/release/keyhound"

np="${NOSEYPARKER:-$(command -v noseyparker || true)}"
kf="${KINGFISHER:-$(command -v kingfisher || true)}"
if [ -z "$kf" ] && [ "$install" = 1 ]; then
    venv="$root/target/peers-venv"
    echo "peers.sh: installing kingfisher-bin into $venv ..." >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet kingfisher-bin
    kf="$venv/bin/kingfisher"
fi
[ -n "$np" ] && [ -x "$np" ] || { np=""; echo "peers.sh: Nosey Parker not found (PATH or \$NOSEYPARKER): left out" >&2; }
[ -n "$kf" ] && [ -x "$kf" ] || { kf=""; echo "peers.sh: Kingfisher not found (PATH, \$KINGFISHER or --install): left out" >&2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/keyhound-peers.XXXXXX")"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: > "$results"
# Tree scans leave `.git/` out, for every tool alike.
printf '.git/\n' > "$work/ignore-git"

# job REPO_NAME JOB TOOL CMD...: runs CMD once, timed; appends one line to the results.
job() {
    local name="$1" what="$2" tool="$3"
    shift 3
    echo "peers.sh: $name $what: $tool ..." >&2
    local out="$work/time.txt" status=0
    /usr/bin/time -f '%e %U %S %M' -o "$out" "$@" > /dev/null 2> "$work/stderr.txt" || status=$?
    # Scanners exit non-zero when they find something; only a missing timing is a failure.
    if [ ! -s "$out" ] || ! tail -1 "$out" | grep -Eq '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$'; then
        echo "peers.sh: $tool failed on $name $what (exit $status):" >&2
        tail -5 "$work/stderr.txt" >&2
        return 0
    fi
    printf '%s\t%s\t%s\t%s\n' "$name" "$what" "$tool" "$(tail -1 "$out")" >> "$results"
}

for repo in "${repos[@]}"; do
    name="$(basename "$repo")"
    # Whichever tool ran first would otherwise also pay for reading a cold repository from
    # disk: read every file once, so each job starts from the page cache.
    echo "peers.sh: $name: reading it into the page cache ..." >&2
    find "$repo" -type f -print0 | xargs -0 cat > /dev/null
    # History: keyhound uncached (the cache would make a second run nearly free), git's
    # one-core floor, each peer.
    job "$name" history keyhound "$kh" history "$repo" --no-cache -q --format json
    job "$name" history "git cat-file" git -C "$repo" cat-file --batch-all-objects --batch
    if [ -n "$np" ]; then
        rm -rf "$work/np.ds"
        job "$name" history noseyparker "$np" scan --datastore "$work/np.ds" --progress never "$repo"
    fi
    # Nosey Parker scans every object of the database, reachable or not: keyhound's
    # like-for-like job is --all-objects, set beside the same Nosey Parker run.
    job "$name" "history --all-objects" keyhound "$kh" history "$repo" --no-cache --all-objects -q --format json
    grep -P "^$name\thistory\tnoseyparker\t" "$results" | sed 's/\thistory\t/\thistory --all-objects\t/' >> "$results" || true
    if [ -n "$kf" ]; then
        job "$name" history kingfisher "$kf" scan "$repo" --no-validate --no-update-check --format json
    fi
    # Tree: the working files, `.git/` excluded.
    job "$name" tree keyhound "$kh" scan "$repo" -q --format json
    if [ -n "$np" ]; then
        rm -rf "$work/np.ds"
        job "$name" tree noseyparker "$np" scan --datastore "$work/np.ds" --progress never \
            --git-history none --ignore "$work/ignore-git" "$repo"
    fi
    if [ -n "$kf" ]; then
        job "$name" tree kingfisher "$kf" scan "$repo" --git-history none --exclude .git --no-validate \
            --no-update-check --format json
    fi
done

python3 - "$results" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = {}
for name, what, tool, timing in rows:
    wall, user, sys_, rss = timing.split()
    data.setdefault((name, what), []).append(
        (tool, float(wall), float(user) + float(sys_), int(rss) / 1024))
print(f"{'job':<22} {'tool':<13} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12} "
      f"{'keyhound/tool wall':>19} {'keyhound/tool CPU':>18}")
for (name, what), tools in data.items():
    kh = next((t for t in tools if t[0] == "keyhound"), None)
    for tool, wall, cpu, rss in tools:
        ratio = lambda a, b: f"{a / b:.2f}x" if kh and b > 0 else "-"
        rw = ratio(kh[1], wall) if kh and tool != "keyhound" else ""
        rc = ratio(kh[2], cpu) if kh and tool != "keyhound" else ""
        print(f"{name + ' ' + what:<22} {tool:<13} {wall:>8.2f} {cpu:>8.2f} {rss:>12.0f} "
              f"{rw:>19} {rc:>18}")
print()
print("Goals (issue 14): history wall <= 0.25x Nosey Parker; history CPU <= 0.4x git cat-file;")
print("tree wall <= 0.15x Nosey Parker; peak RSS <= 150 MB on rails.")
EOF
