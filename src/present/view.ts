/**
 * A transport-neutral reply: what a command answers, before any transport renders it.
 * The console renders it as text tables; the Discord layer as embeds (within Discord's limits).
 * Values are already formatted strings; nothing here knows about Discord or terminals.
 */
export type Tone = 'info' | 'ok' | 'warn' | 'critical';

export interface ViewField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface ViewTable {
  title?: string;
  columns: { header: string; align?: 'left' | 'right' }[];
  rows: string[][];
  /**
   * A file name (`*.txt`): the table is too long to show and goes whole into this attached file instead
   * (Discord); a terminal prints it inline. The view's own text should say it is there.
   */
  attachment?: string;
}

export interface ViewButton {
  /** Stable custom id, e.g. `alert:ack:a1b2`. */
  id: string;
  label: string;
  style: 'primary' | 'secondary' | 'danger' | 'success';
}

/** How a chart panel labels values: fractions as %, money in USD, multiples (x), or plain numbers. */
export type ChartUnit = 'percent' | 'usd' | 'ratio' | 'number';

export interface ViewChartPanel {
  title: string;
  unit: ChartUnit;
  series: { label: string; points: readonly { ts: number; value: number }[] }[];
  /** A dashed reference line (a target). */
  reference?: number;
}

/**
 * Time series a transport may draw: Discord attaches them as a PNG shown in the first embed; a
 * terminal leaves them out (the view's tables carry the numbers).
 */
export interface ViewChart {
  /** The PNG's file name (`history-acc-1.png`). */
  file: string;
  from: number;
  to: number;
  /** Stacked top to bottom, one per unit of measure. */
  panels: ViewChartPanel[];
}

export interface View {
  title: string;
  tone?: Tone;
  /** Short lines shown under the title. */
  lines?: string[];
  fields?: ViewField[];
  tables?: ViewTable[];
  footer?: string;
  buttons?: ViewButton[];
  /** Only the asker should see it (errors, admin confirmations). */
  ephemeral?: boolean;
  chart?: ViewChart;
}
