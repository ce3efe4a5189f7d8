import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CTI_SECRET_FILE } from '../config.js';
import { signCtiBody } from '../modules/hotline/cti.signature.js';

/*
 * `npm run cti:simulate -- --extension 8001 --caller 13800138000 [--miss]`: plays a PBX against
 * a running server so a newcomer can watch the screen pop (docs/hotline.md). It signs with the
 * same secret as the server: CTI_SECRET, or the key file the server generated in DATA_DIR.
 */

const USAGE = `Usage: npm run cti:simulate -- [options]

  --extension <ext>     agent extension that rings (default 8001, the demo "agent")
  --caller <number>     calling number (default 13800138000)
  --called <number>     hotline number dialled (default 4008001234)
  --miss                ring, then hang up unanswered (a missed call: call-back task)
  --ring-seconds <n>    seconds of ringing before answer / hang-up (default 3)
  --talk-seconds <n>    seconds of conversation (default 5)
  --event <name>        send only this event (ringing | answered | ended) for --call-id
  --call-id <id>        the PBX call id (default sim-<time>-<random>)
  --url <base>          server address (default http://localhost:$PORT, PORT default 3000)
  --secret-file <path>  file holding the shared secret (default: CTI_SECRET, else DATA_DIR/${CTI_SECRET_FILE})
`;

const { values } = parseArgs({
  options: {
    extension: { type: 'string', default: '8001' },
    caller: { type: 'string', default: '13800138000' },
    called: { type: 'string', default: '4008001234' },
    miss: { type: 'boolean', default: false },
    'ring-seconds': { type: 'string', default: '3' },
    'talk-seconds': { type: 'string', default: '5' },
    event: { type: 'string' },
    'call-id': { type: 'string' },
    url: { type: 'string' },
    'secret-file': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string): never => {
  process.stderr.write(`${line}\n`);
  process.exit(2);
};

if (values.help) {
  out(USAGE);
  process.exit(0);
}

/**
 * The shared secret, looked up where the server keeps it. `npm run -w` runs in apps/server
 * while `npm start` runs at the repository root, so DATA_DIR is tried relative to both.
 */
function findSecret(): { secret: string; from: string } {
  if (values['secret-file']) return { secret: readFileSync(values['secret-file'], 'utf8').trim(), from: values['secret-file'] };
  if (process.env.CTI_SECRET) return { secret: process.env.CTI_SECRET, from: 'CTI_SECRET' };
  const dataDir = process.env.DATA_DIR || './data';
  const bases = isAbsolute(dataDir) ? [dataDir] : [process.cwd(), process.env.INIT_CWD, resolve(process.cwd(), '../..')].filter((b): b is string => Boolean(b)).map((b) => resolve(b, dataDir));
  for (const dir of [...new Set(bases)]) {
    const file = join(dir, CTI_SECRET_FILE);
    if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), from: file };
  }
  return fail(`No CTI secret found. Start the server once (it generates ${CTI_SECRET_FILE} in DATA_DIR), or set CTI_SECRET / --secret-file.\nLooked in: ${bases.join(', ')}`);
}

const seconds = (name: 'ring-seconds' | 'talk-seconds'): number => {
  const n = Number(values[name]);
  return Number.isFinite(n) && n >= 0 && n <= 600 ? n : fail(`--${name} must be a number of seconds from 0 to 600`);
};

const { secret, from } = findSecret();
const base = (values.url ?? `http://localhost:${process.env.PORT || 3000}`).replace(/\/$/, '');
const callId = values['call-id'] ?? `sim-${Date.now()}-${randomBytes(3).toString('hex')}`;
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

/** Signs and posts one event the way a PBX does; returns false on any refusal. */
async function send(event: 'ringing' | 'answered' | 'ended', extra: Record<string, unknown> = {}): Promise<boolean> {
  const body = JSON.stringify({ event, callId, caller: values.caller, called: values.called, extension: values.extension, occurredAt: new Date().toISOString(), ...extra });
  let res: Response;
  try {
    res = await fetch(`${base}/api/cti/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Qiaoliang-Signature': signCtiBody(secret, body, Math.floor(Date.now() / 1000)) },
      body,
    });
  } catch (err) {
    return fail(`Cannot reach ${base}: ${(err as Error).message}. Is the server running (npm start / npm run dev)? This tool reads PORT (now ${process.env.PORT || '3000, the default'}) and DATA_DIR the way the server does: give it the same values the server was started with, or --url.`);
  }
  const text = await res.text();
  out(`→ ${event.padEnd(8)} ${callId}  ← ${res.status} ${text}`);
  if (res.status === 401) out(`  The server refused the signature: does it use the same secret? (this tool used ${from})`);
  return res.ok;
}

if (values.event) {
  if (!['ringing', 'answered', 'ended'].includes(values.event)) fail('--event must be ringing, answered or ended');
  const ok = await send(values.event as 'ringing' | 'answered' | 'ended', values.event === 'ended' && values.miss ? { missed: true } : {});
  process.exit(ok ? 0 : 1);
}

out(`Simulating a call to extension ${values.extension} from ${values.caller} (secret from ${from}).`);
let ok = await send('ringing');
await sleep(seconds('ring-seconds'));
if (ok && values.miss) {
  ok = await send('ended', { missed: true });
} else if (ok) {
  ok = await send('answered');
  await sleep(seconds('talk-seconds'));
  ok = ok && (await send('ended', { recordingUrl: `https://pbx.example.invalid/recordings/${callId}.mp3` }));
}
process.exit(ok ? 0 : 1);
