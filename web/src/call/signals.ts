// The data messages meet's clients send each other over LiveKit, on their
// own topic so that they never mix with the chat. They only inform: every
// action they announce was done (and authorised) through the API first.

/** SIGNAL_TOPIC is the LiveKit data topic of meet's client-to-client messages. */
export const SIGNAL_TOPIC = 'meet.signal';

/** REACTIONS are the emoji anyone can float over the call, by id. */
export const REACTIONS = {
  'thumbs-up': '👍',
  applause: '👏',
  laugh: '😂',
  surprise: '😮',
  heart: '❤️',
  celebrate: '🎉',
} as const;

/** ReactionId names one of REACTIONS. */
export type ReactionId = keyof typeof REACTIONS;

/** ModerationAction is what a host (or, when the room allows, anyone) did to a participant. */
export type ModerationAction = 'muted' | 'cameraStopped' | 'screenStopped' | 'handLowered';

/** RoomSettingsSignal carries the room settings a host just saved. */
export interface RoomSettingsSignal {
  type: 'roomSettings';
  access_level: string;
  can_publish_sources: string[];
}

/** Signal is every message of SIGNAL_TOPIC. */
export type Signal =
  | { type: 'reaction'; reaction: ReactionId }
  | { type: 'moderated'; action: ModerationAction }
  | { type: 'recordingRequest' }
  | RoomSettingsSignal;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** encodeSignal serialises a signal for publishData. */
export function encodeSignal(s: Signal): Uint8Array {
  return encoder.encode(JSON.stringify(s));
}

const ACTIONS: readonly string[] = ['muted', 'cameraStopped', 'screenStopped', 'handLowered'];

/**
 * decodeSignal parses a data message of SIGNAL_TOPIC, or returns null for
 * anything malformed or unknown: any participant can send anything.
 */
export function decodeSignal(payload: Uint8Array): Signal | null {
  let m: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(decoder.decode(payload));
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    m = v as Record<string, unknown>;
  } catch {
    return null;
  }
  switch (m.type) {
    case 'reaction':
      return typeof m.reaction === 'string' && Object.hasOwn(REACTIONS, m.reaction) ? { type: 'reaction', reaction: m.reaction as ReactionId } : null;
    case 'moderated':
      return typeof m.action === 'string' && ACTIONS.includes(m.action) ? { type: 'moderated', action: m.action as ModerationAction } : null;
    case 'recordingRequest':
      return { type: 'recordingRequest' };
    case 'roomSettings':
      if (typeof m.access_level !== 'string' || !Array.isArray(m.can_publish_sources)) return null;
      if (!m.can_publish_sources.every((s) => typeof s === 'string')) return null;
      return { type: 'roomSettings', access_level: m.access_level, can_publish_sources: m.can_publish_sources as string[] };
    default:
      return null;
  }
}

/**
 * RateLimiter lets at most `limit` events through in any `windowMs` window
 * (a sliding log). Reactions are limited on the sender's side so that a held
 * key or a frantic click cannot flood everyone's screen.
 */
export class RateLimiter {
  private readonly stamps: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** tryTake records an event and reports whether it was allowed. */
  tryTake(): boolean {
    const t = this.now();
    while (this.stamps.length > 0 && this.stamps[0] <= t - this.windowMs) this.stamps.shift();
    if (this.stamps.length >= this.limit) return false;
    this.stamps.push(t);
    return true;
  }
}
