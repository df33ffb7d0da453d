import { defineConfig } from 'vitest/config';

// Three projects: fast pure tests (unit + handler), integration tests that talk to moto server, and
// end-to-end tests of the packed CLI (installed from its tarball) and of its report in Chromium.
// `npm test` runs them all; coverage is gated on lib/, the pure domain, and on the CLI's pure modules in cli/.
export default defineConfig({
  test: {
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts', 'cli/**/*.ts'],
      // cli/commands/ is exercised end to end (test/integration/cli-replay.test.ts), not unit by unit.
      exclude: ['lib/aws/**', 'cli/commands/**', 'lib/**/index.ts', 'lib/types.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/handler/**/*.test.ts', 'test/architecture/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/moto-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One moto server is shared; files run one at a time so accounts do not collide.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/packed-cli-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
