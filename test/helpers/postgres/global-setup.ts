import type { TestProject } from 'vitest/node';
import { startPostgres } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the suite's PostgreSQL server; tests use freshDatabase() rather than this directly. */
    postgresAdminUrl: string;
  }
}

/** Environment variable carrying the same URL, for child processes a test starts. */
export const PG_URL_ENV = 'DELTA_OPS_TEST_PG_URL';

/**
 * vitest globalSetup: one real PostgreSQL server for the whole `vitest run` (about 1.5 s to start,
 * almost all of it initdb), shared by every test file, each of which takes its own database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresAdminUrl', server.adminUrl);
  process.env[PG_URL_ENV] = server.adminUrl;
  return async () => {
    delete process.env[PG_URL_ENV];
    await server.stop();
  };
}
