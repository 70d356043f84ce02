/** parse-prometheus-text-format ships no types: the shape it returns (values stay strings). */
declare module 'parse-prometheus-text-format' {
  export interface PromSample {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  export interface PromFamily {
    name: string;
    help: string;
    type: 'GAUGE' | 'COUNTER' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: PromSample[];
  }
  /** Throws on a line that is not valid text exposition format. */
  export default function parsePrometheusTextFormat(text: string): PromFamily[];
}
