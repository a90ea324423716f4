#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/ from the repo's
fixtures (tests/data), small files of the shared models folder (trimmed to a few kB) and a few
hand-made files. Every seed stays small (the fuzzer's -max_len follows the largest seed).
Usage: tests/fuzz/make_seeds.py [SHARED_MODELS_DIR]   (default ../shared/models beside the repo)"""
import json, os, re, sqlite3, struct, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
data = os.path.join(root, "tests", "data")
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(root), "shared", "models")
corpus = os.path.join(here, "corpus")


def put(target, name, blob):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(blob, str):
        blob = blob.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(blob)


def read(*parts):
    with open(os.path.join(*parts), "rb") as f:
        return f.read()


def have(*parts):
    return os.path.isfile(os.path.join(*parts))


def safetensors(tensors, metadata=None):
    header, blob = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + len(raw)]}
        blob += raw
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + blob


def seeds_safetensors():
    t = "fuzz_safetensors"
    put(t, "mixed", safetensors([
        ("w.f32", "F32", [2, 3], struct.pack("<6f", *range(6))),
        ("w.f16", "F16", [4], struct.pack("<4H", 0x3c00, 0x0001, 0x7c00, 0xfc01)),
        ("w.bf16", "BF16", [2, 2], struct.pack("<4H", 0x3f80, 0, 0x7f80, 0x8000)),
        ("ids", "I64", [1], struct.pack("<q", 7)), ("b", "U8", [3], b"abc"),
        ("empty", "F32", [0, 4], b""), ("scalar", "F64", [], struct.pack("<d", 1.5)),
    ], {"format": "pt", "n": "1"}))
    put(t, "empty", safetensors([]))
    # The real fixtures' headers (their data cut off: rejected, but the JSON is realistic).
    for model in ("bert-tiny", "gpt2-tiny"):
        raw = read(data, model, "model.safetensors")
        n = struct.unpack("<Q", raw[:8])[0]
        put(t, model + "-header", raw[: 8 + n] + b"\0" * 16)


def seeds_gguf():
    put("fuzz_gguf", "tiny.gguf", read(data, "gguf", "tiny.gguf"))
    # A GGUF that carries a small GPT-2 style tokenizer (the fromGguf path).
    def s(x):
        x = x.encode()
        return struct.pack("<Q", len(x)) + x
    def kv_str(k, v):
        return s(k) + struct.pack("<I", 8) + s(v)
    def kv_strs(k, vs):
        return s(k) + struct.pack("<IIQ", 9, 8, len(vs)) + b"".join(s(v) for v in vs)
    def kv_ints(k, vs):
        return s(k) + struct.pack("<IIQ", 9, 5, len(vs)) + b"".join(struct.pack("<i", v) for v in vs)
    def kv_u32(k, v):
        return s(k) + struct.pack("<II", 4, v)
    tokens = ["H", "e", "l", "o", "Ġ", "w", "r", "d", "He", "ll", "Hell", "Hello", "<|endoftext|>"]
    kvs = [kv_str("general.architecture", "llama"), kv_str("tokenizer.ggml.model", "gpt2"),
           kv_str("tokenizer.ggml.pre", "llama-bpe"), kv_strs("tokenizer.ggml.tokens", tokens),
           kv_strs("tokenizer.ggml.merges", ["H e", "l l", "He ll", "Hell o"]),
           kv_ints("tokenizer.ggml.token_type", [1] * 12 + [3]),
           kv_u32("tokenizer.ggml.bos_token_id", 12), kv_u32("tokenizer.ggml.eos_token_id", 12),
           s("tokenizer.ggml.add_bos_token") + struct.pack("<IB", 7, 1)]
    put("fuzz_gguf", "tokenizer.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs)) + b"".join(kvs))


def trimmed_wordpiece_json():
    j = json.loads(read(shared, "bert-base-uncased-vocab", "tokenizer.json"))
    keep = {t: i for t, i in j["model"]["vocab"].items() if i < 1200 and (i < 110 or i % 7 == 0)}
    keep.update({t: i for t, i in j["model"]["vocab"].items() if t in ("un", "##aff", "##able", "hello", "world")})
    j["model"]["vocab"] = keep
    j["added_tokens"] = j["added_tokens"][:5]
    return json.dumps(j, ensure_ascii=False)


def seeds_wordpiece():
    t = "fuzz_wordpiece"
    put(t, "vocab.txt", b"\x01" + read(data, "bert-tiny", "vocab.txt"))
    put(t, "tokenizer_config-tiny", b"\x02" + read(data, "bert-tiny", "tokenizer_config.json"))
    if have(shared, "bert-base-uncased-vocab", "tokenizer.json"):
        put(t, "tokenizer.json", b"\x00" + trimmed_wordpiece_json().encode())
        put(t, "tokenizer_config-base", b"\x02" + read(shared, "bert-base-uncased-vocab", "tokenizer_config.json"))


def seeds_bpe():
    t = "fuzz_bpe"
    put(t, "llama2_style", read(data, "tokenizer", "llama2_style_tokenizer.json"))
    if not have(shared, "gpt2-tokenizer", "tokenizer.json"):
        return
    j = json.loads(read(shared, "gpt2-tokenizer", "tokenizer.json"))
    merges = j["model"]["merges"][:150]
    vocab = {tok: i for tok, i in j["model"]["vocab"].items() if i < 256}
    for m in merges:
        a, b = m.split(" ") if isinstance(m, str) else m
        vocab.setdefault(a + b, len(vocab))
    vocab["<|endoftext|>"] = len(vocab)
    j["model"]["vocab"] = vocab
    j["model"]["merges"] = merges
    j["added_tokens"][0]["id"] = vocab["<|endoftext|>"]
    put(t, "gpt2_trimmed", json.dumps(j, ensure_ascii=False))
    llama3 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
    j["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": llama3}, "behavior": "Isolated", "invert": False},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]}
    j["model"]["ignore_merges"] = True
    j["post_processor"] = {"type": "Sequence", "processors": [
        {"type": "ByteLevel"}, {"type": "TemplateProcessing", "single": [
            {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}]}]}
    put(t, "llama3_style", json.dumps(j, ensure_ascii=False))
    j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = llama3.replace(r"\p{N}{1,3}", r"\p{N}")
    j["normalizer"] = {"type": "NFC"}
    put(t, "qwen2_style", json.dumps(j, ensure_ascii=False))


def seeds_llama2c():
    if have(shared, "stories260K", "tok512.bin"):
        put("fuzz_llama2c", "tok512", struct.pack("<H", 512) + read(shared, "stories260K", "tok512.bin"))
    pieces = [b"<unk>", b"<s>", b"</s>"] + [b"<0x%02X>" % i for i in range(256)] + [b" ", b"a", b"b", b"ab", b" ab"]
    blob = struct.pack("<i", 6) + b"".join(struct.pack("<fi", -i, len(p)) + p for i, p in enumerate(pieces))
    put("fuzz_llama2c", "handmade", struct.pack("<H", len(pieces)) + blob)


def seeds_bert_config():
    t = "fuzz_bert_config"
    files = ["config.json", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json",
             "config_sentence_transformers.json"]
    for i, name in enumerate(files):
        blob = read(data, "bert-tiny", name) if have(data, "bert-tiny", name) else \
            json.dumps({"max_seq_length": 128, "do_lower_case": False}).encode()
        put(t, "%d-%s" % (i, name.replace("/", "_")), bytes([i]) + blob)


def fnv1a(data):
    h = 1469598103934665603
    for c in data:
        h = ((h ^ c) * 1099511628211) % (1 << 64)
    return h


def seeds_embedding_cache():
    # Format 2: records of key, vector, checksum (FNV-1a of key and vector bytes).
    t = "fuzz_embedding_cache"
    head = b"UAEEMB2\n" + struct.pack("<i", 4)
    body = [struct.pack("<Q4f", k, 1, 2, 3, 4) for k in (1, 2, 0xcbf29ce484222325)]
    recs = b"".join(r + struct.pack("<Q", fnv1a(r)) for r in body)
    put(t, "three", head + recs)
    put(t, "torn", head + recs[:-5])
    put(t, "flipped", head + recs[:20] + bytes([recs[20] ^ 16]) + recs[21:])
    put(t, "other-dim", b"UAEEMB2\n" + struct.pack("<i", 8))
    put(t, "format-1", b"UAEEMB1\n" + struct.pack("<i", 4) + body[0])


def seeds_workspace():
    src = read(root, "core", "src", "store_schema.h").decode()
    migrations = re.findall(r'R"sql\((.*?)\)sql"', src, re.S)
    for version in (1, 3, len(migrations)):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "ws.db")
            db = sqlite3.connect(path)
            db.execute("PRAGMA page_size=512")
            for m in migrations[:version]:
                db.executescript(m)
            db.execute("PRAGMA user_version=%d" % version)
            db.execute("INSERT INTO datasets(name, path, papers, questions) VALUES('dev', '/d', 3, 9)")
            cols = "kind, method, split, status, config" + (", pid, host" if version >= 2 else "")
            vals = "'eval', 'bm25', 'dev', 'running', '{\"k\":5}'" + (", 1, 'h'" if version >= 2 else "")
            db.execute("INSERT INTO runs(%s) VALUES(%s)" % (cols, vals))
            db.execute("INSERT INTO runs(kind, method, split, status, config) VALUES('train', 'uae', 'dev', 'finished', '{\"checkpoint\":\"/nonexistent\"}')")
            db.execute("INSERT INTO metrics VALUES(1, 0, 'recall@1', 0.5)")
            db.execute("INSERT INTO question_results(run, question, method, ranking, scores, gold, latency_ms, metrics) "
                       "VALUES(1, 'q1', 'bm25', '[2,0,1]', '[0.5,0.2,0.1]', '[0]', 1.5, '{\"recall@1\":0}')")
            db.commit()
            db.execute("VACUUM")
            db.close()
            put("fuzz_workspace", "schema-v%d" % version, read(path))
    put("fuzz_workspace", "empty", b"")


def seeds_beir():
    # The three files of a folder in one input, NUL-separated (tests/fuzz/fuzz_beir.cpp).
    for name in ("beir-small", "beir-malformed"):
        folder = os.path.join(data, name)
        put("fuzz_beir", name, b"\0".join([read(folder, "corpus.jsonl"), read(folder, "queries.jsonl"),
                                            read(folder, "qrels", "test.tsv")]))


def seeds_trec_run():
    # Runs over the fixture split (tests/fuzz/fuzz_trec_run.cpp): both docno forms, a corpus
    # index, ties, CRLF, a blank line; and two refused files.
    put("fuzz_trec_run", "paper-pool", "q1 Q0 p0 1 2.5 sys\nq1 Q0 p1 2 2.5 sys\nq1 Q0 2001.00001#2 3 -1e-3 sys\n"
                                       "q4 Q0 p2 1 +7 other\r\n\nq4 Q0 p0 2 1e-400 other\n")
    put("fuzz_trec_run", "corpus-pool", "q7 Q0 p8 1 3 s\nq7 Q0 2001.00003#0 2 2 s\nq2 Q0 p5 1 1 s\n")
    put("fuzz_trec_run", "refused", "q1 Q0 p0 1 x s\nzz Q0 p0 1 1 s\nq1 Q0 p0 -2 1 s\nq1 Q0 p9\n")
    put("fuzz_trec_run", "empty", "")


if __name__ == "__main__":
    for f in (seeds_safetensors, seeds_gguf, seeds_wordpiece, seeds_bpe, seeds_llama2c, seeds_bert_config,
              seeds_embedding_cache, seeds_workspace, seeds_beir, seeds_trec_run):
        f()
    put("fuzz_qasper", "fixture.json", read(data, "qasper", "qasper-fixture-v0.3.json"))
    put("fuzz_qasper", "empty-object.json", "{}")
