import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Conformance suites read ../shared; keep per-test time generous for the slow shared machines.
    testTimeout: 60_000,
  },
});
