import { createServer, type Server, type Socket } from 'node:net';

/**
 * A local SMTP server for tests (node:net, plain SMTP, no TLS or auth) that can fail on
 * demand: `reject` answers 451 (temporary failure) to every message, `down` closes the port
 * (connection refused). It keeps every message it accepted, by Message-ID.
 */
export class SmtpSink {
  mode: 'accept' | 'reject' = 'accept';
  readonly accepted: { messageId: string | null; to: string[]; data: string }[] = [];
  rejected = 0;
  port = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  async start(port = this.port): Promise<void> {
    const server = createServer((socket) => this.session(socket));
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(port, '127.0.0.1', () => res());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Closes the port and every open connection: clients now get ECONNREFUSED. */
  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** Message-IDs accepted more than once. */
  duplicates(): string[] {
    const seen = new Map<string, number>();
    for (const m of this.accepted) if (m.messageId) seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    let buf = '';
    let inData = false;
    let to: string[] = [];
    let data = '';
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 sink.local ESMTP test sink');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data += buf.slice(0, end);
          buf = buf.slice(end + 5);
          inData = false;
          const messageId = /^Message-ID:\s*(.+)$/im.exec(data)?.[1]?.trim() ?? null;
          this.accepted.push({ messageId, to, data });
          reply('250 2.0.0 queued');
          to = [];
          data = '';
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') reply('250 sink.local');
        else if (cmd === 'MAIL') {
          if (this.mode === 'reject') {
            this.rejected++;
            reply('451 4.3.0 mail server temporarily unavailable');
          } else reply('250 2.1.0 ok');
        } else if (cmd === 'RCPT') {
          to.push(line.slice(8).trim());
          reply('250 2.1.5 ok');
        } else if (cmd === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (cmd === 'RSET' || cmd === 'NOOP') reply('250 ok');
        else if (cmd === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('502 5.5.2 command not implemented');
      }
    });
  }
}
