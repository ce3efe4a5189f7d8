import { describe, expect, it } from 'vitest';
import { prettyLine, prettyLogStream } from './log-pretty.js';

const at = (ms: number) => `t${ms}`;

describe('readable development log lines', () => {
  it('puts method, path, status and duration of a finished request in the head of the line', () => {
    const line = JSON.stringify({ level: 30, time: 5, pid: 1, hostname: 'h', reqId: 'req-7', req: { method: 'GET', url: '/api/tickets' }, res: { statusCode: 404 }, responseTime: 12.345, msg: 'request completed' });
    expect(prettyLine(line, { colour: false, formatTime: at })).toBe('t5 INFO  GET /api/tickets 404 12.3ms request completed  reqId=req-7\n');
  });

  it('shows the level name, extra fields and an indented stack for an error', () => {
    const line = JSON.stringify({ level: 50, time: 1, msg: 'job failed', job: 'kpi.scope_snapshot', err: { message: 'x', stack: 'Error: x\n  at f' } });
    expect(prettyLine(line, { colour: false, formatTime: at })).toBe('t1 ERROR job failed  job=kpi.scope_snapshot\n    Error: x\n      at f\n');
  });

  it('quotes text with spaces and passes a line that is not JSON through unchanged', () => {
    expect(prettyLine(JSON.stringify({ level: 40, time: 2, msg: 'm', detail: 'a b' }), { colour: false, formatTime: at })).toBe('t2 WARN  m  detail="a b"\n');
    expect(prettyLine('plain text', { colour: false })).toBe('plain text\n');
  });

  it('writes each entry of a chunk as its own line and colours only for a terminal', () => {
    const out: string[] = [];
    const stream = prettyLogStream({ write: (t: string) => out.push(t), isTTY: true });
    stream.write(`${JSON.stringify({ level: 30, time: 0, msg: 'a' })}\n`);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('\u001b[32mINFO \u001b[0m');
    const plain: string[] = [];
    prettyLogStream({ write: (t: string) => plain.push(t) }).write(`${JSON.stringify({ level: 30, time: 0, msg: 'a' })}\n`);
    expect(plain[0]).not.toContain('\u001b[');
  });
});
