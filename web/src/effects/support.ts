// What this browser can run. Background effects need WebGL 2, WebCodecs'
// VideoFrame, OffscreenCanvas and WebAssembly SIMD (meet ships only the SIMD
// build of MediaPipe's wasm); noise suppression needs AudioWorklet.

// The smallest module using a SIMD instruction (from wasm-feature-detect).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** Env is the part of the browser's global scope the checks read. */
export interface Env {
  WebAssembly?: { validate(bytes: BufferSource): boolean };
  VideoFrame?: unknown;
  OffscreenCanvas?: unknown;
  AudioWorkletNode?: unknown;
  webgl2?: () => boolean;
}

/** Support says which effects can run. */
export interface Support {
  video: boolean;
  noise: boolean;
}

/** detectSupport checks the environment (the browser's by default). */
export function detectSupport(env: Env = browserEnv()): Support {
  let simd: boolean;
  try {
    simd = env.WebAssembly?.validate(SIMD_PROBE) ?? false;
  } catch {
    simd = false;
  }
  const video = simd && env.VideoFrame !== undefined && env.OffscreenCanvas !== undefined && (env.webgl2?.() ?? false);
  const noise = env.AudioWorkletNode !== undefined && env.WebAssembly !== undefined;
  return { video, noise };
}

function browserEnv(): Env {
  const g = globalThis as unknown as Env;
  return {
    WebAssembly: g.WebAssembly,
    VideoFrame: g.VideoFrame,
    OffscreenCanvas: g.OffscreenCanvas,
    AudioWorkletNode: g.AudioWorkletNode,
    webgl2: () => {
      try {
        return typeof document !== 'undefined' && document.createElement('canvas').getContext('webgl2') !== null;
      } catch {
        return false;
      }
    },
  };
}

let cached: Support | undefined;
/** support is detectSupport for this browser, computed once. */
export function support(): Support {
  return (cached ??= detectSupport());
}

/**
 * softwareRendering reports whether WebGL runs on the CPU (SwiftShader,
 * llvmpipe: no usable GPU). MediaPipe's GPU delegate then costs more than
 * its CPU one, which reads no pixels back from a pretend GPU.
 */
export function softwareRendering(renderer: string | null = webglRenderer()): boolean {
  return renderer !== null && /swiftshader|llvmpipe|software|softpipe/i.test(renderer);
}

function webglRenderer(): string | null {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}
