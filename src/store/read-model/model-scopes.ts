import type { AlertFilter, AlertRecord, AlertStore, AuditEntry, AuditFilter, AuditStore, NewAlert, Silence, SilenceStore } from '../../core/ports/alerts.js';
import type { MetricSample, MetricsStore, SampledRange, MetricPoint, StoreScope } from '../../core/ports/store.js';
import { copyAlert, type ActiveAlertsModel } from './active-alerts-model.js';
import type { AuditModel } from './audit-model.js';
import type { SeriesModel } from './series-model.js';
import type { SilencesModel } from './silences-model.js';
import type { TrackedWrites } from './tracked-writes.js';

/** The parts of the read model, one per kind of row it keeps. */
export interface ReadModelParts {
  alerts: ActiveAlertsModel;
  silences: SilencesModel;
  audit: AuditModel;
  series: SeriesModel;
}

/** Whether a read may be answered from memory now (false inside a transaction, on a standby, …). */
export type ServeFromMemory = () => boolean;

class ModelAlertStore implements AlertStore {
  constructor(private readonly inner: AlertStore, private readonly model: ActiveAlertsModel, private readonly writes: TrackedWrites, private readonly fromMemory: ServeFromMemory) {}

  active(): Promise<AlertRecord[]> {
    return this.fromMemory() ? this.model.active(this.inner) : this.inner.active();
  }

  list(filter: AlertFilter): Promise<AlertRecord[]> {
    return this.model.serves(filter) && this.fromMemory() ? this.model.list(this.inner, filter) : this.inner.list(filter);
  }

  insert(alert: NewAlert): Promise<AlertRecord> {
    return this.writes.write(this.model, () => this.inner.insert(alert), (row) => this.model.written(row));
  }

  update(alert: AlertRecord): Promise<void> {
    // The row as written now: the caller may change its object before the transaction commits.
    const row = copyAlert(alert);
    return this.writes.write(this.model, () => this.inner.update(alert), () => this.model.written(row));
  }

  updateAll(alerts: readonly AlertRecord[]): Promise<void> {
    const rows = alerts.map(copyAlert);
    return this.writes.write(this.model, () => this.inner.updateAll(alerts), () => rows.forEach((row) => this.model.written(row)));
  }

  get(id: number): Promise<AlertRecord | undefined> {
    return this.inner.get(id);
  }

  byShortId(shortId: string): Promise<AlertRecord | undefined> {
    return this.inner.byShortId(shortId);
  }

  counts(from: number, to: number): ReturnType<AlertStore['counts']> {
    return this.inner.counts(from, to);
  }

  linkMessage(outboxId: number, alertIds: readonly number[]): Promise<void> {
    return this.inner.linkMessage(outboxId, alertIds);
  }

  messagesOf(alertId: number): Promise<number[]> {
    return this.inner.messagesOf(alertId);
  }
}

class ModelSilenceStore implements SilenceStore {
  constructor(private readonly inner: SilenceStore, private readonly model: SilencesModel, private readonly writes: TrackedWrites, private readonly fromMemory: ServeFromMemory) {}

  list(since: number): Promise<Silence[]> {
    return this.fromMemory() ? this.model.list(this.inner, since) : this.inner.list(since);
  }

  insert(s: Omit<Silence, 'id'>): Promise<Silence> {
    return this.writes.write(this.model, () => this.inner.insert(s), (row) => this.model.inserted(row));
  }

  expire(id: number, at: number, by: string): Promise<void> {
    return this.writes.write(this.model, () => this.inner.expire(id, at, by), () => this.model.expired(id, at, by));
  }

  get(id: number): Promise<Silence | undefined> {
    return this.inner.get(id);
  }
}

class ModelAuditStore implements AuditStore {
  constructor(private readonly inner: AuditStore, private readonly model: AuditModel, private readonly writes: TrackedWrites, private readonly fromMemory: ServeFromMemory) {}

  list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    return this.fromMemory() ? this.model.list(this.inner, filter) : this.inner.list(filter);
  }

  append(e: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    return this.writes.write(this.model, () => this.inner.append(e), (row) => this.model.appended(row));
  }
}

class ModelMetricsStore implements MetricsStore {
  constructor(private readonly inner: MetricsStore, private readonly model: SeriesModel, private readonly writes: TrackedWrites, private readonly fromMemory: ServeFromMemory) {}

  rangeSampled(metric: string, scope: string, from: number, to: number, points: number): Promise<SampledRange> {
    return this.fromMemory() ? this.model.rangeSampled(this.inner, metric, scope, from, to, points) : this.inner.rangeSampled(metric, scope, from, to, points);
  }

  append(samples: readonly MetricSample[]): Promise<void> {
    const rows = samples.slice();
    return this.writes.write(this.model, () => this.inner.append(samples), () => this.model.appended(rows));
  }

  compact(rawBefore: number, downsampledBefore: number): Promise<number> {
    return this.writes.write(this.model, () => this.inner.compact(rawBefore, downsampledBefore), () => this.model.compacted(rawBefore, downsampledBefore));
  }

  range(metric: string, scope: string, from: number, to: number): Promise<MetricPoint[]> {
    return this.inner.range(metric, scope, from, to);
  }

  count(): Promise<number> {
    return this.inner.count();
  }
}

/** `inner`'s stores, their writes tracked into `parts`, their reads answered from `parts` when `fromMemory` says so. */
export function modelScope(inner: StoreScope, parts: ReadModelParts, writes: TrackedWrites, fromMemory: ServeFromMemory): StoreScope {
  return {
    metrics: new ModelMetricsStore(inner.metrics, parts.series, writes, fromMemory),
    alerts: new ModelAlertStore(inner.alerts, parts.alerts, writes, fromMemory),
    silences: new ModelSilenceStore(inner.silences, parts.silences, writes, fromMemory),
    audit: new ModelAuditStore(inner.audit, parts.audit, writes, fromMemory),
    kv: inner.kv,
    outbox: inner.outbox,
    ...(inner.drawdownBuckets ? { drawdownBuckets: inner.drawdownBuckets } : {}),
  };
}
