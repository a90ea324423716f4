// Goldens for the Llama 3 and Qwen2 byte-level BPE pre-tokenizers. No such tokenizer files are on
// the build machines, so GPT-2's tokenizer.json is given each model's pre-tokenizer, normalizer,
// post-processor and ignore_merges setting (the "variant" on the first output line; the C++ test
// applies the same overrides) and Hugging Face's tokenizers library encodes the cases.
//
// usage: NODE_PATH=/scratch/node_modules node bpe_variant_goldens.js gpt2/tokenizer.json cases.jsonl OUT_DIR
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false };
const split = (regex) => ({ type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated', invert: false });
const llama3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const qwen2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const variants = {
  llama3: {
    pre_tokenizer: { type: 'Sequence', pretokenizers: [split(llama3), byteLevel] },
    normalizer: null,
    ignore_merges: true,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<|endoftext|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<|endoftext|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
             { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [50256], tokens: ['<|endoftext|>'] } },
    },
  },
  qwen2: {
    pre_tokenizer: { type: 'Sequence', pretokenizers: [split(qwen2), byteLevel] },
    normalizer: { type: 'NFC' },
    ignore_merges: false,
    post_processor: byteLevel,
  },
};

async function main([gpt2Path, casesPath, outDir]) {
  const base = JSON.parse(fs.readFileSync(gpt2Path, 'utf8'));
  const cases = fs.readFileSync(casesPath, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
  for (const [name, v] of Object.entries(variants)) {
    const t = { ...base, pre_tokenizer: v.pre_tokenizer, normalizer: v.normalizer, post_processor: v.post_processor,
                model: { ...base.model, ignore_merges: v.ignore_merges } };
    const tmp = path.join(outDir, `.${name}-tokenizer.json`);
    fs.writeFileSync(tmp, JSON.stringify(t));
    const tok = Tokenizer.fromFile(tmp);
    fs.unlinkSync(tmp);
    const out = [JSON.stringify({ variant: v })];
    for (const c of cases) {
      if (c.text === undefined) continue;
      const enc = await tok.encode(c.text, null);
      out.push(JSON.stringify({ text: c.text, ids: enc.getIds() }));
    }
    fs.writeFileSync(path.join(outDir, `${name}_bpe_goldens.jsonl`), out.join('\n') + '\n');
    console.log(`${name}: ${out.length - 1} goldens`);
  }
}

main(process.argv.slice(2));
