// ESLint for the front end: `npm run lint` here, `make lint` at the repository root.
//
// typescript-eslint reads TypeScript through its JavaScript compiler API, which TypeScript 7 does not ship:
// package.json therefore follows TypeScript's side-by-side layout — `tsc` is TypeScript 7 (the
// `@typescript/native` alias) and the `typescript` package is `@typescript/typescript6`, the compiler API the
// linter loads. Drop the alias once typescript-eslint supports TypeScript 7.
import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // Same convention as tsc's noUnusedParameters: a leading underscore marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'vite.config.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended, jsxA11y.flatConfigs.recommended],
    rules: {
      // A missing effect dependency is a stale-closure bug, not a style point.
      'react-hooks/exhaustive-deps': 'error',
      // The recommended set includes the React Compiler's checks (purity, refs during render, immutability,
      // setState during render, components created in render…): they find real bugs without the compiler, so
      // they stay. This one is performance advice for compiled code: it flags effects that reset state when
      // their input changes (a new recording id, a lost microphone track) or load data on mount, which is how
      // this code is meant to work, and we do not run the compiler.
      'react-hooks/set-state-in-effect': 'off',
      // Choice labels nest their text one level deeper (label > span > strong) than the default depth of 2.
      'jsx-a11y/label-has-associated-control': ['error', { depth: 3 }],
    },
  },
  {
    files: ['e2e/**/*.{js,mjs}', 'vite.config.ts', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // Browser tests are Node scripts, but the callbacks they hand to page.evaluate run in the page.
    files: ['e2e/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
