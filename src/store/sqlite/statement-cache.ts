import type { Database, Statement } from './driver.js';

/**
 * Prepared statements by SQL text. `db.prepare` parses and plans the SQL every time (~20-80 µs, most of
 * an `/alerts list` answer); a store that builds its SQL from a few fixed pieces prepares each variant
 * once instead. The cache is bounded by the number of distinct texts the store can build.
 */
export function statementCache(db: Database): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
}
