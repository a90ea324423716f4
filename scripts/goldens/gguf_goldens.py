#!/usr/bin/env python3
"""Goldens for tests/core/tst_gguf.cpp, made with the reference `gguf` package (gguf-py).

Writes into tests/data/gguf/ (about 40 KB in all):
  dequant_<TYPE>.bin  raw ggml blocks: random bytes with finite fp16 scales (plus edge cases)
  dequant_<TYPE>.f32  gguf.quants.dequantize of those blocks, little-endian float32
  tiny.gguf           a GGUFWriter file: metadata of every value type (nested arrays included),
                      general.alignment 64, and small tensors of all 11 dequantisable types
  tiny.manifest       what gguf.GGUFReader sees in tiny.gguf (one line per tensor)
  tiny.f32            the dequantised tensors of tiny.gguf, concatenated in file order

Run:  python3 -m venv /tmp/ggufvenv && /tmp/ggufvenv/bin/pip install gguf numpy
      /tmp/ggufvenv/bin/python scripts/goldens/gguf_goldens.py
Made with gguf 0.19.0 and numpy 2.4.6; the output is deterministic (fixed seed). The metadata
values below are repeated in tst_gguf.cpp: change both together.
"""
import importlib.metadata
import pathlib
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q
from gguf import GGUFValueType as V

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "gguf"
RNG = np.random.default_rng(20240611)

# Byte offsets of the fp16 scale fields inside one block, per type.
HALF_FIELDS = {
    Q.Q4_0: [0], Q.Q4_1: [0, 2], Q.Q5_0: [0], Q.Q5_1: [0, 2], Q.Q8_0: [0],
    Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208],
}
# Edge halves for the F16 golden: zeros, subnormals, normal limits, infinities, NaNs.
F16_EDGES = [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x3C00, 0x7BFF, 0xFBFF,
             0x7C00, 0xFC00, 0x7E00, 0x7C01, 0xFE00, 0x3555, 0x0200]


def random_half(n):
    """Finite fp16 scales of realistic size (1e-4 .. 1), either sign."""
    mag = 10.0 ** RNG.uniform(-4, 0, size=n)
    return (mag * RNG.choice([-1.0, 1.0], size=n)).astype(np.float16)


def random_blocks(qtype, n_blocks):
    block, size = gguf.GGML_QUANT_SIZES[qtype]
    raw = RNG.integers(0, 256, size=(n_blocks, size), dtype=np.uint8)
    for off in HALF_FIELDS[qtype]:
        halves = random_half(n_blocks)
        halves[0] = np.float16(6.1e-6)  # a subnormal scale in the first block
        if n_blocks > 1:
            halves[1] = np.float16(-0.0)
        raw[:, off:off + 2] = halves.view(np.uint8).reshape(n_blocks, 2)
    return raw


def plain_values(qtype, n):
    if qtype == Q.F32:
        v = RNG.standard_normal(n).astype(np.float32) * 10
        v[:4] = [0.0, -0.0, np.float32(1e-40), np.float32(3.0e38)]
        return v.view(np.uint8)
    bits = RNG.integers(0, 1 << 16, size=n, dtype=np.uint16)
    if qtype == Q.F16:
        bits[:len(F16_EDGES)] = F16_EDGES
    else:  # BF16: a NaN, infinities and a subnormal among random bit patterns
        bits[:4] = [0x7FC1, 0xFF80, 0x7F80, 0x0001]
    return bits.view(np.uint8)


def dequant_goldens():
    for qtype in (Q.F32, Q.F16, Q.BF16):
        raw = plain_values(qtype, 256)
        write_pair(qtype, raw)
    for qtype in (Q.Q8_0, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1):
        write_pair(qtype, random_blocks(qtype, 8))
    for qtype in (Q.Q4_K, Q.Q5_K, Q.Q6_K):
        write_pair(qtype, random_blocks(qtype, 4))


def write_pair(qtype, raw):
    raw = np.ascontiguousarray(raw).reshape(-1)
    block, size = gguf.GGML_QUANT_SIZES[qtype]
    expected = gguf.quants.dequantize(raw.reshape(-1, size), qtype).astype(np.float32).reshape(-1)
    assert expected.size == raw.size // size * block
    (OUT / f"dequant_{qtype.name}.bin").write_bytes(raw.tobytes())
    (OUT / f"dequant_{qtype.name}.f32").write_bytes(expected.astype("<f4").tobytes())


