#!/usr/bin/env python3
"""Convert GloVe text vectors (word v1 ... vD per line) to the workbench's model folder:
vocab.txt (row i = line i) and a safetensors file with one F32 tensor 'embeddings' [N, D].
Standard library only, so it runs on a bare Debian python3."""
import array
import json
import os
import struct
import sys


def main(src, limit, out_dir):
    words, values, dim = [], array.array("f"), None
    with open(src, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ")
            if dim is None:
                dim = len(parts) - 1
            if len(parts) != dim + 1:
                sys.exit(f"{src}: line {len(words) + 1} has {len(parts) - 1} values, expected {dim}")
            words.append(parts[0])
            values.extend(float(x) for x in parts[1:])
            if len(words) == limit:
                break
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(words) + "\n")
    if sys.byteorder != "little":
        values.byteswap()
    data = values.tobytes()
    header = json.dumps({"embeddings": {"dtype": "F32", "shape": [len(words), dim],
                                        "data_offsets": [0, len(data)]}}).encode()
    header += b" " * (-(len(header) + 8) % 8)
    path = os.path.join(out_dir, "glove.safetensors")
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + data)
    os.replace(path + ".tmp", path)
    print(f"{path}: {len(words)} x {dim}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: glove_to_safetensors.py glove.6B.100d.txt LIMIT OUT_DIR")
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
