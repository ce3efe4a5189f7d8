const fs = require('fs'); const dir = process.argv[2];
const f = fs.readdirSync(dir).filter(x => x.endsWith('.cpuprofile')).map(x => dir + '/' + x)[0];
const p = JSON.parse(fs.readFileSync(f));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const dt = {}; p.samples.forEach((s, i) => { dt[s] = (dt[s] || 0) + (p.timeDeltas[i] || 0); });
const total = Object.values(dt).reduce((a, b) => a + b, 0);
// inclusive time per function name (project files only), counting each stack once
const incl = new Map();
for (const [id, t] of Object.entries(dt)) {
  const seen = new Set(); let cur = Number(id);
  while (cur !== undefined) { const n = byId.get(cur); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\/src\//, 'src/').replace(/.*node_modules\//, 'nm/')}`; if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) || 0) + t); } cur = parent.get(cur); }
}
[...incl].filter(([k]) => k.includes('src/') || /nm\/(kysely|better|ajv|fastify|fast-json)/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 45).forEach(([k, v]) => console.log((v / total * 100).toFixed(1) + '%', k));
