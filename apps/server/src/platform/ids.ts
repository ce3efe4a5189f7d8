import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

/** Produces entity ids. */
export interface Ids {
  next(): string;
}

/**
 * UUIDv7 (RFC 9562): 48-bit millisecond timestamp, then random bits. Time-ordered, so new
 * rows append to the end of B-tree indexes on both dialects (ADR 0001). Within one
 * millisecond a counter in rand_a keeps ids monotonic for this process.
 */
export function uuidV7Ids(clock: Clock): Ids {
  let lastMs = -1;
  let counter = 0;
  return {
    next() {
      let ms = clock.now().getTime();
      if (ms <= lastMs) {
        counter++;
        if (counter > 0xfff) {
          lastMs++;
          counter = 0;
        }
        ms = lastMs;
      } else {
        lastMs = ms;
        counter = 0;
      }
      const b = randomBytes(16);
      b.writeUIntBE(ms, 0, 6);
      b[6] = 0x70 | ((counter >> 8) & 0x0f);
      b[7] = counter & 0xff;
      b[8] = 0x80 | (b[8]! & 0x3f);
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}
