import type { DrawdownBucketStore, KvStore, MetricsStore, Store, StoreScope } from '../../core/ports/store.js';
import type { AlertStore, AuditStore, OutboxStore, SilenceStore } from '../../core/ports/alerts.js';
import { ActiveAlertsModel } from './active-alerts-model.js';
import { AuditModel } from './audit-model.js';
import { modelScope, type ReadModelParts } from './model-scopes.js';
import { SeriesModel } from './series-model.js';
import { SilencesModel } from './silences-model.js';
import { directWrites, TransactionWrites } from './tracked-writes.js';

/**
 * Which term of sole writing this process is in: a number while it is the only process writing the
 * database (the leader with a valid lease, its epoch; a single process on its SQLite file, 0), undefined
 * otherwise (a standby, a leader whose lease lapsed, a one-off command beside a running leader).
 */
export type SoleWriterTerm = () => number | undefined;

/**
 * The leader's read model over a store: what the chat commands read most (the active alerts, the
 * silences, the newest audit entries, the history series last shown) is kept in memory by the process
 * that writes it, so `/status`, `/alerts list`, `/audit` and `/history` answer without a round trip to
 * the database, and keep answering while it is briefly away. Every write goes to the store first and
 * reaches the model once durable (a transaction's when it commits). Reads are answered from memory only
 * during one term of sole writing: when the term changes, everything kept is dropped and read again.
 */
export class ReadModelStore implements Store {
  readonly metrics: MetricsStore;
  readonly alerts: AlertStore;
  readonly silences: SilenceStore;
  readonly audit: AuditStore;
  readonly kv: KvStore;
  readonly outbox: OutboxStore;
  readonly drawdownBuckets?: DrawdownBucketStore;
  private readonly parts: ReadModelParts = { alerts: new ActiveAlertsModel(), silences: new SilencesModel(), audit: new AuditModel(), series: new SeriesModel() };
  private term: number | undefined;

  constructor(private readonly inner: Store, private readonly soleWriterTerm: SoleWriterTerm) {
    const scope = modelScope(inner, this.parts, directWrites, () => this.inTerm());
    this.metrics = scope.metrics;
    this.alerts = scope.alerts;
    this.silences = scope.silences;
    this.audit = scope.audit;
    this.kv = scope.kv;
    this.outbox = scope.outbox;
    if (scope.drawdownBuckets) this.drawdownBuckets = scope.drawdownBuckets;
  }

  get description(): string {
    return this.inner.description;
  }

  async transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T> {
    const writes = new TransactionWrites();
    let result: T;
    try {
      // Reads inside see the transaction's own writes: they go to the store.
      result = await this.inner.transaction((tx) => fn(modelScope(tx, this.parts, writes, () => false)));
    } catch (err) {
      writes.rolledBack();
      throw err;
    }
    writes.committed();
    return result;
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  /** Resolves once the reads started in the background (a history series being kept) have ended. */
  idle(): Promise<void> {
    return this.parts.series.idle();
  }

  async close(): Promise<void> {
    await this.idle();
    await this.inner.close();
  }

  /** Drops everything kept, as a new term does: the next reads go to the store (and keep what they read). */
  forget(): void {
    for (const part of Object.values(this.parts)) part.reset();
  }

  /** Whether reads come from memory now; a new term (or none) drops what was kept. */
  private inTerm(): boolean {
    const term = this.soleWriterTerm();
    if (term !== this.term) {
      this.forget();
      this.term = term;
    }
    return term !== undefined;
  }
}
