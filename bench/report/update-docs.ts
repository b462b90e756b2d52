/**
 * Copies the sections that `npm run bench` wrote to bench/results/NAME.md into
 * docs/benchmarks.md, between the markers `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`.
 *
 *   npx tsx bench/report/update-docs.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docsPath = join(repositoryRoot, 'docs', 'benchmarks.md');
let docs = readFileSync(docsPath, 'utf8');
for (const match of [...docs.matchAll(/<!-- bench:([a-z0-9-]+) -->/g)]) {
  const name = match[1];
  const section = join(repositoryRoot, 'bench', 'results', `${name}.md`);
  if (!existsSync(section)) {
    console.error(`bench/results/${name}.md not found; run npm run bench -- --only ${name} first`);
    continue;
  }
  const pattern = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  const body = readFileSync(section, 'utf8').trim().replace(/^## .*\n\n/, '');
  docs = docs.replace(pattern, `<!-- bench:${name} -->\n${body}\n<!-- /bench:${name} -->`);
}
writeFileSync(docsPath, docs);
