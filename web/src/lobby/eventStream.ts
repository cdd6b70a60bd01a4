// The subset of EventSource the lobby uses, so tests can drive a fake.
export interface EventStream {
  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  onerror: ((ev: Event) => void) | null;
  close(): void;
}

export type OpenStream = (url: string) => EventStream;

/** openEventSource opens a same-origin SSE stream; the session and lobby cookies go along. */
export const openEventSource: OpenStream = (url) => new EventSource(url) as unknown as EventStream;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (id) => window.clearTimeout(id as number),
};
