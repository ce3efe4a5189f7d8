const fs = require('fs'); const dir = process.argv[2];
const f = fs.readdirSync(dir).filter(x => x.endsWith('.cpuprofile')).map(x => dir + '/' + x)[0];
const p = JSON.parse(fs.readFileSync(f));
const dt = {}; p.samples.forEach((s, i) => { dt[s] = (dt[s] || 0) + (p.timeDeltas[i] || 0); });
const total = Object.values(dt).reduce((a, b) => a + b, 0);
const self = new Map();
for (const n of p.nodes) { const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\/src\//, 'src/').replace(/.*node_modules\//, 'nm/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) || 0) + (dt[n.id] || 0)); }
console.log('total s', (total / 1e6).toFixed(1));
[...self].sort((a, b) => b[1] - a[1]).slice(0, 30).forEach(([k, v]) => console.log((v / total * 100).toFixed(1) + '%', k));
