import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import type { ServerEvent } from '@qiaoliang/shared';
import type { Deps } from '../deps.js';
import { actorOf } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import type { Actor } from './auth.js';
import { safeErrorText } from './jobs.js';
import { referenceCache, referenceChannel } from './reference-cache.js';

/*
 * Live events for the admin UI over Server-Sent Events (architecture.md, "Hotline").
 *
 * Each process keeps the open streams of its own users. `publish(userId, event)` stores the
 * event (server_events, about an hour), writes it to that user's streams in this process and,
 * on PostgreSQL, sends NOTIFY with only {origin, user, event id}: payloads must stay under
 * 8000 bytes, and a screen pop can be larger. Every process LISTENs; one that holds a stream
 * of that user reads the row and writes it. A CTI webhook received by process A thus reaches
 * the agent's stream held by process B. SQLite runs one process: in-process delivery only.
 *
 * An event goes only to the streams of the user it is addressed to; nothing is broadcast.
 * Delivery is at most once per stream and best effort: a browser that reconnects sends
 * Last-Event-ID and gets what it missed in the last few minutes; state lives in the
 * database (GET /api/calls), events only make the UI fast.
 */

/** What modules need to push events; the hub implements it. */
export interface EventPublisher {
  /** Delivers an event to the user's streams in every process; returns its id (null when it could not be stored). Never throws. */
  publish(userId: string, event: ServerEvent): Promise<string | null>;
}

export interface EventHubOptions {
  /** Comment lines keep proxies from closing idle streams; sessions are re-checked at the same pace. */
  heartbeatMs?: number;
  /** The reconnect delay suggested to EventSource (`retry:`). */
  retryMs?: number;
  /** How long stored events are kept. */
  retentionMs?: number;
  /** How far back Last-Event-ID replays. */
  replayWindowMs?: number;
  /** Tabs per user; the oldest stream is closed beyond this. */
  maxStreamsPerUser?: number;
  /** A stream whose unsent output grows beyond this is closed (the browser reconnects and replays). */
  maxBufferedBytes?: number;
}

