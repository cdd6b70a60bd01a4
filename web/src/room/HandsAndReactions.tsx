import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocalParticipant } from '@livekit/components-react';
import { toggleHand } from '../api/incall';
import { isHandRaised } from '../call/hands';
import { RateLimiter, REACTIONS, type ReactionId } from '../call/signals';
import { useT } from '../i18n/i18n';
import { useCall, type CallApi } from './CallContext';
import { Icon } from './icons';
import { useParticipantTick } from './participantState';
import { usePopup } from './usePopup';

/** Hand is the local raised hand and how to toggle it. */
export interface Hand {
  /** Whether the call has a hand to raise (rooms that are not stored have no in-call API). */
  available: boolean;
  raised: boolean;
  busy: boolean;
  toggle: () => void;
}

/**
 * useHand follows the local hand; toggle raises or lowers it through the
 * server. It takes the call's API as an argument: the conference view that
 * provides CallContext uses it too.
 */
export function useHand(call: Pick<CallApi, 'roomId' | 'token' | 'notify'>): Hand {
  const t = useT();
  const { localParticipant } = useLocalParticipant();
  useParticipantTick(localParticipant);
  const raised = isHandRaised(localParticipant);
  const [busy, setBusy] = useState(false);
  const latest = useRef({ raised, busy });
  useEffect(() => {
    latest.current = { raised, busy };
  }, [raised, busy]);
  const { roomId, token, notify } = call;

  const toggle = useCallback(() => {
    if (!roomId || latest.current.busy) return;
    latest.current.busy = true;
    setBusy(true);
    toggleHand(roomId, token, !latest.current.raised)
      .catch((err: unknown) => notify({ text: t('hand.failed', { message: err instanceof Error ? err.message : String(err) }), key: 'hand' }))
      .finally(() => setBusy(false));
  }, [roomId, token, notify, t]);

  return { available: roomId !== null, raised, busy, toggle };
}

/** HandButton raises or lowers the local hand (also Ctrl+Alt+H, see the call's shortcuts). */
export function HandButton({ hand, keys }: { hand: Hand; keys: string }) {
  const t = useT();
  if (!hand.available) return null;
  const label = hand.raised ? t('hand.lower') : t('hand.raise');
  return (
    <button
      type="button"
      className="lk-button hand-button"
      aria-pressed={hand.raised}
      aria-keyshortcuts={keys}
      title={`${label} (${t('hand.shortcut')})`}
      aria-label={label}
      disabled={hand.busy}
      onClick={hand.toggle}
      data-testid="hand-toggle"
    >
      <Icon name="hand" />
      <span className="label">{label}</span>
    </button>
  );
}

/** FloatingReaction is one emoji rising over the call. */
export interface FloatingReaction {
  id: number;
  reaction: ReactionId;
  name: string;
  /** Horizontal position, percent of the stage width. */
  left: number;
}

/**
 * ReactionsButton opens the emoji picker (its open state belongs to the
 * caller, so that a shortcut can open it too); sends are rate-limited (3 per
 * 2 s). Opened, focus goes to the first emoji; Escape closes it and focus
 * goes back to the button.
 */
export function ReactionsButton({ onSent, open, onOpenChange }: { onSent: (r: ReactionId) => void; open: boolean; onOpenChange: (open: boolean) => void }) {
  const t = useT();
  const call = useCall();
  const [limiter] = useState(() => new RateLimiter(3, 2000));
  const { root, button } = usePopup(open, () => onOpenChange(false), {
    focusFirst: '.reaction-picker button',
    roving: { selector: '.reaction-picker button', orientation: 'horizontal' },
  });

  function send(r: ReactionId) {
    if (!limiter.tryTake()) {
      call.notify({ text: t('react.slowDown'), key: 'react-slow' });
      return;
    }
    call.send({ type: 'reaction', reaction: r });
    onSent(r);
  }

  return (
    <div className="reactions" ref={root}>
      <button
        ref={button}
        type="button"
        className="lk-button"
        aria-expanded={open}
        aria-haspopup="true"
        aria-label={t('react.button')}
        title={t('react.button')}
        onClick={() => onOpenChange(!open)}
        data-testid="reactions-toggle"
      >
        <Icon name="smile" />
        <span className="label">{t('react.button')}</span>
      </button>
      {open && (
        <div className="reaction-picker" role="group" aria-label={t('react.button')}>
          {(Object.keys(REACTIONS) as ReactionId[]).map((r) => (
            <button key={r} type="button" aria-label={t(`react.${r}`)} title={t(`react.${r}`)} onClick={() => send(r)}>
              {REACTIONS[r]}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** ReactionsOverlay floats the reactions over the stage; each removes itself when its animation ends. */
export function ReactionsOverlay({ items, onDone }: { items: FloatingReaction[]; onDone: (id: number) => void }) {
  const t = useT();
  return (
    <div className="reactions-overlay" aria-live="polite">
      {items.map((r) => (
        <div key={r.id} className="floating-reaction" style={{ left: `${r.left}%` }} onAnimationEnd={() => onDone(r.id)} data-reaction={r.reaction}>
          <span className="emoji" role="img" aria-label={t(`react.${r.reaction}`)}>
            {REACTIONS[r.reaction]}
          </span>
          <span className="who">{r.name}</span>
        </div>
      ))}
    </div>
  );
}
