#!/usr/bin/env python3
"""Generates the decoder fixtures in this directory (standard library only).

Every secret is a fake Hugging Face token (`hf_` + 34 random letters and digits, made up
for these fixtures). `tests/decoders.rs` states where each must be found, and which must
not be (image outputs, tensor data, members beyond --max-depth). The output is
deterministic (fixed timestamps), so re-running this changes nothing:

    python3 corpus/artifacts/generate.py
"""

import gzip
import io
import json
import os
import pickle
import struct
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

T = {
    1: "hf_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL",
    2: "hf_8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKd",
    3: "hf_NnFRIBXuDL7DxtpYlSXpfKtHF4vUCsMehG",
    4: "hf_AkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES",
    5: "hf_QedUStPKR0CsTy4Qwb8DwkNhFdnXsiVpzz",
    6: "hf_63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1",
    7: "hf_LlqsajAIxNKu8iS2G8NPRVdD53X83RZJzz",
    8: "hf_zzgEOzdmenCkhvMdgaKjIg8xNbe3nNyjOq",
    9: "hf_9wMxEhh2FDEEtfjgVvVqE1SkHbn88HxjSI",
    10: "hf_6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp0",
    11: "hf_zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmv",
    12: "hf_nEN5N1aE6PwZPf1Qh6yYTWmE4lBYOvfZ8U",
    13: "hf_zDzV8fUkkibjL5DZPjN0MEQ7wjJJibaZUP",
    14: "hf_gHV7iB3m03nbqnsGpWLuqIA1id6Vw5DQL0",
    15: "hf_5HA064GiIjHGb3CXlMaXZjljENUhJduRHH",
    16: "hf_JEYXg4JdpmrcXgGCJbW56eCuNGMGmSrCGI",
    17: "hf_ZEG8pSH4487q7J58m1CiAhzCueQpBenQtY",
    18: "hf_h5Xj8TPQxjq4i9DoV8gz4FkQ1okTBGzvAm",
    19: "hf_wufUxbvJDCTbyvHNsG9eh6Yo4gfqrc5Xlr",
    20: "hf_Wi0B26R08qzjI6GKFSufrdZSlB5er8bOfZ",
    21: "hf_qfM2oeq3hDavJA76rNicHTp8hkqdlm7tOt",
    22: "hf_HWnsCGRlrwZbqcabUGJmGEp7CgQ0PBQFI1",
    23: "hf_4zGtSnovm14TUOizwd1iaeOV4qBkdfQ1y3",
    24: "hf_GQsMpSscDlkrCaqx9vJupc94tnwlavyfEr",
    25: "hf_GPmpGXafq0fjzLczbttOofL9H2WjQ5TY4M",
    26: "hf_yWuUFjsUNPjc01T5GOBUSZGi6HWGK10Zb0",
}

