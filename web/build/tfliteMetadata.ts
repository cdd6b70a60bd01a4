// Adds TFLite metadata to MediaPipe's selfie segmentation model at build time.
//
// The model shipped on npm (@mediapipe/selfie_segmentation, the legacy
// "solution" package) is the same network as the one MediaPipe Tasks
// publishes as selfie_segmenter.tflite, but without the metadata that Tasks'
// ImageSegmenter requires: with a float input and no NormalizationOptions it
// refuses the model ("Input tensor has type float32: it requires specifying
// NormalizationOptions metadata"). No npm package ships the Tasks file, so the
// build adds that metadata here: an RGB image input normalised from [0, 255]
// to [0, 1] (what the legacy graph fed the network) and a one-channel mask out.
//
// A FlatBuffer only points forward (unsigned offsets), so the original model
// is kept byte for byte at the end of the new file and a new root Model table,
// written in front of it, points into it for everything but the buffers and
// metadata vectors, which it rewrites with one entry more each.

/** A field value in a table or vector we write. */
type Value =
  | { t: 'str'; v: string }
  | { t: 'u8'; v: number }
  | { t: 'u32'; v: number }
  | { t: 'table'; v: Table }
  | { t: 'vec'; v: Value[] } // vector of tables or old-content references
  | { t: 'f32s'; v: number[] }
  | { t: 'bytes'; v: Uint8Array }
  | { t: 'old'; v: number }; // a reference to an object at this offset in the original file
/** A table: the value of slot i at index i (undefined: absent). */
type Table = (Value | undefined)[];

const str = (v: string): Value => ({ t: 'str', v });
const u8 = (v: number): Value => ({ t: 'u8', v });
const table = (v: Table): Value => ({ t: 'table', v });
const vec = (v: Value[]): Value => ({ t: 'vec', v });
const f32s = (v: number[]): Value => ({ t: 'f32s', v });

/** Writer lays objects out front to back: a table, then what it points to. */
class Writer {
  buf = new Uint8Array(1 << 16);
  view = new DataView(this.buf.buffer);
  pos: number;
  /** Offsets into the original file, patched once its place is known. */
  olds: { at: number; target: number }[] = [];

  constructor(start: number) {
    this.pos = start;
  }

