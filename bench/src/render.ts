/** `tsx bench/src/render.ts bench/results/<file>.json`: prints the Markdown table of a results file again (after report changes). */
import { readFileSync } from 'node:fs';
import { markdown, type Result } from './report.js';

for (const f of process.argv.slice(2)) process.stdout.write(`${markdown(JSON.parse(readFileSync(f, 'utf8')) as Result)}\n\n`);
