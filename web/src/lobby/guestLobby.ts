// The guest side of the lobby as a small state machine, free of React so it
// can be tested with fake streams and timers.
//
// idle → requesting → waiting (stream | polling) → accepted | denied | timeout
//                   ↘ error (the first request failed)
// The push stream is preferred; if it fails we fall back to POSTing
// request-entry every second, which is also how La Suite Meet's lobby works.
import type { EntryRequest, LiveKitCredentials } from '../api/types';
import type { EventStream, OpenStream, Timers } from './eventStream';

export type LobbyState =
  | { phase: 'idle' }
  | { phase: 'requesting' }
  | { phase: 'waiting'; transport: 'stream' | 'polling'; request: EntryRequest }
  | { phase: 'accepted'; livekit: LiveKitCredentials }
  | { phase: 'denied' }
  | { phase: 'timeout' }
  | { phase: 'error'; message: string };

export interface GuestLobbyDeps {
  requestEntry: (roomId: string, username: string) => Promise<EntryRequest>;
  streamUrl: (roomId: string, username: string) => string;
  openStream: OpenStream;
  timers: Timers;
  pollMs?: number;
  /** Give up waiting after this long; La Suite Meet uses 10 minutes. */
  timeoutMs?: number;
}

export class GuestLobby {
  private state: LobbyState = { phase: 'idle' };
  private stream: EventStream | null = null;
  private pollTimer: unknown = null;
  private deadline: unknown = null;
  private stopped = false;
  private readonly pollMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly roomId: string,
    private readonly username: string,
    private readonly deps: GuestLobbyDeps,
    private readonly onChange: (s: LobbyState) => void,
  ) {
    this.pollMs = deps.pollMs ?? 1000;
    this.timeoutMs = deps.timeoutMs ?? 10 * 60 * 1000;
  }

  get current(): LobbyState {
    return this.state;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.set({ phase: 'requesting' });
    this.deadline = this.deps.timers.setTimeout(() => this.finish({ phase: 'timeout' }), this.timeoutMs);
    let first: EntryRequest;
    try {
      first = await this.deps.requestEntry(this.roomId, this.username);
    } catch (err) {
      this.finish({ phase: 'error', message: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (this.stopped) return;
    if (this.apply(first, 'stream')) return;
    this.openStream();
  }

  /** stop releases the stream and timers; the machine stays in its last state. */
  stop(): void {
    this.stopped = true;
    this.stream?.close();
    this.stream = null;
    if (this.pollTimer !== null) this.deps.timers.clearTimeout(this.pollTimer);
    if (this.deadline !== null) this.deps.timers.clearTimeout(this.deadline);
    this.pollTimer = null;
    this.deadline = null;
  }

  private set(s: LobbyState) {
    this.state = s;
    this.onChange(s);
  }

  private finish(s: LobbyState) {
    if (this.stopped) return;
    this.stop();
    this.set(s);
  }

  /** apply moves to the state a server answer implies and reports whether waiting is over. */
  private apply(req: EntryRequest, transport: 'stream' | 'polling'): boolean {
    if (this.stopped) return true;
    if (req.status === 'denied') {
      this.finish({ phase: 'denied' });
      return true;
    }
    if (req.status === 'accepted' && req.livekit) {
      this.finish({ phase: 'accepted', livekit: req.livekit });
      return true;
    }
    if (req.status === 'accepted') {
      // Accepted without credentials (a stream event that omitted them):
      // one more request-entry returns them. While polling, the next tick does.
      if (transport === 'stream') void this.pollOnce();
      return false;
    }
    this.set({ phase: 'waiting', transport, request: req });
    return false;
  }

  private openStream() {
    let stream: EventStream;
    try {
      stream = this.deps.openStream(this.deps.streamUrl(this.roomId, this.username));
    } catch {
      this.startPolling();
      return;
    }
    this.stream = stream;
    stream.addEventListener('status', (ev) => {
      let req: EntryRequest;
      try {
        req = JSON.parse(ev.data) as EntryRequest;
      } catch {
        return;
      }
      this.apply(req, 'stream');
    });
    stream.onerror = () => {
      // EventSource would retry on its own, but an error may equally mean the
      // endpoint is missing or a proxy buffers it: polling always works.
      if (this.stream !== stream) return;
      stream.close();
      this.stream = null;
      this.startPolling();
    };
  }

  private startPolling() {
    if (this.stopped) return;
    if (this.state.phase === 'waiting') this.set({ ...this.state, transport: 'polling' });
    this.schedulePoll();
  }

  private schedulePoll() {
    if (this.stopped || this.pollTimer !== null) return;
    this.pollTimer = this.deps.timers.setTimeout(async () => {
      this.pollTimer = null;
      await this.pollOnce();
      this.schedulePoll();
    }, this.pollMs);
  }

  private async pollOnce() {
    try {
      const req = await this.deps.requestEntry(this.roomId, this.username);
      this.apply(req, 'polling');
    } catch {
      // A failed poll is retried on the next tick; the deadline bounds it.
    }
  }
}
