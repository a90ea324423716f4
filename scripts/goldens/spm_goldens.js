// Goldens for SentencePiece-style BPE tokenizer.json files (Llama 2 / Mistral / TinyLlama): the
// Llama-2-style file from spm_tokenizer_json.py as written (Prepend + Replace normalizer), and two
// Metaspace variants of it (prepend_scheme "first" without splitting, as Mistral v0.3; "always"
// with splitting). Hugging Face's tokenizers library encodes and decodes every case; the first
// output line holds the variant's overrides, which the C++ test applies the same way.
//
// usage: NODE_PATH=/scratch/node_modules node spm_goldens.js llama2_style_tokenizer.json gpt2_goldens.jsonl OUT_DIR
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

// The decoder stays the Llama one (Replace, ByteFallback, Fuse, Strip), as in Mistral's files.
const metaspace = (scheme, split) => ({
  normalizer: null,
  pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: scheme, split },
});
const variants = { legacy: {}, metaspace_first: metaspace('first', false), metaspace_split: metaspace('always', true) };
const extra = ['<s> inside </s> text', ' leading space', 'trailing space ', 'two  spaces', 'line\nbreak\ttab',
               'Once upon a time, there was a little girl named Lily.', 'emoji 😀 and 日本語', '', ' ', '<unk>'];

async function main([basePath, casesPath, outDir]) {
  const base = JSON.parse(fs.readFileSync(basePath, 'utf8'));
  const texts = fs.readFileSync(casesPath, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l))
    .filter((c) => c.text !== undefined).map((c) => c.text).concat(extra);
  for (const [name, v] of Object.entries(variants)) {
    const t = { ...base, ...v };
    const tmp = path.join(outDir, `.${name}-tokenizer.json`);
    fs.writeFileSync(tmp, JSON.stringify(t));
    const tok = Tokenizer.fromFile(tmp);
    fs.unlinkSync(tmp);
    const out = [JSON.stringify({ variant: v })];
    for (const text of texts) {
      const enc = await tok.encode(text, null);
      const ids = enc.getIds();
      const decoded = await tok.decode(ids, true);
      out.push(JSON.stringify({ text, ids, decoded }));
    }
    fs.writeFileSync(path.join(outDir, `spm_${name}_goldens.jsonl`), out.join('\n') + '\n');
    console.log(`${name}: ${out.length - 1} goldens`);
  }
}

main(process.argv.slice(2));
