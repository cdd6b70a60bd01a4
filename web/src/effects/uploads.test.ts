// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { parseEffects } from './choices';
import { acceptAttribute, checkFile, formatList, mediaPath, megabytes, refusal, uploadGone, uploadRules, type UploadRules } from './uploads';

const rules: UploadRules = { maxSize: 2 * 1024 * 1024, maxCount: 3, extensions: ['.jpeg', '.jpg', '.png'], mimetypes: ['image/jpeg', 'image/png'] };
const here = window.location.origin;

describe('uploadRules', () => {
  it('is null while config/ loads or when uploads are off', () => {
    expect(uploadRules(null)).toBeNull();
    expect(uploadRules({ background_image: { upload_is_enabled: false, max_size: 5 } })).toBeNull();
  });

  it('reads the limits, extensions in lower case', () => {
    const r = uploadRules({ background_image: { upload_is_enabled: true, max_size: 10, max_count_by_user: 2, allowed_extensions: ['.PNG'], allowed_mimetypes: ['image/png'] } });
    expect(r).toEqual({ maxSize: 10, maxCount: 2, extensions: ['.png'], mimetypes: ['image/png'] });
    expect(acceptAttribute(r!)).toBe('.png,image/png');
    expect(formatList(rules)).toBe('JPEG, JPG, PNG');
  });

  it('writes sizes for people', () => {
    expect([2 * 1024 * 1024, 1.5 * 1024 * 1024, 10 * 1024 * 1024 + 1, 500 * 1024, 1000, 10].map(megabytes)).toEqual(['2 MB', '1.5 MB', '10 MB', '500 KB', '1 KB', '1 KB']);
  });
});

describe('checkFile', () => {
  it('lets an allowed image through', () => {
    expect(checkFile({ name: 'Beach.PNG', size: 100, type: 'image/png' }, rules)).toBeNull();
    // Some systems give no type: the extension decides, the server checks the bytes.
    expect(checkFile({ name: 'beach.jpg', size: 100, type: '' }, rules)).toBeNull();
  });

  it('refuses another extension or type, an empty file and one over the size, saying the limit', () => {
    expect(checkFile({ name: 'notes.txt', size: 100, type: 'text/plain' }, rules)).toEqual({ key: 'bgUpload.badType', vars: { formats: 'JPEG, JPG, PNG' } });
    expect(checkFile({ name: 'anim.png', size: 100, type: 'image/gif' }, rules)?.key).toBe('bgUpload.badType');
    expect(checkFile({ name: 'noext', size: 100, type: 'image/png' }, rules)?.key).toBe('bgUpload.badType');
    expect(checkFile({ name: 'a.png', size: 0, type: 'image/png' }, rules)).toEqual({ key: 'bgUpload.empty' });
    expect(checkFile({ name: 'a.png', size: rules.maxSize + 1, type: 'image/png' }, rules)).toEqual({ key: 'bgUpload.tooBig', vars: { max: '2 MB' } });
    expect(checkFile({ name: 'a.png', size: rules.maxSize, type: 'image/png' }, rules)).toBeNull();
  });
});

describe('refusal', () => {
  const vars = { max: '2 MB', count: 3, formats: 'JPEG, JPG, PNG' };
  it.each([
    [new ApiError(400, 'The file is not a valid image.', { file: ['The file is not a valid image.'] }), 'bgUpload.notImage'],
    [new ApiError(400, 'The file content does not match its extension.', { file: ['The file content does not match its extension.'] }), 'bgUpload.notImage'],
    [new ApiError(400, 'You have reached the maximum number of files for this type.', { type: ['You have reached the maximum number of files for this type.'] }), 'bgUpload.tooMany'],
    [new ApiError(400, 'The file size is higher than the allowed max size.', { file: ['The file size is higher than the allowed max size.'] }), 'bgUpload.tooBig'],
    [new ApiError(400, 'This file extension is not allowed.', { filename: ['This file extension is not allowed.'] }), 'bgUpload.badType'],
    [new ApiError(400, 'The submitted file is empty.', { file: ['The submitted file is empty.'] }), 'bgUpload.empty'],
  ])('names the reason the server gave: %s', (err, key) => {
    expect(refusal(err, rules)).toEqual({ key, vars });
  });

  it('asks to wait after a 429 and says "try again" for anything else', () => {
    expect(refusal(new ApiError(429, 'Request was throttled.'), rules)).toEqual({ key: 'bgUpload.slowDown' });
    expect(refusal(new ApiError(500, 'HTTP 500'), rules)).toEqual({ key: 'bgUpload.failed' });
    expect(refusal(new TypeError('Failed to fetch'), rules)).toEqual({ key: 'bgUpload.failed' });
  });
});

describe('uploaded backgrounds as a choice', () => {
  it('keeps a stored upload of this origin and refuses any other address', () => {
    const video = { kind: 'upload', id: 'f1', url: '/media/files/f1.png' };
    expect(parseEffects(JSON.stringify({ video }), []).video).toEqual(video);
    expect(parseEffects(JSON.stringify({ video: { ...video, url: `${here}/media/files/f1.png` } }), []).video).toEqual({ ...video, url: `${here}/media/files/f1.png` });
    for (const url of ['https://evil.example/media/files/f1.png', '/api/v1.0/users/me/', '/media/recordings/r.mp4', 'javascript:alert(1)', '']) {
      expect(parseEffects(JSON.stringify({ video: { ...video, url } }), []).video).toEqual({ kind: 'none' });
    }
    expect(parseEffects(JSON.stringify({ video: { kind: 'upload', id: '', url: '/media/files/f1.png' } }), []).video).toEqual({ kind: 'none' });
  });

  it('loads from this origin whatever address the server wrote', () => {
    expect(mediaPath('http://meet.internal:8080/media/files/f1.png')).toBe('/media/files/f1.png');
    expect(mediaPath('/media/files/f1.png')).toBe('/media/files/f1.png');
    expect(mediaPath('https://cdn.example/other/f1.png')).toBeNull();
    expect(mediaPath(null)).toBeNull();
  });

  it('is dropped when the image is gone, uploads are off or the person signed out; undecided while the list loads', () => {
    const chosen = { kind: 'upload' as const, id: 'f1', url: '/media/files/f1.png' };
    expect(uploadGone(chosen, [{ id: 'f1' }], true)).toBe(false);
    expect(uploadGone(chosen, [{ id: 'f2' }], true)).toBe(true);
    expect(uploadGone(chosen, undefined, true)).toBe(false);
    expect(uploadGone(chosen, undefined, false)).toBe(true);
    expect(uploadGone({ kind: 'image', id: 'sea' }, [], true)).toBe(false);
  });
});
