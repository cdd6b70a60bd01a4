// A Vite plugin that serves the background effects' runtime files from meet
// itself: MediaPipe Tasks' vision wasm (and its loader) and the segmentation
// model, which @livekit/track-processors would otherwise fetch from CDNs.
// The app imports their URLs from the virtual module "virtual:effects-assets".
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { segmenterMetadata, withMetadata } from './tfliteMetadata.ts';

const require = createRequire(import.meta.url);
const VIRTUAL = 'virtual:effects-assets';
const RESOLVED = '\0' + VIRTUAL;

// Only the SIMD build of the wasm is shipped (9 MB; every browser that runs
// the effects has wasm SIMD): the app checks for SIMD before offering effects.
const WASM_FILES = ['vision_wasm_internal.js', 'vision_wasm_internal.wasm'];

interface Asset {
  /** URL path under the site root, without the leading slash. */
  path: string;
  source: () => Uint8Array;
}

function assets(): { visionBase: string; modelPath: string; files: Asset[] } {
  const visionPkg = dirname(require.resolve('@mediapipe/tasks-vision'));
  const visionVersion = (JSON.parse(readFileSync(join(visionPkg, 'package.json'), 'utf8')) as { version: string }).version;
  // Names under assets/ are served with a long cache life: the version or a hash is in each path.
  const visionBase = `assets/tasks-vision-${visionVersion}`;
  const selfiePkg = dirname(require.resolve('@mediapipe/selfie_segmentation'));
  let model: Uint8Array | undefined;
  const modelBytes = () => (model ??= withMetadata(readFileSync(join(selfiePkg, 'selfie_segmentation_landscape.tflite')), segmenterMetadata()));
  const hash = createHash('sha256').update(modelBytes()).digest('hex').slice(0, 10);
  const modelPath = `assets/selfie_segmenter_landscape-${hash}.tflite`;
  return {
    visionBase,
    modelPath,
    files: [
      ...WASM_FILES.map((f) => ({ path: `${visionBase}/${f}`, source: () => readFileSync(join(visionPkg, 'wasm', f)) })),
      { path: modelPath, source: modelBytes },
    ],
  };
}

/** effectsAssets emits the files in the build and serves them in `vite dev`. */
export function effectsAssets(): Plugin {
  const a = assets();
  return {
    name: 'meet-effects-assets',
    resolveId(id) {
      return id === VIRTUAL ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      return `export const visionBase = ${JSON.stringify('/' + a.visionBase)};\nexport const modelPath = ${JSON.stringify('/' + a.modelPath)};\n`;
    },
    generateBundle() {
      for (const f of a.files) this.emitFile({ type: 'asset', fileName: f.path, source: f.source() });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = a.files.find((f) => req.url?.split('?')[0] === '/' + f.path);
        if (!file) return next();
        const type = file.path.endsWith('.wasm') ? 'application/wasm' : file.path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
        res.setHeader('Content-Type', type);
        res.end(Buffer.from(file.source()));
      });
    },
  };
}
