import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster`: the production shape (npm run start:cluster) under test, apart from `npm test`
 * (it starts four Temporal services, two workers and the API, then breaks them one at a time).
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 900_000,
    hookTimeout: 900_000,
    teardownTimeout: 120_000,
  },
});