interface Stream {
  userId: string;
  sessionId: string;
  res: ServerResponse;
  /** Ids of the latest events written, so a replay or catch-up never writes one twice. */
  recent: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RECENT_IDS = 200;
const PURGE_EVERY_TICKS = 40;
const MAX_RECONNECT_MS = 30_000;

/** The NOTIFY channel of a schema: several schemas (tests, tenants) in one database never cross. */
export function eventChannel(schema: string): string {
  return `ql_events_${schema.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/** The in-process SSE hub with PostgreSQL LISTEN/NOTIFY fan-out. One per app instance. */
export class EventHub implements EventPublisher {
  private readonly streams = new Map<string, Set<Stream>>();
  /** Tells this process's own notifications apart: they were already delivered locally. */
  private readonly origin = randomBytes(8).toString('hex');
  private readonly opts: Required<EventHubOptions>;
  private channel: string | null = null;
  private referenceChannel: string | null = null;
  private listener: pg.Client | null = null;
  private listenerDownSince: number | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = 1_000;
  private heartbeat: NodeJS.Timeout | null = null;
  private ticks = 0;
  private ticking = false;
  private stopped = false;

  constructor(private readonly deps: Deps, opts: EventHubOptions = {}) {
    this.opts = {
      heartbeatMs: opts.heartbeatMs ?? 15_000,
      retryMs: opts.retryMs ?? 3_000,
      retentionMs: opts.retentionMs ?? 3_600_000,
      replayWindowMs: opts.replayWindowMs ?? 300_000,
      maxStreamsPerUser: opts.maxStreamsPerUser ?? 5,
      maxBufferedBytes: opts.maxBufferedBytes ?? 1024 * 1024,
    };
  }

  /** Starts the heartbeat and, on PostgreSQL, the LISTEN connection (retried in the background if it fails). */
  async start(): Promise<void> {
    this.heartbeat = setInterval(() => void this.tick(), this.opts.heartbeatMs);
    // The HTTP server keeps the process alive; the hub's timers alone must not.
    this.heartbeat.unref();
    if (this.deps.dialect !== 'postgres') return;
    const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(this.deps.db);
    this.channel = eventChannel(rows[0]?.s ?? 'public');
    this.referenceChannel = referenceChannel(rows[0]?.s ?? 'public');
    await this.connectListener();
  }

  /** Ends every stream and the LISTEN connection; called before the server closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.heartbeat = null;
    this.reconnectTimer = null;
    for (const set of this.streams.values()) for (const s of set) endQuietly(s.res);
    this.streams.clear();
    const listener = this.listener;
    this.listener = null;
    if (listener) await listener.end().catch(() => {});
  }

  /** Open streams, of one user or of everyone (for tests and health checks). */
  streamCount(userId?: string): number {
    if (userId !== undefined) return this.streams.get(userId)?.size ?? 0;
    let n = 0;
    for (const set of this.streams.values()) n += set.size;
    return n;
  }

  /** True when this process receives other processes' events (PostgreSQL, listener connected). */
  get listening(): boolean {
    return this.listener !== null;
  }

  /**
   * Stores the event, writes it to the user's streams here and notifies the other processes.
   * Local delivery comes first: it must not wait for, or depend on, the database.
   */
  async publish(userId: string, event: ServerEvent): Promise<string | null> {
    const id = this.deps.ids.next();
    const json = JSON.stringify(event);
    this.deliverLocal(userId, id, json);
    try {
      await this.deps.db.insertInto('server_events')
        .values({ id, user_id: userId, type: event.type, payload: json, created_at: this.deps.clock.now().getTime() })
        .execute();
      if (this.channel) {
        await sql`select pg_notify(${this.channel}, ${JSON.stringify({ o: this.origin, u: userId, e: id })})`.execute(this.deps.db);
      }
      return id;
    } catch (err) {
      this.deps.log.error({ eventId: id, type: event.type, error: safeErrorText(err) }, 'live event could not be stored or announced');
      return null;
    }
  }

  /**
   * Turns the request into an event stream for the signed-in user: headers, the `retry:` hint,
   * a `: ready` comment once subscribed, then the events missed since Last-Event-ID.
   */
  async attach(req: FastifyRequest, reply: FastifyReply, actor: Actor): Promise<void> {
    if (this.stopped) throw new AppError(503, 'server.unavailable', '服务正在停止，请稍后重新连接');
    const lastEventId = lastEventIdOf(req);
    reply.hijack();
    const res = reply.raw;
    // Headers set by hooks so far (security headers) still go out; hijacking skips onSend.
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) res.setHeader(name, value);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx would otherwise buffer the stream and the pop would arrive late.
      'X-Accel-Buffering': 'no',
    });
    const stream: Stream = { userId: actor.userId, sessionId: actor.sessionId, res, recent: [] };
    let set = this.streams.get(actor.userId);
    if (!set) {
      set = new Set();
      this.streams.set(actor.userId, set);
    }
    set.add(stream);
    if (set.size > this.opts.maxStreamsPerUser) {
      const oldest = set.values().next().value;
      if (oldest) this.close(oldest);
    }
    res.on('close', () => this.remove(stream));
    res.on('error', () => this.remove(stream));
    res.write(`retry: ${this.opts.retryMs}\n: ready\n\n`);
    if (lastEventId) await this.replay(stream, lastEventId);
  }

  private async replay(stream: Stream, lastEventId: string): Promise<void> {
    try {
      const since = this.deps.clock.now().getTime() - this.opts.replayWindowMs;
      const rows = await this.deps.db.selectFrom('server_events').select(['id', 'payload'])
        .where('user_id', '=', stream.userId).where('id', '>', lastEventId).where('created_at', '>=', since)
        .orderBy('id').limit(100).execute();
      for (const r of rows) this.send(stream, frame(r.id, r.payload), r.id);
    } catch (err) {
      this.deps.log.warn({ error: safeErrorText(err) }, 'live event replay failed');
    }
  }

  private deliverLocal(userId: string, id: string, json: string): void {
    const set = this.streams.get(userId);
    if (!set) return;
    const text = frame(id, json);
    for (const s of set) this.send(s, text, id);
  }

  private send(stream: Stream, text: string, id?: string): void {
    if (id !== undefined) {
      if (stream.recent.includes(id)) return;
      stream.recent.push(id);
      if (stream.recent.length > RECENT_IDS) stream.recent.shift();
    }
    const res = stream.res;
    if (res.writableEnded || res.destroyed) {
      this.remove(stream);
      return;
    }
    // A client that stopped reading must not grow our memory without bound.
    if (res.writableLength > this.opts.maxBufferedBytes) {
      this.deps.log.warn({ userId: stream.userId }, 'live event stream not reading; closed');
      this.close(stream);
      return;
    }
    res.write(text);
  }

  private remove(stream: Stream): void {
    const set = this.streams.get(stream.userId);
    if (!set) return;
    set.delete(stream);
    if (set.size === 0) this.streams.delete(stream.userId);
  }

  private close(stream: Stream): void {
    this.remove(stream);
    endQuietly(stream.res);
  }

  /** One heartbeat round: comment lines, the session check, now and then the purge. The timer calls it; tests may too. */
  async tick(): Promise<void> {
    for (const set of this.streams.values()) for (const s of set) this.send(s, ': hb\n\n');
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.closeEndedSessions();
      if (++this.ticks % PURGE_EVERY_TICKS === 0) {
        await this.deps.db.deleteFrom('server_events').where('created_at', '<', this.deps.clock.now().getTime() - this.opts.retentionMs).execute();
      }
    } catch (err) {
      this.deps.log.warn({ error: safeErrorText(err) }, 'live event maintenance failed');
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Closes streams whose session was revoked (logout, password change), expired or whose user
   * was deactivated, with a last `session_ended` event. One query per heartbeat for all streams.
   */
  private async closeEndedSessions(): Promise<void> {
    const all = [...this.streams.values()].flatMap((set) => [...set]);
    if (all.length === 0) return;
    const now = this.deps.clock.now().getTime();
    const idleMs = this.deps.config.sessionIdleMinutes * 60_000;
    const ids = [...new Set(all.map((s) => s.sessionId))];
    const live = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.deps.db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id').select('s.id')
        .where('s.id', 'in', ids.slice(i, i + 500)).where('s.revoked_at', 'is', null).where('s.expires_at', '>', now)
        .where('s.last_seen_at', '>', now - idleMs).where('u.active', '=', 1).execute();
      for (const r of rows) live.add(r.id);
    }
    for (const s of all) {
      if (live.has(s.sessionId)) continue;
      this.send(s, `data: ${JSON.stringify({ type: 'session_ended' } satisfies ServerEvent)}\n\n`);
      this.close(s);
    }
  }

  private async connectListener(): Promise<void> {
    if (this.stopped || !this.channel) return;
    const client = new pg.Client({ connectionString: this.deps.config.databaseUrl });
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = null;
      // Other processes' changes to reference data go unheard until the listener is back.
      referenceCache(this.deps.db).trusted = false;
      client.end().catch(() => {});
      if (this.stopped) return;
      this.deps.log.warn({ error: err ? safeErrorText(err) : 'connection ended' }, 'live event listener lost; reconnecting');
      this.listenerDownSince ??= this.deps.clock.now().getTime();
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (msg) => this.onNotification(msg));
    try {
      await client.connect();
      // Channel names are built from [a-z0-9_] only (eventChannel, referenceChannel), so quoting is safe.
      await client.query(`LISTEN "${this.channel}"; LISTEN "${this.referenceChannel}"`);
    } catch (err) {
      onLost(err);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    this.reconnectDelayMs = 1_000;
    const references = referenceCache(this.deps.db);
    references.clear();
    references.trusted = true;
    const since = this.listenerDownSince;
    this.listenerDownSince = null;
    if (since !== null) await this.catchUp(since);
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopped) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connectListener();
    }, this.reconnectDelayMs);
    this.reconnectTimer.unref();
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_MS);
  }

  private onNotification(msg: pg.Notification): void {
    if (msg.channel === this.referenceChannel && msg.payload) {
      referenceCache(this.deps.db).invalidate(msg.payload);
      return;
    }
    if (msg.channel !== this.channel || !msg.payload) return;
    let note: { o?: unknown; u?: unknown; e?: unknown };
    try {
      note = JSON.parse(msg.payload) as typeof note;
    } catch {
      return;
    }
    if (note.o === this.origin || typeof note.u !== 'string' || typeof note.e !== 'string') return;
    // Most processes hold no stream of this user: no database read for them.
    if (!this.streams.has(note.u)) return;
    void this.fetchAndDeliver(note.u, note.e);
  }

  private async fetchAndDeliver(userId: string, eventId: string): Promise<void> {
    try {
      const row = await this.deps.db.selectFrom('server_events').select(['id', 'payload']).where('id', '=', eventId).where('user_id', '=', userId).executeTakeFirst();
      if (row) this.deliverLocal(userId, row.id, row.payload);
    } catch (err) {
      this.deps.log.warn({ eventId, error: safeErrorText(err) }, 'live event could not be read');
    }
  }

  /** After the listener was down: what other processes published meanwhile, for the users connected here. */
  private async catchUp(sinceMs: number): Promise<void> {
    const users = [...this.streams.keys()];
    try {
      for (let i = 0; i < users.length; i += 500) {
        const rows = await this.deps.db.selectFrom('server_events').select(['id', 'user_id', 'payload'])
          .where('user_id', 'in', users.slice(i, i + 500)).where('created_at', '>=', sinceMs - 2_000).orderBy('id').limit(1_000).execute();
        for (const r of rows) this.deliverLocal(r.user_id, r.id, r.payload);
      }
    } catch (err) {
      this.deps.log.warn({ error: safeErrorText(err) }, 'live event catch-up failed');
    }
  }
}

/** One SSE message: the id for Last-Event-ID and the JSON event (JSON text has no raw newlines). */
const frame = (id: string, json: string): string => `id: ${id}\ndata: ${json}\n\n`;

function endQuietly(res: ServerResponse): void {
  try {
    if (!res.writableEnded) res.end();
  } catch {
    // The socket is already gone.
  }
}

function lastEventIdOf(req: FastifyRequest): string | null {
  const header = req.headers['last-event-id'];
  const fromQuery = (req.query as { lastEventId?: unknown } | undefined)?.lastEventId;
  const raw = typeof header === 'string' ? header : typeof fromQuery === 'string' ? fromQuery : null;
  return raw && UUID.test(raw.trim()) ? raw.trim().toLowerCase() : null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The live event hub of this app instance (platform/events.ts). */
    events: EventHub;
  }
}

/**
 * Creates the app's hub (`app.events`), stops it before the server closes (open streams would
 * otherwise hold the close), and serves GET /api/events/stream.
 */
export function registerEventHub(app: FastifyInstance, deps: Deps, opts: EventHubOptions = {}): EventHub {
  const hub = new EventHub(deps, opts);
  app.decorate('events', hub);
  // Started when the app is ready, so an app that fails to build leaves no LISTEN connection behind.
  app.addHook('onReady', async () => hub.start());
  app.addHook('preClose', async () => hub.stop());

  app.get('/api/events/stream', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['events'],
      summary: '实时事件流（Server-Sent Events：来电弹屏、通话状态、通知）',
      description: 'text/event-stream。每条消息的 data 为 JSON（ServerEvent，按 type 区分），id 可用于 Last-Event-ID 断线续传（最近 5 分钟）。每 15 秒一条注释行保活；会话失效时发送 session_ended 后关闭。',
    },
  }, async (req, reply) => {
    await hub.attach(req, reply, actorOf(req));
  });
  return hub;
}
