#!/usr/bin/env python3
"""Converts a BERT encoder exported to ONNX and dynamically quantised to int8 (onnxruntime's
quantize_dynamic, as Xenova's transformers.js models are: uint8 embedding tables with one scale,
int8 MatMul weights with a scale and zero point per output column, float32 biases and LayerNorms)
into a Hugging Face folder: model.safetensors (float32, the dequantised weights under BertModel's
names) and config.json (from the tensor shapes). Standard library only: the ONNX protobuf is read
by hand, so the fetch needs no onnx / numpy install.

Dequantisation is ONNX's DequantizeLinear: w = (q - zero_point) * scale, in float32. The result
is the int8 model's weights exactly, i.e. the original float weights up to one quantisation step.

Usage: onnx_int8_bert.py MODEL.onnx OUT_DIR [--layer-norm-eps 1e-12]"""
import argparse, json, os, re, struct, sys

FLOAT, UINT8, INT8 = 1, 2, 3


def varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def fields(b, start, end):
    """(field number, wire type, value) of one protobuf message; value is (start, end) for bytes."""
    i = start
    while i < end:
        key, i = varint(b, i)
        f, t = key >> 3, key & 7
        if t == 0:
            v, i = varint(b, i)
        elif t == 2:
            n, i = varint(b, i)
            v, i = (i, i + n), i + n
        elif t == 1:
            v, i = b[i:i + 8], i + 8
        elif t == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {t} at byte {i}")
        if i > end:
            raise ValueError("truncated protobuf message")
        yield f, t, v


def text(b, span):
    return b[span[0]:span[1]].decode("utf-8", "replace")


def read_graph(path):
    """The graph's initializers (name -> (dtype, dims, raw bytes)) and nodes (op, name, inputs)."""
    b = open(path, "rb").read()
    graph = next((v for f, t, v in fields(b, 0, len(b)) if f == 7 and t == 2), None)
    if graph is None:
        sys.exit(f"{path}: no graph (not an ONNX model)")
    inits, nodes = {}, []
    for f, t, v in fields(b, *graph):
        if f == 5:  # TensorProto
            dims, dtype, name, raw, floats, ints = [], None, "", None, [], []
            for f2, t2, v2 in fields(b, *v):
                if f2 == 1 and t2 == 0:
                    dims.append(v2)
                elif f2 == 1:
                    j = v2[0]
                    while j < v2[1]:
                        d, j = varint(b, j)
                        dims.append(d)
                elif f2 == 2:
                    dtype = v2
                elif f2 == 8:
                    name = text(b, v2)
                elif f2 == 9:
                    raw = b[v2[0]:v2[1]]
                elif f2 == 4 and t2 == 2:
                    floats.append(b[v2[0]:v2[1]])
                elif f2 == 4:
                    floats.append(v2)
                elif f2 == 5 and t2 == 0:  # int32_data: small integer types, one value each
                    ints.append(v2)
                elif f2 == 5:
                    j = v2[0]
                    while j < v2[1]:
                        d, j = varint(b, j)
                        ints.append(d)
            if raw is None and ints:  # as raw bytes of the tensor's own type (int8 two's complement)
                raw = bytes((x if x < (1 << 63) else x - (1 << 64)) & 0xFF for x in ints)
            inits[name] = (dtype, dims, raw if raw is not None else b"".join(floats))
        elif f == 1:  # NodeProto
            ins, name, op = [], "", ""
            for f2, t2, v2 in fields(b, *v):
                if f2 == 1:
                    ins.append(text(b, v2))
                elif f2 == 3:
                    name = text(b, v2)
                elif f2 == 4:
                    op = text(b, v2)
            nodes.append((op, name, ins))
    return inits, nodes


def scalar(inits, name, fmt):
    dtype, dims, raw = inits[name]
    return struct.unpack("<" + fmt, raw[:struct.calcsize(fmt)])[0]


def table(scale, zero):
    """The float32 bytes of each of the 256 codes."""
    return [struct.pack("<f", (q - zero) * scale) for q in range(256)]


def dequant_table(inits, base):
    """uint8 embedding table with one scale and zero point -> float32 bytes, same shape."""
    dtype, dims, raw = inits[base + "_quantized"]
    if dtype != UINT8:
        sys.exit(f"{base}: expected a uint8 table, found ONNX type {dtype}")
    codes = table(scalar(inits, base + "_scale", "f"), scalar(inits, base + "_zero_point", "B"))
    return dims, b"".join(map(codes.__getitem__, raw))


