/**
 * SQLite's result codes by number (sqlite3.h), primary and extended. node:sqlite reports a failure as
 * `errcode` (the extended code, e.g. 2067) with `code: 'ERR_SQLITE_ERROR'`; better-sqlite3 reports the
 * name (`SQLITE_CONSTRAINT_UNIQUE`), and that name is what the store's messages and callers match on.
 */
const PRIMARY: Readonly<Record<number, string>> = {
  1: 'ERROR', 2: 'INTERNAL', 3: 'PERM', 4: 'ABORT', 5: 'BUSY', 6: 'LOCKED', 7: 'NOMEM', 8: 'READONLY', 9: 'INTERRUPT',
  10: 'IOERR', 11: 'CORRUPT', 12: 'NOTFOUND', 13: 'FULL', 14: 'CANTOPEN', 15: 'PROTOCOL', 16: 'EMPTY', 17: 'SCHEMA',
  18: 'TOOBIG', 19: 'CONSTRAINT', 20: 'MISMATCH', 21: 'MISUSE', 22: 'NOLFS', 23: 'AUTH', 24: 'FORMAT', 25: 'RANGE',
  26: 'NOTADB', 27: 'NOTICE', 28: 'WARNING',
};

/** Extended codes: primary | (n << 8). */
const EXTENDED: Readonly<Record<number, string>> = {
  [1 | (1 << 8)]: 'ERROR_MISSING_COLLSEQ', [1 | (2 << 8)]: 'ERROR_RETRY', [1 | (3 << 8)]: 'ERROR_SNAPSHOT',
  [4 | (2 << 8)]: 'ABORT_ROLLBACK',
  [5 | (1 << 8)]: 'BUSY_RECOVERY', [5 | (2 << 8)]: 'BUSY_SNAPSHOT', [5 | (3 << 8)]: 'BUSY_TIMEOUT',
  [6 | (1 << 8)]: 'LOCKED_SHAREDCACHE', [6 | (2 << 8)]: 'LOCKED_VTAB',
  [8 | (1 << 8)]: 'READONLY_RECOVERY', [8 | (2 << 8)]: 'READONLY_CANTLOCK', [8 | (3 << 8)]: 'READONLY_ROLLBACK',
  [8 | (4 << 8)]: 'READONLY_DBMOVED', [8 | (5 << 8)]: 'READONLY_CANTINIT', [8 | (6 << 8)]: 'READONLY_DIRECTORY',
  [10 | (1 << 8)]: 'IOERR_READ', [10 | (2 << 8)]: 'IOERR_SHORT_READ', [10 | (3 << 8)]: 'IOERR_WRITE', [10 | (4 << 8)]: 'IOERR_FSYNC',
  [10 | (5 << 8)]: 'IOERR_DIR_FSYNC', [10 | (6 << 8)]: 'IOERR_TRUNCATE', [10 | (7 << 8)]: 'IOERR_FSTAT', [10 | (8 << 8)]: 'IOERR_UNLOCK',
  [10 | (9 << 8)]: 'IOERR_RDLOCK', [10 | (10 << 8)]: 'IOERR_DELETE', [10 | (11 << 8)]: 'IOERR_BLOCKED', [10 | (12 << 8)]: 'IOERR_NOMEM',
  [10 | (13 << 8)]: 'IOERR_ACCESS', [10 | (14 << 8)]: 'IOERR_CHECKRESERVEDLOCK', [10 | (15 << 8)]: 'IOERR_LOCK',
  [10 | (16 << 8)]: 'IOERR_CLOSE', [10 | (17 << 8)]: 'IOERR_DIR_CLOSE', [10 | (18 << 8)]: 'IOERR_SHMOPEN', [10 | (19 << 8)]: 'IOERR_SHMSIZE',
  [10 | (20 << 8)]: 'IOERR_SHMLOCK', [10 | (21 << 8)]: 'IOERR_SHMMAP', [10 | (22 << 8)]: 'IOERR_SEEK', [10 | (23 << 8)]: 'IOERR_DELETE_NOENT',
  [10 | (24 << 8)]: 'IOERR_MMAP', [10 | (25 << 8)]: 'IOERR_GETTEMPPATH', [10 | (26 << 8)]: 'IOERR_CONVPATH', [10 | (27 << 8)]: 'IOERR_VNODE',
  [10 | (28 << 8)]: 'IOERR_AUTH', [10 | (29 << 8)]: 'IOERR_BEGIN_ATOMIC', [10 | (30 << 8)]: 'IOERR_COMMIT_ATOMIC',
  [10 | (31 << 8)]: 'IOERR_ROLLBACK_ATOMIC', [10 | (32 << 8)]: 'IOERR_DATA', [10 | (33 << 8)]: 'IOERR_CORRUPTFS',
  [11 | (1 << 8)]: 'CORRUPT_VTAB', [11 | (2 << 8)]: 'CORRUPT_SEQUENCE', [11 | (3 << 8)]: 'CORRUPT_INDEX',
  [14 | (1 << 8)]: 'CANTOPEN_NOTEMPDIR', [14 | (2 << 8)]: 'CANTOPEN_ISDIR', [14 | (3 << 8)]: 'CANTOPEN_FULLPATH',
  [14 | (4 << 8)]: 'CANTOPEN_CONVPATH', [14 | (5 << 8)]: 'CANTOPEN_DIRTYWAL', [14 | (6 << 8)]: 'CANTOPEN_SYMLINK',
  [19 | (1 << 8)]: 'CONSTRAINT_CHECK', [19 | (2 << 8)]: 'CONSTRAINT_COMMITHOOK', [19 | (3 << 8)]: 'CONSTRAINT_FOREIGNKEY',
  [19 | (4 << 8)]: 'CONSTRAINT_FUNCTION', [19 | (5 << 8)]: 'CONSTRAINT_NOTNULL', [19 | (6 << 8)]: 'CONSTRAINT_PRIMARYKEY',
  [19 | (7 << 8)]: 'CONSTRAINT_TRIGGER', [19 | (8 << 8)]: 'CONSTRAINT_UNIQUE', [19 | (9 << 8)]: 'CONSTRAINT_VTAB',
  [19 | (10 << 8)]: 'CONSTRAINT_ROWID', [19 | (11 << 8)]: 'CONSTRAINT_PINNED', [19 | (12 << 8)]: 'CONSTRAINT_DATATYPE',
  [27 | (1 << 8)]: 'NOTICE_RECOVER_WAL', [27 | (2 << 8)]: 'NOTICE_RECOVER_ROLLBACK', [28 | (1 << 8)]: 'WARNING_AUTOINDEX',
  [23 | (1 << 8)]: 'AUTH_USER',
};

/** `SQLITE_BUSY` for 5, `SQLITE_CONSTRAINT_UNIQUE` for 2067; an unknown extended code falls back to its primary. */
export function resultCodeName(code: number): string {
  const name = EXTENDED[code] ?? PRIMARY[code] ?? PRIMARY[code & 0xff] ?? `UNKNOWN_${code}`;
  return `SQLITE_${name}`;
}
