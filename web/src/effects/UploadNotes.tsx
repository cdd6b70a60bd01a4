import { useI18n, useT } from '../i18n/i18n';
import type { BackgroundUploads } from './useBackgroundUploads';
import { uploadVars } from './uploads';

/**
 * UploadNotes say, under the background grid, what may be uploaded, why
 * the last image was refused, when the limit is reached, or that signing
 * in allows adding images.
 */
export function UploadNotes({ uploads }: { uploads: BackgroundUploads }) {
  const t = useT();
  const { lang } = useI18n();
  const { rules } = uploads;
  if (!uploads.signedIn) return <p className="fx-note">{t('bgUpload.signIn')}</p>;
  const vars = uploadVars(rules, lang);
  const full = rules.maxCount > 0 && (uploads.items?.length ?? 0) >= rules.maxCount;
  return (
    <>
      {uploads.problem && (
        <p className="fx-note fx-problem" role="alert" data-testid="background-upload-problem">
          {t(uploads.problem, vars)}
        </p>
      )}
      <p className="fx-note fx-hint">{full ? t('bgUpload.full', vars) : t('bgUpload.hint', vars)}</p>
    </>
  );
}
