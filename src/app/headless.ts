import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * No one can type into this process: stdin is closed or /dev/null (systemd's default, `docker run`
 * without -i, Kubernetes). A pipe or a file is scripted input for the console, so it is not this.
 */
export function stdinIsAbsent(fd = 0): boolean {
  try {
    if (isatty(fd)) return false;
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return true;
  }
}
