// The host side of the lobby: who is waiting, pushed by the server's SSE
// stream, with polling as the fallback. Free of React for testing.
import type { WaitingParticipant } from '../api/types';
import type { EventStream, OpenStream, Timers } from './eventStream';

export interface WaitingListDeps {
  list: (roomId: string) => Promise<{ participants: WaitingParticipant[] }>;
  decide: (roomId: string, participantId: string, allow: boolean) => Promise<unknown>;
  streamUrl: (roomId: string) => string;
  openStream: OpenStream;
  timers: Timers;
  /** Poll interval while someone waits (La Suite Meet: 1 s). */
  busyPollMs?: number;
  /** Poll interval while the lobby is empty; a participantWaiting data message refreshes sooner. */
  idlePollMs?: number;
}

export interface WaitingListState {
  participants: WaitingParticipant[];
  transport: 'stream' | 'polling';
}

export class WaitingList {
  private participants: WaitingParticipant[] = [];
  private transport: 'stream' | 'polling' = 'stream';
  private stream: EventStream | null = null;
  private timer: unknown = null;
  private stopped = true;
  private seen = new Set<string>();
  private readonly busyPollMs: number;
  private readonly idlePollMs: number;

  constructor(
    private readonly roomId: string,
    private readonly deps: WaitingListDeps,
    private readonly onChange: (s: WaitingListState) => void,
    /** onKnock gets the participants that were not waiting before. */
    private readonly onKnock: (newcomers: WaitingParticipant[]) => void = () => {},
  ) {
    this.busyPollMs = deps.busyPollMs ?? 1000;
    this.idlePollMs = deps.idlePollMs ?? 3000;
  }

  start(): void {
    this.stopped = false;
    void this.refresh();
    try {
      const stream = this.deps.openStream(this.deps.streamUrl(this.roomId));
      this.stream = stream;
      stream.addEventListener('participants', (ev) => {
        try {
          const data = JSON.parse(ev.data) as { participants?: WaitingParticipant[] };
          this.update(data.participants ?? []);
        } catch {
          // Ignore a malformed event; the next one replaces the whole list.
        }
      });
      stream.onerror = () => {
        if (this.stream !== stream) return;
        stream.close();
        this.stream = null;
        this.fallBackToPolling();
      };
    } catch {
      this.fallBackToPolling();
    }
  }

  stop(): void {
    this.stopped = true;
    this.stream?.close();
    this.stream = null;
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** refresh fetches the list now (on start, and when a participantWaiting message arrives). */
  async refresh(): Promise<void> {
    try {
      const res = await this.deps.list(this.roomId);
      if (!this.stopped) this.update(res.participants ?? []);
    } catch {
      // Transient; the stream or the next poll brings the list.
    }
  }

  async decide(participantId: string, allow: boolean): Promise<void> {
    await this.deps.decide(this.roomId, participantId, allow);
    this.update(this.participants.filter((p) => p.id !== participantId));
  }

  async admitAll(): Promise<void> {
    const ids = this.participants.map((p) => p.id);
    await Promise.allSettled(ids.map((id) => this.deps.decide(this.roomId, id, true)));
    this.update(this.participants.filter((p) => !ids.includes(p.id)));
  }

  private update(list: WaitingParticipant[]) {
    const waiting = list.filter((p) => p.status === 'waiting' || p.status === undefined);
    const newcomers = waiting.filter((p) => !this.seen.has(p.id));
    for (const p of newcomers) this.seen.add(p.id);
    this.participants = waiting;
    this.onChange({ participants: waiting, transport: this.transport });
    if (newcomers.length > 0) this.onKnock(newcomers);
  }

  private fallBackToPolling() {
    if (this.stopped) return;
    this.transport = 'polling';
    this.onChange({ participants: this.participants, transport: 'polling' });
    this.schedule();
  }

  private schedule() {
    if (this.stopped || this.timer !== null) return;
    const ms = this.participants.length > 0 ? this.busyPollMs : this.idlePollMs;
    this.timer = this.deps.timers.setTimeout(async () => {
      this.timer = null;
      await this.refresh();
      this.schedule();
    }, ms);
  }
}
