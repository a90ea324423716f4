// Adds reference token ids to tokenizer cases, using Hugging Face's own tokenizers library
// (the Rust implementation, through its Node bindings: `npm install tokenizers@0.23.2` in a
// scratch folder; the package is not part of the project).
//
// usage: NODE_PATH=/scratch/node_modules node tokenizer_goldens.js tokenizer.json cases.jsonl out.jsonl
const fs = require('fs');
const { Tokenizer } = require('tokenizers');

async function main([tokenizerPath, casesPath, outPath]) {
  const tok = Tokenizer.fromFile(tokenizerPath);
  const lines = fs.readFileSync(casesPath, 'utf8').split('\n').filter((l) => l.length > 0);
  const out = [];
  for (const line of lines) {
    const c = JSON.parse(line);
    if (c.max_length) tok.setTruncation(c.max_length);
    else tok.disableTruncation();
    const enc = c.a !== undefined ? await tok.encode(c.a, c.b) : await tok.encode(c.text, null);
    out.push(JSON.stringify({ ...c, ids: enc.getIds(), type_ids: enc.getTypeIds() }));
  }
  fs.writeFileSync(outPath, out.join('\n') + '\n');
  console.log(`${outPath}: ${out.length} goldens`);
}

main(process.argv.slice(2));
