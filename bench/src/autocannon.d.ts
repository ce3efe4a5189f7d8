// autocannon ships no types; the runner uses its programmatic API through load.ts only.
declare module 'autocannon' {
  const autocannon: (opts: unknown, cb: (err: Error | null, result: { errors: number; timeouts: number }) => void) => { on(event: 'response', fn: (...args: never[]) => void): void };
  export default autocannon;
}