def dequant_matmul(inits, weight):
    """int8 MatMul weight [in, out] with per-column scale and zero point -> Linear weight [out, in]."""
    base = weight[: -len("_quantized")]
    dtype, (n_in, n_out), raw = inits[weight]
    sdt, sdims, sraw = inits[base + "_scale"]
    zdt, zdims, zraw = inits[base + "_zero_point"]
    if dtype != INT8 or sdims not in ([n_out], []) or zdims != sdims:
        sys.exit(f"{weight}: expected int8 [{n_in}, {n_out}] with per-column scale/zero point")
    scales = struct.unpack(f"<{max(1, len(sraw) // 4)}f", sraw)
    zeros = struct.unpack(f"<{len(zraw)}b", zraw)
    signed = raw.translate(bytes(range(256)))  # bytes; column o is raw[o::n_out]
    rows = []
    for o in range(n_out):
        s, z = scales[o if len(scales) > 1 else 0], zeros[o if len(zeros) > 1 else 0]
        codes = [struct.pack("<f", ((q - 256 if q > 127 else q) - z) * s) for q in range(256)]
        rows.append(b"".join(map(codes.__getitem__, signed[o::n_out])))
    return [n_out, n_in], b"".join(rows)


def convert(onnx_path, out_dir, eps):
    inits, nodes = read_graph(onnx_path)
    tensors = {}
    for emb in ("word_embeddings", "position_embeddings", "token_type_embeddings"):
        base = f"embeddings.{emb}.weight"
        if base + "_quantized" not in inits:
            sys.exit(f"{onnx_path}: no {base}_quantized: not a dynamically quantised BERT export")
        tensors[base] = dequant_table(inits, base)
    for op, name, ins in nodes:
        if op != "MatMulInteger":
            continue
        m = re.fullmatch(r"/((?:encoder/layer\.\d+/)[\w./]+?)/MatMul_quant", name)
        if not m:
            sys.exit(f"{onnx_path}: MatMulInteger node '{name}' names no BERT module")
        tensors[m.group(1).replace("/", ".") + ".weight"] = dequant_matmul(inits, ins[1])
    for n, (dtype, dims, raw) in inits.items():
        if dtype == FLOAT and dims and (n.endswith(".bias") or n.endswith("LayerNorm.weight")):
            tensors[n] = (dims, raw)
    layers = sorted({int(m.group(1)) for n in tensors for m in [re.match(r"encoder\.layer\.(\d+)\.", n)] if m})
    vocab, hidden = tensors["embeddings.word_embeddings.weight"][0]
    want = [f"encoder.layer.{l}.{p}.{w}" for l in layers for p in (
        "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
        "intermediate.dense", "output.dense") for w in ("weight", "bias")]
    missing = [n for n in want if n not in tensors]
    if missing or layers != list(range(len(layers))):
        sys.exit(f"{onnx_path}: incomplete encoder (missing {missing[:4]}, layers {layers})")
    for n, (dims, raw) in tensors.items():
        count = 1
        for d in dims:
            count *= d
        if len(raw) != 4 * count:
            sys.exit(f"{onnx_path}: {n}: {len(raw)} bytes for shape {dims}")
    os.makedirs(out_dir, exist_ok=True)
    write_safetensors(os.path.join(out_dir, "model.safetensors"), tensors)
    inter = tensors["encoder.layer.0.intermediate.dense.weight"][0][0]
    config = {"architectures": ["BertModel"], "model_type": "bert", "hidden_size": hidden,
              "num_hidden_layers": len(layers), "num_attention_heads": hidden // 32,
              "intermediate_size": inter, "hidden_act": "gelu", "vocab_size": vocab,
              "max_position_embeddings": tensors["embeddings.position_embeddings.weight"][0][0],
              "type_vocab_size": tensors["embeddings.token_type_embeddings.weight"][0][0],
              "layer_norm_eps": eps, "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
              "initializer_range": 0.02, "pad_token_id": 0, "position_embedding_type": "absolute",
              "torch_dtype": "float32"}
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    return len(tensors)


def write_safetensors(path, tensors):
    header, offset = {}, 0
    for n in sorted(tensors):
        dims, raw = tensors[n]
        header[n] = {"dtype": "F32", "shape": dims, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    header["__metadata__"] = {"format": "pt", "source": "dequantised int8 ONNX (scripts/convert/onnx_int8_bert.py)"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for n in sorted(tensors):
            f.write(tensors[n][1])


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("onnx")
    ap.add_argument("out")
    ap.add_argument("--layer-norm-eps", type=float, default=1e-12)
    a = ap.parse_args()
    n = convert(a.onnx, a.out, a.layer_norm_eps)
    print(f"{a.onnx}: {n} tensors -> {a.out}/model.safetensors")
