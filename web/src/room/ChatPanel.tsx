import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useChat } from '@livekit/components-react';
import { useI18n } from '../i18n/i18n';
import { useCall } from './CallContext';

/**
 * ChatPanel is the call's chat, in our words (LiveKit's prefab has its
 * English placeholder and button built in). It stays mounted while closed:
 * messages arriving then raise the unread count and a short notice.
 */
export function ChatPanel({
  open,
  onOpen,
  onUnread,
  onMessage,
}: {
  open: boolean;
  onOpen: () => void;
  onUnread?: (n: number) => void;
  /** onMessage is called when a message from someone else arrives. */
  onMessage?: () => void;
}) {
  const { t, lang } = useI18n();
  const call = useCall();
  const { send, chatMessages, isSending } = useChat();
  const [text, setText] = useState('');
  const seen = useRef(0);
  const heard = useRef(0);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    // A sound for a new message from someone else while the chat is closed.
    const newest = chatMessages.at(-1);
    if (!open && newest && chatMessages.length > heard.current && !newest.from?.isLocal) onMessage?.();
    heard.current = chatMessages.length;
    if (open) {
      seen.current = chatMessages.length;
      onUnread?.(0);
      list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
      return;
    }
    const fresh = chatMessages.slice(seen.current).filter((m) => !m.from?.isLocal);
    onUnread?.(fresh.length);
    const last = fresh.at(-1);
    if (last && fresh.length > 0 && chatMessages.length > 0 && last === chatMessages.at(-1)) {
      const name = last.from?.name || last.from?.identity || '';
      const body = last.message.length > 80 ? `${last.message.slice(0, 80)}…` : last.message;
      call.notify({ text: t('chat.toast', { name, message: body }), key: 'chat', action: { label: t('chat.open'), run: onOpen } });
    }
    // Only new messages and opening matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chatMessages.length, open]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const msg = text.trim();
    if (!msg || !send) return;
    await send(msg);
    setText('');
  }

  return (
    <div className="chat">
      {chatMessages.length === 0 ? (
        <p className="muted small chat-empty">{t('chat.empty')}</p>
      ) : (
        <ul className="chat-messages" ref={list}>
          {chatMessages.map((m) => (
            <li key={m.id} className="chat-entry" data-origin={m.from?.isLocal ? 'local' : 'remote'}>
              <span className="chat-meta">
                <strong>{m.from?.isLocal ? t('chat.you') : m.from?.name || m.from?.identity}</strong>{' '}
                <time className="muted small">{new Date(m.timestamp).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' })}</time>
              </span>
              <span className="chat-text">{m.message}</span>
            </li>
          ))}
        </ul>
      )}
      <form className="chat-form" onSubmit={(e) => void submit(e)}>
        <input
          type="text"
          value={text}
          maxLength={2000}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.placeholder')}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn primary small" disabled={isSending || text.trim() === ''}>
          {t('chat.send')}
        </button>
      </form>
    </div>
  );
}
