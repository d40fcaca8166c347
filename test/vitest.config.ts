import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (main) and ESM (module) copies. Node, and so every
    // external package (Pothos, yoga), loads the CommonJS one; Vite would hand our own
    // source the ESM one, and graphql refuses types from "another realm".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: PGlite and the schema engine are CPU-heavy; more workers only thrash.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