  private grow(n: number) {
    if (this.pos + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    bigger.set(this.buf);
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }

  align(n: number, extra = 0) {
    while ((this.pos + extra) % n !== 0) this.pos++;
    this.grow(0);
  }

  /** writeValue writes a pointed-to object and returns its position. */
  writeValue(val: Value): number {
    switch (val.t) {
      case 'str': {
        const bytes = new TextEncoder().encode(val.v);
        this.align(4);
        const at = this.pos;
        this.grow(4 + bytes.length + 1);
        this.view.setUint32(at, bytes.length, true);
        this.buf.set(bytes, at + 4);
        this.buf[at + 4 + bytes.length] = 0;
        this.pos = at + 4 + bytes.length + 1;
        return at;
      }
      case 'f32s': {
        this.align(4);
        const at = this.pos;
        this.grow(4 + 4 * val.v.length);
        this.view.setUint32(at, val.v.length, true);
        val.v.forEach((x, i) => this.view.setFloat32(at + 4 + 4 * i, x, true));
        this.pos = at + 4 + 4 * val.v.length;
        return at;
      }
      case 'bytes': {
        // The data itself starts on a 16-byte boundary: it is a FlatBuffer too.
        this.align(16, 4);
        const at = this.pos;
        this.grow(4 + val.v.length);
        this.view.setUint32(at, val.v.length, true);
        this.buf.set(val.v, at + 4);
        this.pos = at + 4 + val.v.length;
        return at;
      }
      case 'vec': {
        this.align(4);
        const at = this.pos;
        this.grow(4 + 4 * val.v.length);
        this.view.setUint32(at, val.v.length, true);
        this.pos = at + 4 + 4 * val.v.length;
        val.v.forEach((el, i) => this.ref(at + 4 + 4 * i, el));
        return at;
      }
      case 'table':
        return this.writeTable(val.v);
      default:
        throw new Error(`tflite metadata: ${val.t} is not an object`);
    }
  }

  /** ref makes the uoffset at `at` point to val, written now (or later, for the original file). */
  private ref(at: number, val: Value) {
    if (val.t === 'old') {
      this.olds.push({ at, target: val.v });
      return;
    }
    const target = this.writeValue(val);
    this.view.setUint32(at, target - at, true);
  }

  writeTable(fields: Table): number {
    // Inline layout: 4-byte fields first, then bytes; the table starts with its vtable offset.
    const slots: { slot: number; size: number; off: number }[] = [];
    let size = 4;
    for (const want of [4, 1]) {
      fields.forEach((f, slot) => {
        if (!f) return;
        const s = f.t === 'u8' ? 1 : 4;
        if (s !== want) return;
        slots.push({ slot, size: s, off: size });
        size += s;
      });
    }
    const inline = size + ((4 - (size % 4)) % 4);
    const vtSize = 4 + 2 * fields.length;
    this.align(2);
    // The table that follows the vtable must be 4-aligned.
    if ((this.pos + vtSize) % 4 !== 0) this.pos += 2;
    const vt = this.pos;
    this.grow(vtSize + inline);
    this.view.setUint16(vt, vtSize, true);
    this.view.setUint16(vt + 2, inline, true);
    for (let i = 0; i < fields.length; i++) this.view.setUint16(vt + 4 + 2 * i, 0, true);
    const tab = vt + vtSize;
    this.view.setInt32(tab, tab - vt, true);
    for (const s of slots) this.view.setUint16(vt + 4 + 2 * s.slot, s.off, true);
    this.buf.fill(0, tab + 4, tab + inline);
    this.pos = tab + inline;
    for (const s of slots) {
      const f = fields[s.slot]!;
      if (f.t === 'u8') this.buf[tab + s.off] = f.v;
      else if (f.t === 'u32') this.view.setUint32(tab + s.off, f.v, true);
      else this.ref(tab + s.off, f);
    }
    return tab;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Reader reads tables of an existing FlatBuffer. */
class Reader {
  view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  root(): number {
    return this.view.getUint32(0, true);
  }
  /** field returns the position of a table's field, or 0 when absent. */
  field(tab: number, slot: number): number {
    const vt = tab - this.view.getInt32(tab, true);
    const vtSize = this.view.getUint16(vt, true);
    if (4 + 2 * slot >= vtSize) return 0;
    const off = this.view.getUint16(vt + 4 + 2 * slot, true);
    return off ? tab + off : 0;
  }
  /** target follows the uoffset stored at pos. */
  target(pos: number): number {
    return pos + this.view.getUint32(pos, true);
  }
  vector(pos: number): number[] {
    const v = this.target(pos);
    const n = this.view.getUint32(v, true);
    return Array.from({ length: n }, (_, i) => this.target(v + 4 + 4 * i));
  }
  string(pos: number): string {
    const s = this.target(pos);
    return new TextDecoder().decode(this.buf.subarray(s + 4, s + 4 + this.view.getUint32(s, true)));
  }
}

/** segmenterMetadata is the ModelMetadata FlatBuffer MediaPipe's ImageSegmenter needs. */
export function segmenterMetadata(): Uint8Array {
  const image = (colorSpace: number) => table([table([u8(2), table([u8(colorSpace)])])]);
  const input: Table = [
    str('input'),
    str('RGB image, values normalised to [0, 1].'),
    undefined,
    image(1), // Content: ImageProperties(RGB)
    vec([table([u8(1), table([f32s([0]), f32s([255])])])]), // ProcessUnit: NormalizationOptions
    table([f32s([1]), f32s([0])]), // Stats: max, min
  ];
  const output: Table = [str('segmentation_masks'), str('Probability that each pixel shows a person.'), undefined, image(2)];
  const model: Table = [
    str('Selfie segmentation'),
    str('MediaPipe selfie segmentation (from @mediapipe/selfie_segmentation), with metadata for MediaPipe Tasks.'),
    undefined,
    vec([table([str('main'), undefined, vec([table(input)]), vec([table(output)])])]),
    undefined,
    str('Apache-2.0'),
    undefined,
    str('1.0.0'),
  ];
  const w = new Writer(8);
  const root = w.writeTable(model);
  const out = w.bytes();
  const view = new DataView(out.buffer);
  view.setUint32(0, root, true);
  out.set(new TextEncoder().encode('M001'), 4);
  return out;
}

/** withMetadata returns the model with `metadata` stored under the name TFLITE_METADATA. */
export function withMetadata(model: Uint8Array, metadata: Uint8Array): Uint8Array {
  const r = new Reader(model);
  if (new TextDecoder().decode(model.subarray(4, 8)) !== 'TFL3') throw new Error('tflite metadata: not a TFLite model');
  const m = r.root();
  const old = (slot: number): Value | undefined => {
    const f = r.field(m, slot);
    return f ? { t: 'old', v: r.target(f) } : undefined;
  };
  const versionAt = r.field(m, 0);
  const buffersAt = r.field(m, 4);
  const metadataAt = r.field(m, 6);
  const buffers = buffersAt ? r.vector(buffersAt) : [];
  const entries = metadataAt ? r.vector(metadataAt) : [];
  for (const e of entries) {
    const name = r.field(e, 0);
    if (name && r.string(name) === 'TFLITE_METADATA') throw new Error('tflite metadata: the model already has metadata');
  }
  const w = new Writer(8);
  const root = w.writeTable([
    { t: 'u32', v: versionAt ? r.view.getUint32(versionAt, true) : 3 },
    old(1),
    old(2),
    old(3),
    vec([...buffers.map((b): Value => ({ t: 'old', v: b })), table([{ t: 'bytes', v: metadata }])]),
    old(5),
    vec([...entries.map((e): Value => ({ t: 'old', v: e })), table([str('TFLITE_METADATA'), { t: 'u32', v: buffers.length }])]),
    old(7),
  ]);
  w.align(64);
  const prefix = w.bytes();
  const base = prefix.length;
  const out = new Uint8Array(base + model.length);
  out.set(prefix);
  out.set(model, base);
  const view = new DataView(out.buffer);
  view.setUint32(0, root, true);
  out.set(new TextEncoder().encode('TFL3'), 4);
  for (const { at, target } of w.olds) view.setUint32(at, base + target - at, true);
  return out;
}

/** metadataNames lists the names of a model's metadata entries (for tests). */
export function metadataNames(model: Uint8Array): string[] {
  const r = new Reader(model);
  const at = r.field(r.root(), 6);
  return at ? r.vector(at).map((e) => r.string(r.field(e, 0))) : [];
}

/** bufferCount is the number of buffers in a model (for tests). */
export function bufferCount(model: Uint8Array): number {
  const r = new Reader(model);
  const at = r.field(r.root(), 4);
  return at ? r.vector(at).length : 0;
}