def add_metadata(w):
    w.add_custom_alignment(64)
    w.add_uint8("test.u8", 200)
    w.add_int8("test.i8", -100)
    w.add_uint16("test.u16", 60000)
    w.add_int16("test.i16", -30000)
    w.add_uint32("test.u32", 4000000000)
    w.add_int32("test.i32", -2000000000)
    w.add_float32("test.f32", 0.1)
    w.add_uint64("test.u64", 123456789012)
    w.add_uint64("test.u64.huge", 2**63 + 5)
    w.add_int64("test.i64", -9000000000000000000)
    w.add_float64("test.f64", 2.718281828459045)
    w.add_bool("test.bool", True)
    w.add_bool("test.bool.false", False)
    w.add_string("test.string", "h\u00e9llo, GGUF \u2713")
    w.add_key_value("test.string.empty", "", V.STRING)  # add_string() drops empty strings
    w.add_array("test.arr.i32", [1, -2, 3])
    w.add_array("test.arr.f32", [0.5, -1.25, 0.001])
    w.add_array("test.arr.str", ["a", "", "\u00fcn\u00ef"])
    w.add_array("test.arr.bool", [True, False, True])
    w.add_array("test.arr.nested", [[1, 2], [3, 4, 5]])
    w.add_array("test.arr.nested.str", [["x"], ["y", "z"]])
    typed = {"u8": (V.UINT8, [0, 255]), "i8": (V.INT8, [-128, 127]), "u16": (V.UINT16, [65535]),
             "i16": (V.INT16, [-32768]), "u32": (V.UINT32, [4294967295]), "i64": (V.INT64, [-(2**63), 7]),
             "u64": (V.UINT64, [1, 2**64 - 1]), "f64": (V.FLOAT64, [1e300, -2.5])}
    for name, (sub, values) in typed.items():
        w.add_key_value(f"test.arr.{name}", values, V.ARRAY, sub_type=sub)


def add_tensors(w):
    w.add_tensor("f32.matrix", RNG.standard_normal((4, 3)).astype(np.float32))
    w.add_tensor("f32.3d", RNG.standard_normal((2, 3, 4)).astype(np.float32))
    w.add_tensor("f32.4d", RNG.standard_normal((1, 2, 1, 3)).astype(np.float32))
    w.add_tensor("f32.vector", np.arange(5, dtype=np.float32) - 2)
    w.add_tensor("f16.matrix", RNG.standard_normal((2, 8)).astype(np.float16))
    bf16 = plain_values(Q.BF16, 16)
    w.add_tensor("bf16.row", bf16.reshape(1, 32), raw_dtype=Q.BF16)
    for qtype in (Q.Q8_0, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1):
        values = RNG.standard_normal((2, 64)).astype(np.float32)
        w.add_tensor(f"{qtype.name.lower()}.w", gguf.quants.quantize(values, qtype), raw_dtype=qtype)
    for qtype in (Q.Q4_K, Q.Q5_K, Q.Q6_K):
        blocks = random_blocks(qtype, 2)
        w.add_tensor(f"{qtype.name.lower()}.w", blocks.reshape(2, -1), raw_dtype=qtype)


def tiny_gguf():
    path = OUT / "tiny.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    add_metadata(w)
    add_tensors(w)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    r = gguf.GGUFReader(str(path))
    lines = ["# name type n_dims dims(gguf order)... offset(in data section) n_bytes first count",
             f"file {len(r.tensors)} {r.alignment} {r.data_offset} {path.stat().st_size}"]
    expected, first = [], 0
    for t in r.tensors:
        values = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32).reshape(-1)
        dims = " ".join(str(int(d)) for d in t.shape)
        lines.append(f"tensor {t.name} {t.tensor_type.name} {len(t.shape)} {dims} "
                     f"{t.data_offset - r.data_offset} {t.n_bytes} {first} {values.size}")
        expected.append(values)
        first += values.size
    (OUT / "tiny.manifest").write_text("\n".join(lines) + "\n")
    (OUT / "tiny.f32").write_bytes(np.concatenate(expected).astype("<f4").tobytes())


def main():
    if sys.byteorder != "little":
        sys.exit("run on a little-endian machine")
    OUT.mkdir(parents=True, exist_ok=True)
    dequant_goldens()
    tiny_gguf()
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"gguf {importlib.metadata.version('gguf')}: wrote {OUT} ({total} bytes)")


if __name__ == "__main__":
    main()
