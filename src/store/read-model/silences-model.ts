import type { Silence, SilenceStore } from '../../core/ports/alerts.js';
import { WriteGate, type ModelPart } from './write-gate.js';

function copySilence(s: Silence): Silence {
  return { ...s, matcher: { ...s.matcher } };
}

/** Rows kept before the ones that ended are dropped (a desk makes a few silences a day). */
const TRIM_AT = 256;

/**
 * The silences that end after `since` of the first read (every read of a later `since` filters them),
 * kept by the only process that writes them. A read of an earlier `since` goes to the store.
 */
export class SilencesModel implements ModelPart {
  readonly gate = new WriteGate();
  private rows: Silence[] | undefined;
  private since = 0;

  reset(): void {
    this.rows = undefined;
    this.gate.bump();
  }

  async list(inner: SilenceStore, since: number): Promise<Silence[]> {
    if (this.rows && since >= this.since) {
      if (this.rows.length > TRIM_AT) {
        this.rows = this.rows.filter((s) => s.endsAt > since);
        this.since = since;
      }
      return this.rows.filter((s) => s.endsAt > since).map(copySilence);
    }
    const stamp = this.gate.stamp();
    const loaded = await inner.list(since);
    if ((!this.rows || since < this.since) && this.gate.unchangedSince(stamp)) {
      this.rows = loaded.map(copySilence);
      this.since = since;
    }
    return loaded;
  }

  inserted(s: Silence): void {
    if (!this.rows) return;
    // Newest first, by id, as the stores list them.
    const at = this.rows.findIndex((r) => r.id < s.id);
    this.rows.splice(at < 0 ? this.rows.length : at, 0, copySilence(s));
  }

  /** As the stores do: the end moves to `at` if that is sooner, and who ended it is kept either way. */
  expired(id: number, at: number, by: string): void {
    const s = this.rows?.find((r) => r.id === id);
    if (!s) return;
    s.endsAt = Math.min(s.endsAt, at);
    s.expiredBy = by;
  }
}
