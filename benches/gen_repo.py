#!/usr/bin/env python3
"""Writes a `git fast-import` stream for a synthetic history to stdout.

usage: gen_repo.py COMMITS FILES [CHANGES_PER_COMMIT] [SEED] [MAX_LINES]

The history looks like a busy source repository: FILES text files of source-like lines in a
few directory levels, and COMMITS commits that each edit CHANGES_PER_COMMIT files (replace,
insert and append lines), so most blobs are small edits of earlier ones and a packed
repository is full of deltas, as real ones are. Every 500th commit adds a fake token (a random
string in a token's shape, not a real credential) and a later commit removes it, so the audit
has something to find. Deterministic for a given SEED.
"""

import random
import sys

WORDS = (
    "def class return import from self value result config model train batch loss "
    "optimizer tensor device cuda epoch step layer weight bias input output data path "
    "file open read write close json yaml token request response client server retry "
    "timeout logger debug info warning error assert raise except finally while for in"
).split()
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def line(rng):
    indent = "    " * rng.randint(0, 3)
    n = rng.randint(3, 12)
    return indent + " ".join(rng.choice(WORDS) for _ in range(n)) + "\n"


def main():
    commits = int(sys.argv[1])
    nfiles = int(sys.argv[2])
    changes = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    max_lines = int(sys.argv[5]) if len(sys.argv) > 5 else 400
    out = sys.stdout.buffer
    paths = []
    for i in range(nfiles):
        depth = rng.randint(0, 3)
        dirs = "/".join(f"d{rng.randint(0, 9)}" for _ in range(depth))
        paths.append(f"{dirs}/f{i}.py" if dirs else f"f{i}.py")
    files = {}
    mark = 0
    when = 1_600_000_000

    def blob(text):
        nonlocal mark
        mark += 1
        data = text.encode()
        out.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)))
        out.write(data)
        out.write(b"\n")
        return mark

    def commit(message, edits):
        nonlocal mark, when
        marks = [(p, blob("".join(files[p]))) for p in edits]
        mark += 1
        when += 600
        msg = message.encode()
        out.write(b"commit refs/heads/main\nmark :%d\n" % mark)
        out.write(b"author Bench <bench@example.com> %d +0000\n" % when)
        out.write(b"committer Bench <bench@example.com> %d +0000\n" % when)
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        for p, m in marks:
            out.write(b"M 100644 :%d %s\n" % (m, p.encode()))
        out.write(b"\n")

    for p in paths:
        files[p] = [line(rng) for _ in range(rng.randint(min(20, max_lines), max_lines))]
    commit("initial import", paths)
    secret_file = None
    for c in range(1, commits):
        edits = rng.sample(paths, changes)
        for p in edits:
            lines = files[p]
            for _ in range(rng.randint(1, 4)):
                lines[rng.randrange(len(lines))] = line(rng)
            lines.insert(rng.randrange(len(lines) + 1), line(rng))
            if rng.random() < 0.3:
                lines.append(line(rng))
        if c % 500 == 0:
            secret_file = edits[0]
            fake = "hf_" + "".join(rng.choice(ALNUM) for _ in range(34))
            files[secret_file].append(f'HF_TOKEN = "{fake}"\n')
        elif secret_file is not None and c % 500 == 5:
            files[secret_file] = [l for l in files[secret_file] if "HF_TOKEN" not in l]
            if secret_file not in edits:
                edits.append(secret_file)
            secret_file = None
        commit(f"change {c}", edits)


if __name__ == "__main__":
    main()
