// `make bench`: runs every package's benchmark in one process, one after another, and prints the
// figures. Each bench module exports run() and returns plain figures; ratios are taken within a run.
const path = require('node:path');
const fs = require('node:fs');

const benches = ['amm-math', 'localnet', 'wasm-pool', 'metapool-gas', 'vm-gas', 'api', 'indexer'];
const only = process.argv.slice(2);

async function main() {
  const results = {};
  for (const name of benches) {
    if (only.length && !only.includes(name)) continue;
    const file = path.join(__dirname, `${name}.js`);
    if (!fs.existsSync(file)) {
      console.log(`[bench] ${name}: no benchmark file (${file})`);
      continue;
    }
    console.log(`[bench] ${name} ...`);
    const bench = require(file);
    results[name] = await bench.run();
    // a bench that prints its own table leaves its figures to .bench-results.json
    if (bench.printsOwnReport)
      console.log(`[bench] ${name}: done (figures in .bench-results.json)`);
    else console.log(`[bench] ${name}:`, JSON.stringify(results[name], null, 2));
  }
  fs.writeFileSync(
    path.join(__dirname, '..', '.bench-results.json'),
    JSON.stringify(results, null, 2),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
