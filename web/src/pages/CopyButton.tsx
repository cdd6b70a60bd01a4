import { useState } from 'react';
import { useT } from '../i18n/i18n';

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard denied (insecure context): the link stays selectable.
    }
  }
  return (
    <button type="button" className="btn secondary" onClick={copy}>
      {copied ? t('common.copied') : (label ?? t('common.copy'))}
      <span className="visually-hidden" role="status">
        {copied ? t('common.copied') : ''}
      </span>
    </button>
  );
}
