import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bufferCount, metadataNames, segmenterMetadata, withMetadata } from './tfliteMetadata';

const require = createRequire(import.meta.url);
const model = new Uint8Array(readFileSync(require.resolve('@mediapipe/selfie_segmentation/selfie_segmentation_landscape.tflite')));

describe('withMetadata', () => {
  it('adds a TFLITE_METADATA entry pointing at a new buffer holding the metadata', () => {
    const meta = segmenterMetadata();
    const out = withMetadata(model, meta);
    expect(new TextDecoder().decode(out.subarray(4, 8))).toBe('TFL3');
    const before = metadataNames(model);
    expect(metadataNames(out)).toEqual([...before, 'TFLITE_METADATA']);
    expect(bufferCount(out)).toBe(bufferCount(model) + 1);
    // The original model is kept whole, 64-byte aligned, at the end.
    expect((out.length - model.length) % 64).toBe(0);
    expect(Buffer.compare(out.subarray(out.length - model.length), model)).toBe(0);
    // The metadata bytes are in the file, 16-byte aligned.
    const at = indexOf(out, meta);
    expect(at).toBeGreaterThan(0);
    expect(at % 16).toBe(0);
  });

  it('refuses a model that already has metadata and a file that is not a model', () => {
    const once = withMetadata(model, segmenterMetadata());
    expect(() => withMetadata(once, segmenterMetadata())).toThrow(/already has metadata/);
    expect(() => withMetadata(new Uint8Array(64), segmenterMetadata())).toThrow(/not a TFLite model/);
  });

  it('writes a ModelMetadata buffer with its file identifier and the normalisation values', () => {
    const meta = segmenterMetadata();
    expect(new TextDecoder().decode(meta.subarray(4, 8))).toBe('M001');
    // 255 as a little-endian float32 is the std of the normalisation: [0, 255] → [0, 1].
    expect(indexOf(meta, new Uint8Array(new Float32Array([255]).buffer))).toBeGreaterThan(0);
    expect(new TextDecoder().decode(meta)).toContain('1.0.0');
  });
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.length).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.length));
}