DATE = (2024, 1, 1, 0, 0, 0)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def zip_bytes(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = method
            z.writestr(info, data)
    return buf.getvalue()


def gz_bytes(data):
    return gzip.compress(data, mtime=0)


def tar_bytes(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def notebook():
    png = "iVBORw0KGgo" + T[4] + "AAAA"  # a "token" inside an image must never be reported
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Demo\n"]},
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {},
                "source": ["import os\n", 'token = "' + T[1] + '"\n', "print(token)"],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["logged in as " + T[3] + "\n"]},
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"image/png": png, "text/plain": ["<Figure size 640x480>"]},
                    },
                ],
            },
            {
                "cell_type": "code",
                "execution_count": 2,
                "metadata": {},
                # A token split across two strings of the source array.
                "source": ['login("' + T[2][:10], T[2][10:] + '")\n'],
                "outputs": [
                    {
                        "output_type": "error",
                        "ename": "HTTPError",
                        "evalue": "401: bad token " + T[5],
                        "traceback": ["Traceback (most recent call last)", "HTTPError: 401"],
                    },
                    {
                        "output_type": "execute_result",
                        "execution_count": 2,
                        "metadata": {},
                        "data": {"application/json": {"auth": {"token": T[6]}}},
                    },
                ],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(nb, indent=1)
    # Hide T[1] behind a JSON escape: its first "c" becomes \u0063.
    i = T[1].index("c")
    text = text.replace(T[1], T[1][:i] + "\\u0063" + T[1][i + 1 :])
    write("notebook.ipynb", text.encode() + b"\n")
    write("not-json.ipynb", b'{"cells": [\n  "token = ' + T[26].encode() + b'"\n')


def safetensors():
    header = {
        "__metadata__": {"format": "pt", "hf_token": T[7]},
        "weight": {"dtype": "U8", "shape": [37], "data_offsets": [0, 37]},
    }
    h = json.dumps(header).encode()
    # The tensor data holds a "token" that must never be read.
    write("model.safetensors", struct.pack("<Q", len(h)) + h + T[8].encode() + b"\n")
    write("bad-header.safetensors", struct.pack("<Q", 10_000) + b'{"__metadata__": {}}')


def checkpoints():
    state = {
        "epoch": 3,
        "hyper_parameters": {"lr": 0.001, "hub_token": T[9], "layers": [64, 64]},
    }
    write(
        "checkpoint.pt",
        zip_bytes(
            [
                ("checkpoint/data.pkl", pickle.dumps(state, protocol=2)),
                ("checkpoint/version", b"3\n"),
                ("checkpoint/data/0", b"\x00\x01\x02" + T[10].encode()),
            ],
            zipfile.ZIP_STORED,
        ),
    )
    write("config.pkl", pickle.dumps({"name": "run-1", "hf_token": T[11]}, protocol=4))
    write("legacy.pkl", pickle.dumps(["notes", "token " + T[12]], protocol=0))
    good = pickle.dumps({"hf_token": T[25]}, protocol=4)
    write("corrupt.pkl", good[:-2] + b"\xff\xfe garbage")


def gguf():
    def s(x):
        b = x.encode()
        return struct.pack("<Q", len(b)) + b

    kvs = [
        (s("general.name") + struct.pack("<I", 8) + s("tiny")),
        (s("general.alignment") + struct.pack("<I", 4) + struct.pack("<I", 32)),
        (s("training.hub_token") + struct.pack("<I", 8) + s(T[13])),
        # The vocabulary is skipped, so a token-shaped vocabulary entry is not reported.
        (
            s("tokenizer.ggml.tokens")
            + struct.pack("<I", 9)
            + struct.pack("<I", 8)
            + struct.pack("<Q", 2)
            + s("<s>")
            + s(T[14])
        ),
    ]
    head = b"GGUF" + struct.pack("<I", 3) + struct.pack("<Q", 0) + struct.pack("<Q", len(kvs))
    write("model.gguf", head + b"".join(kvs))


def archives():
    inner = zip_bytes([("deep/secret.txt", b"first line\nkey: " + T[16].encode() + b"\n")])
    write(
        "bundle.zip",
        zip_bytes(
            [
                ("README.md", b"# Bundle\n\nHF_TOKEN=" + T[15].encode() + b"\n"),
                ("nested/inner.zip", inner),
                ("bin/blob.dat", b"\x00\x00binary"),
            ]
        ),
    )
    write(
        "bundle.tar.gz",
        gz_bytes(
            tar_bytes(
                [
                    ("pkg/config.env", b"# config\nHF_TOKEN=" + T[17].encode() + b"\n"),
                    ("pkg/creds.txt.gz", gz_bytes(T[18].encode() + b"\n")),
                ]
            )
        ),
    )
    write("plain.tar", tar_bytes([("a.txt", T[19].encode() + b"\n")]))
    write("notes.txt.gz", gz_bytes(b"notes\ntoken " + T[20].encode() + b"\n"))
    # A compression bomb (12 MiB of newlines, past the 10 MiB member cap) between two
    # members that must both be scanned.
    bomb = b"hf " + T[22].encode() + b"\n" + b"\n" * (12 * 1024 * 1024)
    write("bomb.zip", zip_bytes([("big.txt", bomb), ("after.txt", T[21].encode() + b"\n")]))
    # Three layers: deep.zip!l2.zip!l3.zip!secret.txt is beyond the default --max-depth 2.
    l3 = zip_bytes([("secret.txt", T[23].encode() + b"\n")])
    l2 = zip_bytes([("l3.zip", l3)])
    write("deep.zip", zip_bytes([("l2.zip", l2)]))
    # A download cut off in its second member: no central directory.
    whole = zip_bytes(
        [("first.txt", b"token " + T[24].encode() + b"\n"), ("second.txt", b"x" * 4000)],
        zipfile.ZIP_STORED,
    )
    write("truncated.zip", whole[: whole.index(b"second.txt") + 100])


if __name__ == "__main__":
    notebook()
    safetensors()
    checkpoints()
    gguf()
    archives()
