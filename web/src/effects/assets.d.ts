// URLs of the background effects' runtime files, provided by the Vite plugin
// in build/effectsAssets.ts (served by meet under /assets/).
declare module 'virtual:effects-assets' {
  /** visionBase is the folder holding MediaPipe Tasks' vision wasm and its loader. */
  export const visionBase: string;
  /** modelPath is the selfie segmentation model. */
  export const modelPath: string;
}
