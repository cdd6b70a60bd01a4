import { useT } from '../i18n/i18n';
import type { BackgroundUploads } from './useBackgroundUploads';
import { formatList, megabytes } from './uploads';

/**
 * UploadNotes say, under the background grid, what may be uploaded, why
 * the last image was refused, when the limit is reached, or that signing
 * in allows adding images.
 */
export function UploadNotes({ uploads }: { uploads: BackgroundUploads }) {
  const t = useT();
  const { rules } = uploads;
  if (!uploads.signedIn) return <p className="fx-note">{t('bgUpload.signIn')}</p>;
  const formats = formatList(rules);
  const full = rules.maxCount > 0 && (uploads.items?.length ?? 0) >= rules.maxCount;
  return (
    <>
      {uploads.problem && (
        <p className="fx-note fx-problem" role="alert" data-testid="background-upload-problem">
          {t(uploads.problem.key, uploads.problem.vars)}
        </p>
      )}
      <p className="fx-note fx-hint">{full ? t('bgUpload.full', { count: rules.maxCount }) : t('bgUpload.hint', { formats, max: megabytes(rules.maxSize) })}</p>
    </>
  );
}
