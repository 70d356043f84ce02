/**
 * Whether a model may keep what it just loaded: only when no write to its rows was in flight as the
 * load began and none began before it ended. Otherwise the load may or may not hold that write, and
 * the model, which applies each write itself once it is durable, would count it twice or never.
 */
export class WriteGate {
  private begun = 0;
  private ended = 0;

  begin(): void {
    this.begun++;
  }

  end(): void {
    this.ended++;
  }

  /** Taken as a load starts; undefined while a write is in flight (keep nothing then). */
  stamp(): number | undefined {
    return this.begun === this.ended ? this.begun : undefined;
  }

  /** Whether no write began since `stamp` was taken. */
  unchangedSince(stamp: number | undefined): boolean {
    return stamp !== undefined && this.begun === stamp;
  }

  /** A reset: a load in flight keeps nothing. */
  bump(): void {
    this.begun++;
    this.ended++;
  }
}

/** One part of the read model: its rows, dropped by `reset` and loaded again when next read. */
export interface ModelPart {
  readonly gate: WriteGate;
  reset(): void;
}
