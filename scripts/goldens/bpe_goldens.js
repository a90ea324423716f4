// Reference ids for byte-level BPE tokenization from Hugging Face's tokenizers library (Rust,
// through its Node bindings; `npm install tokenizers@0.23.2` in a scratch folder, not part of the
// project). Only the single-text cases are used.
//
// usage: NODE_PATH=/scratch/node_modules node bpe_goldens.js tokenizer.json cases.jsonl out.jsonl
const fs = require('fs');
const { Tokenizer } = require('tokenizers');

async function main([tokenizerPath, casesPath, outPath]) {
  const tok = Tokenizer.fromFile(tokenizerPath);
  const lines = fs.readFileSync(casesPath, 'utf8').split('\n').filter((l) => l.length > 0);
  const out = [];
  for (const line of lines) {
    const c = JSON.parse(line);
    if (c.text === undefined) continue;
    const enc = await tok.encode(c.text, null);
    out.push(JSON.stringify({ text: c.text, ids: enc.getIds() }));
  }
  fs.writeFileSync(outPath, out.join('\n') + '\n');
  console.log(`${outPath}: ${out.length} goldens`);
}

main(process.argv.slice(2));
