import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { RecordingStatus } from '../api/types';
import { formatDate, formatDuration, parseRecordingsPath, recordingState, unavailableFor } from './view';

describe('parseRecordingsPath', () => {
  it.each([
    ['/recordings', { kind: 'list' }],
    ['/recordings/', { kind: 'list' }],
    ['/recordings/5f0c3b4e-7d0a-4c1e-9a57-1b2c3d4e5f60', { kind: 'detail', id: '5f0c3b4e-7d0a-4c1e-9a57-1b2c3d4e5f60' }],
    ['/recordings/abc/', { kind: 'detail', id: 'abc' }],
    ['/recordings/a%20b', { kind: 'detail', id: 'a b' }],
    ['/abc-defg-hij', null],
    ['/recordings/a/b', null],
    ['/', null],
  ])('%s', (path, want) => expect(parseRecordingsPath(path)).toEqual(want));
});

describe('recordingState', () => {
  const cases: [RecordingStatus, boolean, string][] = [
    ['saved', false, 'ready'],
    ['notification_succeeded', false, 'ready'],
    ['external_process_successful', false, 'ready'],
    ['external_process_failed', false, 'ready'],
    ['initiated', false, 'processing'],
    ['active', false, 'processing'],
    ['stopped', false, 'processing'],
    ['aborted', false, 'failed'],
    ['failed_to_start', false, 'failed'],
    ['failed_to_stop', false, 'failed'],
    ['saved', true, 'expired'],
    ['aborted', true, 'expired'],
  ];
  it.each(cases)('%s (expired: %s) is %s', (status, is_expired, want) => expect(recordingState({ status, is_expired })).toBe(want));
});

describe('unavailableFor', () => {
  it.each([
    [new ApiError(401, 'Authentication credentials were not provided.'), 'signin'],
    [new ApiError(404, 'Not found.'), 'notfound'],
    [new ApiError(403, 'You do not have permission to perform this action.'), 'notfound'],
    [new ApiError(500, 'HTTP 500'), null],
    [new Error('network down'), null],
  ])('%s', (err, want) => expect(unavailableFor(err)).toBe(want));
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [4.6, '0:05'],
    [65, '1:05'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [Infinity, null],
    [NaN, null],
    [-1, null],
  ])('%s s', (s, want) => expect(formatDuration(s)).toBe(want));
});

describe('formatDate', () => {
  it('writes the date in the language asked', () => {
    expect(formatDate('2026-03-04T15:06:00Z', 'en', true, 'UTC')).toBe('March 4, 2026 at 3:06 PM');
    expect(formatDate('2026-03-04T15:06:00Z', 'fr', true, 'UTC')).toBe('4 mars 2026 à 15:06');
    expect(formatDate('2026-03-04T15:06:00Z', 'fr', false, 'UTC')).toBe('4 mars 2026');
  });
  it('leaves a value it cannot read as it is', () => expect(formatDate('soon', 'en')).toBe('soon'));
});
