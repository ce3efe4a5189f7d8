#!/usr/bin/env node
// `npm start` builds only the workspaces whose sources changed since their last build, so a
// restart takes seconds instead of a full rebuild (issue 18: 53 s on every start). A workspace is
// rebuilt when any of its files (outside node_modules and dist), or of a workspace it depends on,
// is newer than the stamp written after its last successful build. `npm run build` still builds all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = '.build-stamp';
const IGNORED = new Set(['node_modules', 'dist', 'screenshots', 'test-results', '.data', 'data']);

/** Newest modification time (ms) of the files under dir, tests included (cheap and safe). */
function newest(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return max;
}

const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const workspaces = rootPackage.workspaces.map((dir) => {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  return { dir, name: pkg.name, build: pkg.scripts?.build, deps: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }) };
});
const byName = new Map(workspaces.map((w) => [w.name, w]));
const inputsTime = new Map();
function inputs(w) {
  if (!inputsTime.has(w.name)) {
    const own = newest(join(root, w.dir));
    const upstream = w.deps.filter((d) => byName.has(d)).map((d) => inputs(byName.get(d)));
    inputsTime.set(w.name, Math.max(own, ...upstream, statSync(join(root, 'package-lock.json')).mtimeMs));
  }
  return inputsTime.get(w.name);
}

// The root build script's order (shared before server before the UIs) is the build order.
const order = [...rootPackage.scripts.build.matchAll(/-w (@[\w/-]+)/g)].map((m) => byName.get(m[1])).filter(Boolean);
let built = 0;
for (const w of order) {
  if (!w.build) continue;
  const stamp = join(root, w.dir, 'dist', STAMP);
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (builtAt >= inputs(w)) continue;
  process.stdout.write(`building ${w.name} (changed since its last build)\n`);
  const run = spawnSync('npm', ['run', 'build', '-w', w.name], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  writeFileSync(stamp, new Date().toISOString());
  built++;
}
if (!built) process.stdout.write('build is up to date\n');
