import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One real PostgreSQL server per run; test files take their own database with freshDatabase().
    globalSetup: ['test/helpers/postgres/global-setup.ts'],
  },
});
