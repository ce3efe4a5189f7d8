import type { Deps } from '../deps.js';

/** Starts the job runner and scheduler of this process. */
export function startBackgroundWork(_deps: Deps): { stop(): Promise<void> } {
  return { stop: async () => {} };
}
