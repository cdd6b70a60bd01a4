import { useEffect, useRef, useState } from 'react';
import { useLocalParticipant } from '@livekit/components-react';
import { toggleHand } from '../api/incall';
import { isHandRaised } from '../call/hands';
import { RateLimiter, REACTIONS, type ReactionId } from '../call/signals';
import { useT } from '../i18n/i18n';
import { useCall } from './CallContext';
import { Icon } from './icons';
import { useParticipantTick } from './participantState';

/** isHandShortcut reports whether a key press is the raise-hand shortcut (Ctrl+Alt+H). */
export function isHandShortcut(e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'altKey' | 'metaKey'>): boolean {
  return e.ctrlKey && e.altKey && !e.metaKey && (e.code === 'KeyH' || e.key.toLowerCase() === 'h');
}

/** HandButton raises or lowers the local hand, also with Ctrl+Alt+H. */
export function HandButton() {
  const t = useT();
  const call = useCall();
  const { localParticipant } = useLocalParticipant();
  useParticipantTick(localParticipant);
  const raised = isHandRaised(localParticipant);
  const [busy, setBusy] = useState(false);
  const latest = useRef({ raised, busy });

  async function toggle() {
    if (!call.roomId || latest.current.busy) return;
    setBusy(true);
    try {
      await toggleHand(call.roomId, call.token, !latest.current.raised);
    } catch (err) {
      call.notify({ text: t('hand.failed', { message: err instanceof Error ? err.message : String(err) }), key: 'hand' });
    } finally {
      setBusy(false);
    }
  }
  const toggleRef = useRef(toggle);
  useEffect(() => {
    latest.current = { raised, busy };
    toggleRef.current = toggle;
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isHandShortcut(e)) return;
      e.preventDefault();
      void toggleRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (!call.roomId) return null;
  const label = raised ? t('hand.lower') : t('hand.raise');
  return (
    <button
      type="button"
      className="lk-button hand-button"
      aria-pressed={raised}
      aria-keyshortcuts="Control+Alt+H"
      title={`${label} (${t('hand.shortcut')})`}
      aria-label={label}
      disabled={busy}
      onClick={() => void toggle()}
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

/** ReactionsButton opens the emoji picker; sends are rate-limited (3 per 2 s). */
export function ReactionsButton({ onSent }: { onSent: (r: ReactionId) => void }) {
  const t = useT();
  const call = useCall();
  const [open, setOpen] = useState(false);
  const [limiter] = useState(() => new RateLimiter(3, 2000));
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

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
      <button type="button" className="lk-button" aria-expanded={open} aria-haspopup="true" aria-label={t('react.button')} title={t('react.button')} onClick={() => setOpen((o) => !o)}>
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
