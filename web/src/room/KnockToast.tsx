import type { WaitingParticipant } from '../api/types';
import { useT } from '../i18n/i18n';

interface Props {
  newcomers: WaitingParticipant[];
  onAdmit: (id: string) => void;
  onView: () => void;
  onDismiss: () => void;
}

/** KnockToast tells hosts that someone asked to join, with a shortcut to admit them. */
export function KnockToast({ newcomers, onAdmit, onView, onDismiss }: Props) {
  const t = useT();
  const one = newcomers.length === 1 ? newcomers[0] : undefined;
  return (
    <div className="knock-toast" role="status" aria-live="polite">
      <p>{one ? t('conf.knock', { name: one.username }) : t('conf.knockMany', { count: newcomers.length })}</p>
      <div className="row">
        {one && (
          <button type="button" className="btn primary" onClick={() => onAdmit(one.id)}>
            {t('participants.admit')}
          </button>
        )}
        <button type="button" className="btn secondary" onClick={onView}>
          {t('conf.view')}
        </button>
        <button type="button" className="btn icon" onClick={onDismiss} aria-label={t('common.close')}>
          ×
        </button>
      </div>
    </div>
  );
}
