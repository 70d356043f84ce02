import { statSync } from 'node:fs';
import { StoreError } from '../store-error.js';

export interface FileIdentityWatch {
  /** Throws a StoreError when the path no longer names the file opened. */
  check(): void;
}

/**
 * Remembers which file (device and inode) a path named when it was opened. An open SQLite connection
 * keeps writing into a file that was deleted or replaced under it, and everything written since is lost
 * at the next start (acks, silences, the audit log; open alerts would page again under new ids).
 */
export function watchFileIdentity(path: string): FileIdentityWatch {
  const opened = statSync(path);
  return {
    check() {
      let now;
      try {
        now = statSync(path);
      } catch {
        throw new StoreError(`database ${path} was deleted while delta-ops was running: what is written now is lost at the next start; stop delta-ops and restore the file from a backup`);
      }
      if (now.ino !== opened.ino || now.dev !== opened.dev) {
        throw new StoreError(`database ${path} was replaced by another file while delta-ops was running: restart delta-ops to use the new file, or put the old one back`);
      }
    },
  };
}
