import { useSyncExternalStore } from 'react';
import type { Call, ScreenPopEvent } from '@qiaoliang/shared';

/**
 * The live hotline state of this browser tab: the event stream's connection and the latest
 * screen pops (newest first) with their calls kept current by call_update events. It lives
 * outside React Query: it is pushed by the server, never fetched.
 */
export type Connection = 'connecting' | 'open' | 'retrying';

export interface HotlineState {
  connection: Connection;
  pops: ScreenPopEvent[];
}

const MAX_POPS = 10;
let state: HotlineState = { connection: 'connecting', pops: [] };
const listeners = new Set<() => void>();

function set(next: HotlineState): void {
  state = next;
  for (const l of listeners) l();
}

export const hotlineStore = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: (): HotlineState => state,
  setConnection(connection: Connection): void {
    if (state.connection !== connection) set({ ...state, connection });
  },
  /** A new pop goes first; a second pop of the same call replaces the first. */
  pushPop(pop: ScreenPopEvent): void {
    set({ ...state, pops: [pop, ...state.pops.filter((p) => p.call.id !== pop.call.id)].slice(0, MAX_POPS) });
  },
  /** A call of a pop changed (answered, ended, linked to a customer). */
  updateCall(call: Call): void {
    if (!state.pops.some((p) => p.call.id === call.id)) return;
    set({ ...state, pops: state.pops.map((p) => (p.call.id === call.id && p.call.version <= call.version ? { ...p, call } : p)) });
  },
  dismiss(callId: string): void {
    set({ ...state, pops: state.pops.filter((p) => p.call.id !== callId) });
  },
  /** Signed out: nothing of the last user's calls stays on screen. */
  reset(): void {
    set({ connection: 'connecting', pops: [] });
  },
};

/** The hotline state, re-rendering on every change. */
export function useHotline(): HotlineState {
  return useSyncExternalStore(hotlineStore.subscribe, hotlineStore.get);
}
