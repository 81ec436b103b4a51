import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'sim/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start servers on random ports and use their own database files;
    // forks keep native modules (better-sqlite3) isolated per file.
    pool: 'forks',
    reporters: ['default'],
  },
});
