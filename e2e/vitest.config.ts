import { defineConfig } from 'vitest/config';

/** Browser journeys: one at a time (each starts its own server), with generous timeouts. */
export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxConcurrency: 1,
    reporters: ['default'],
  },
});
