import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The template tests read the packaged stack (.serverless/), so they run only from
// scripts/check-template.ts, after `npm run package`, never with the unit or integration projects.
export default defineConfig({
  test: {
    root: resolve(import.meta.dirname, '../..'),
    include: ['test/template/**/*.test.ts'],
    environment: 'node',
  },
});
