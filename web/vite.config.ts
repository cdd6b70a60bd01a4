/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { effectsAssets } from './build/effectsAssets.ts';

// The Go binary serves dist/ (embedded, or MEET_WEB_DIR). In `npm run dev`
// the API is proxied to a running `meet serve` (MEET_DEV_API, default :8080).
const api = process.env.MEET_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react(), effectsAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The conference chunk (LiveKit) is large by nature and lazy-loaded.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  test: {
    // Pure logic runs in Node; files that need a DOM say so with @vitest-environment jsdom.
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}', 'build/**/*.test.ts'],
    restoreMocks: true,
    setupFiles: ['src/test/setup.ts'],
    // Longer than the 10 s Testing Library waits (see src/test/setup.ts),
    // so a slow machine fails a test on its assertion, not on the clock.
    testTimeout: 20_000,
  },
});
