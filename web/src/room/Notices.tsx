import type { Notice } from '../call/notices';
import { useT } from '../i18n/i18n';

/** Notices shows the call's short messages at the top of the screen. */
export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }) {
  const t = useT();
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className="notice" data-notice-key={n.key}>
          <span>{n.text}</span>
          {n.action && (
            <button
              type="button"
              className="btn primary small"
              onClick={() => {
                n.action!.run();
                onDismiss(n.id);
              }}
            >
              {n.action.label}
            </button>
          )}
          <button type="button" className="btn icon small" aria-label={t('common.close')} onClick={() => onDismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
