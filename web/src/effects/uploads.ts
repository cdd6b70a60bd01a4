// Uploaded virtual backgrounds, without React: the rules config/ gives, the
// checks made before a file is sent (the server makes them again, on the
// bytes), and the plain-words reason of a refusal.
import { ApiError } from '../api/client';
import type { AppConfig } from '../api/types';
import type { MessageKey } from '../i18n/dict';
import type { VideoEffect } from './choices';

/** UploadRules are config/'s background_image rules; null: uploads are off. */
export interface UploadRules {
  maxSize: number;
  maxCount: number;
  /** Lower case, with their dot: ".png". */
  extensions: string[];
  mimetypes: string[];
}

/** uploadRules reads the rules from config/, or null when uploads are off. */
export function uploadRules(config: AppConfig | null): UploadRules | null {
  const b = config?.background_image;
  if (!b?.upload_is_enabled) return null;
  return {
    maxSize: b.max_size ?? 0,
    maxCount: b.max_count_by_user ?? 0,
    extensions: (b.allowed_extensions ?? []).map((e) => e.toLowerCase()),
    mimetypes: b.allowed_mimetypes ?? [],
  };
}

/** acceptAttribute is the file input's accept list: the extensions and types allowed. */
export function acceptAttribute(rules: UploadRules): string {
  return [...rules.extensions, ...rules.mimetypes].join(',');
}

/** formatList names the allowed formats for people: "JPEG, JPG, PNG". */
export function formatList(rules: UploadRules): string {
  return rules.extensions.map((e) => e.slice(1).toUpperCase()).join(', ');
}

/**
 * mediaPath is where an uploaded image loads from on this page's origin
 * (the server writes absolute URLs with its public address, which a proxy
 * may present under another name), or null for anything that is not one
 * of meet's media files.
 */
export function mediaPath(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url, window.location.href);
    return u.pathname.startsWith('/media/files/') ? u.pathname : null;
  } catch {
    return null;
  }
}

/** UploadProblem is why an image was not added, as a message key and its values. */
export interface UploadProblem {
  key: MessageKey;
  vars?: Record<string, string | number>;
}

/** megabytes writes a size for people: "2 MB", "1.5 MB", "500 KB". */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number((Math.round(mb * 10) / 10).toFixed(1))} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * checkFile refuses before sending what the server would refuse anyway:
 * an empty file, a file over the size limit, an extension or a type not
 * allowed. null: send it (the server still checks the content).
 */
export function checkFile(file: Pick<File, 'name' | 'size' | 'type'>, rules: UploadRules): UploadProblem | null {
  const dot = file.name.lastIndexOf('.');
  const ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : '';
  const formats = formatList(rules);
  if (rules.extensions.length > 0 && !rules.extensions.includes(ext)) return { key: 'bgUpload.badType', vars: { formats } };
  if (file.type && rules.mimetypes.length > 0 && !rules.mimetypes.includes(file.type)) return { key: 'bgUpload.badType', vars: { formats } };
  if (file.size === 0) return { key: 'bgUpload.empty' };
  if (rules.maxSize > 0 && file.size > rules.maxSize) return { key: 'bgUpload.tooBig', vars: { max: megabytes(rules.maxSize) } };
  return null;
}

// The server's messages (the reference's, in English) and what a person is told.
const SERVER_MESSAGES: [RegExp, MessageKey][] = [
  [/maximum number of files/i, 'bgUpload.tooMany'],
  [/size is higher/i, 'bgUpload.tooBig'],
  [/extension is not allowed|file type is not allowed/i, 'bgUpload.badType'],
  [/not a valid image|does not match its extension/i, 'bgUpload.notImage'],
  [/is empty/i, 'bgUpload.empty'],
];

/** refusal turns a failed upload into what the person is told. */
export function refusal(err: unknown, rules: UploadRules): UploadProblem {
  const vars = { max: megabytes(rules.maxSize), count: rules.maxCount, formats: formatList(rules) };
  if (err instanceof ApiError) {
    const messages = [err.message, ...Object.values(err.fields).flat()];
    for (const [re, key] of SERVER_MESSAGES) if (messages.some((m) => re.test(m))) return { key, vars };
    if (err.status === 429) return { key: 'bgUpload.slowDown' };
  }
  return { key: 'bgUpload.failed' };
}

/**
 * uploadGone reports whether the chosen background is an uploaded image
 * that is not there any more — deleted, uploads turned off, signed out —
 * so that the camera goes back to no effect. `list` is undefined while it
 * loads: nothing is decided yet.
 */
export function uploadGone(video: VideoEffect, list: readonly { id: string }[] | undefined, enabled: boolean): boolean {
  if (video.kind !== 'upload') return false;
  if (!enabled) return true;
  if (list === undefined) return false;
  return !list.some((f) => f.id === video.id);
}
