/** One Server-Sent Events block as a test sees it. */
export interface SseFrame {
  id: string | null;
  data: string | null;
  comments: string[];
  retry: number | null;
}

/** A live SSE connection read with fetch (light-my-request cannot stream). */
export interface SseClient {
  status: number;
  headers: Headers;
  /** Every frame received so far, in order. */
  frames: SseFrame[];
  /** The next not-yet-taken frame matching `pred`, waiting up to `timeoutMs`. */
  next(pred?: (f: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** The next data frame's JSON. */
  nextEvent<T = any>(pred?: (e: T) => boolean, timeoutMs?: number): Promise<{ id: string | null; event: T }>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens an event stream and parses it in the background. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const frames: SseFrame[] = [];
  const taken = new Set<SseFrame>();
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  let done = false;
  const ended = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buf += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const f: SseFrame = { id: null, data: null, comments: [], retry: null };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) f.comments.push(line.slice(1).trim());
            else if (line.startsWith('id:')) f.id = line.slice(3).trim();
            else if (line.startsWith('data:')) f.data = (f.data === null ? '' : `${f.data}\n`) + line.slice(5).trimStart();
            else if (line.startsWith('retry:')) f.retry = Number(line.slice(6).trim());
          }
          frames.push(f);
          notify();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      done = true;
      notify();
    }
  })();

  const next = (pred: (f: SseFrame) => boolean = () => true, timeoutMs = 2_000) =>
    new Promise<SseFrame>((resolve, reject) => {
      const check = () => {
        const f = frames.find((x) => !taken.has(x) && pred(x));
        if (f) {
          taken.add(f);
          cleanup();
          resolve(f);
          return true;
        }
        if (done) {
          cleanup();
          reject(new Error('stream ended without the expected frame'));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching SSE frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(waiter);
      };
      const waiter = () => void check();
      if (!check()) waiters.add(waiter);
    });

  return {
    status: res.status,
    headers: res.headers,
    frames,
    next,
    async nextEvent<T>(pred: (e: T) => boolean = () => true, timeoutMs?: number) {
      const f = await next((x) => x.data !== null && pred(JSON.parse(x.data) as T), timeoutMs);
      return { id: f.id, event: JSON.parse(f.data!) as T };
    },
    ended,
    close: () => ac.abort(),
  };
}

/** Data events received so far (parsed), for "nothing else arrived" checks. */
export const eventsOf = <T = any>(c: SseClient): T[] => c.frames.filter((f) => f.data !== null).map((f) => JSON.parse(f.data!) as T);
