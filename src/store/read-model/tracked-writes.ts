import type { ModelPart } from './write-gate.js';

/** How a write reaches the read model: once it is durable, that is at once or when its transaction commits. */
export interface TrackedWrites {
  /** Runs `write` on the store and then `apply` with its result on `part`, once the write is durable. */
  write<T>(part: ModelPart, write: () => Promise<T>, apply: (result: T) => void): Promise<T>;
}

/** Writes outside a transaction: durable when they resolve. One that fails may or may not have landed: its part is read again. */
export const directWrites: TrackedWrites = {
  async write(part, write, apply) {
    part.gate.begin();
    try {
      const result = await write();
      apply(result);
      return result;
    } catch (err) {
      part.reset();
      throw err;
    } finally {
      part.gate.end();
    }
  },
};

/**
 * The writes of one transaction: applied to the model only after it commits, in the order they were
 * made; a rollback drops every part it wrote to. Until it settles, no part it wrote to keeps a load.
 */
export class TransactionWrites implements TrackedWrites {
  private readonly touched = new Set<ModelPart>();
  private readonly failed = new Set<ModelPart>();
  private readonly applies: (() => void)[] = [];

  async write<T>(part: ModelPart, write: () => Promise<T>, apply: (result: T) => void): Promise<T> {
    if (!this.touched.has(part)) {
      this.touched.add(part);
      part.gate.begin();
    }
    try {
      const result = await write();
      this.applies.push(() => apply(result));
      return result;
    } catch (err) {
      // The transaction may still commit (the caller caught it): whatever that write did is read again.
      this.failed.add(part);
      throw err;
    }
  }

  committed(): void {
    for (const apply of this.applies) apply();
    for (const part of this.failed) part.reset();
    this.settle();
  }

  rolledBack(): void {
    for (const part of this.touched) part.reset();
    this.settle();
  }

  private settle(): void {
    for (const part of this.touched) part.gate.end();
    this.touched.clear();
  }
}
