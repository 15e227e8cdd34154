import { defineConfig } from 'vitest/config';

/** The packaging contract test: build, `npm pack`, install into fresh consumer apps. */
export default defineConfig({
  test: {
    include: ['test/packaging/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
