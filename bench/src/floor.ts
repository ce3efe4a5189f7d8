/**
 * The floor: a bare Fastify server on the same database as the product, doing the nearest
 * minimal operation of each scenario with nothing else (no session, no validation, no audit):
 * one durable insert (SQLite WAL + synchronous=FULL, as the product opens it; or one
 * PostgreSQL autocommit insert), one primary-key read, one indexed phone read, one 50-row
 * index page. Benchmarks report the product as a ratio to it, which holds on a noisy machine.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

const url = process.env.DATABASE_URL!;
const port = Number(process.env.PORT);
const app = Fastify({ logger: false });

interface Floor {
  insert(id: string, at: number, body: string): Promise<void>;
  ticket(id: string): Promise<unknown>;
  phone(phone: string): Promise<unknown>;
  page(before: number): Promise<unknown>;
  close(): Promise<void>;
}

function sqliteFloor(path: string): Floor {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec('create table if not exists bench_floor (id text primary key, at integer not null, body text not null)');
  const ins = db.prepare('insert into bench_floor (id, at, body) values (?, ?, ?)');
  const byId = db.prepare('select * from tickets where id = ?');
  const byPhone = db.prepare('select customer_id from customer_phones where phone = ?');
  const page = db.prepare('select id, number, title, status, registered_at from tickets where registered_at < ? order by registered_at desc limit 50');
  return {
    insert: async (id, at, body) => void ins.run(id, at, body),
    ticket: async (id) => byId.get(id),
    phone: async (p) => byPhone.all(p),
    page: async (before) => page.all(before),
    close: async () => {
      db.exec('drop table if exists bench_floor');
      db.close();
    },
  };
}

function pgFloor(conn: string): Floor {
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: conn, max: 10 });
  const ready = pool.query('create table if not exists bench_floor (id text primary key, at bigint not null, body text not null)');
  return {
    insert: async (id, at, body) => void (await ready, await pool.query('insert into bench_floor (id, at, body) values ($1, $2, $3)', [id, at, body])),
    ticket: async (id) => (await pool.query({ name: 'f_ticket', text: 'select * from tickets where id = $1', values: [id] })).rows[0],
    phone: async (p) => (await pool.query({ name: 'f_phone', text: 'select customer_id from customer_phones where phone = $1', values: [p] })).rows,
    page: async (before) => (await pool.query({ name: 'f_page', text: 'select id, number, title, status, registered_at from tickets where registered_at < $1 order by registered_at desc limit 50', values: [before] })).rows,
    close: async () => {
      await pool.query('drop table if exists bench_floor');
      await pool.end();
    },
  };
}

const floor = url.startsWith('sqlite:') ? sqliteFloor(url.slice('sqlite:'.length)) : pgFloor(url);

app.post<{ Body: { description?: string } }>('/floor/insert', async (req, reply) => {
  await floor.insert(randomUUID(), Date.now(), JSON.stringify(req.body ?? {}));
  return reply.status(201).send({ ok: true });
});
app.get<{ Params: { id: string } }>('/floor/ticket/:id', async (req, reply) => {
  const row = await floor.ticket(req.params.id);
  return row ? row : reply.status(404).send({});
});
app.get<{ Querystring: { phone: string } }>('/floor/phone', async (req) => floor.phone(req.query.phone));
app.get<{ Querystring: { before?: string } }>('/floor/page', async (req) => floor.page(Number(req.query.before ?? Date.now())));
app.get('/floor/health', async () => ({ ok: true }));

const stop = async () => {
  await app.close();
  await floor.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`floor listening on ${port}\n`);
