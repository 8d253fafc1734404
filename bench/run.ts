/**
 * `npm run bench`: every benchmark in one process and one run, so the ratios against the official SDK
 * compare like with like. Each bench/*.bench.ts exports `run(): Promise<void>` and prints its own table.
 * `npm run bench -- engine` runs engine.bench.ts; a name that is no bench's runs those whose name contains it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
  const filter = process.argv[2];
  const all = readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts'));
  // `-- guard` is guard.bench.ts alone, not also guard-instructions.bench.ts.
  const exact = all.filter((f) => f === `${filter}.bench.ts`);
  const files = (exact.length > 0 ? exact : all.filter((f) => !filter || f.includes(filter))).sort();
  console.log(`node ${process.version}, ${files.length} bench file(s): ${files.join(', ')}`);
  for (const file of files) {
    const mod = (await import(join(__dirname, file))) as { run: () => Promise<void> };
    console.log(`\n=== ${file} ===`);
    await mod.run();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
