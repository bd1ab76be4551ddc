export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The name of the row this one is a ratio to (same run), if any. */
  ratioTo?: string;
  ratio?: number;
  note?: string;
}

export interface Bench {
  name: string;
  run(): Promise<BenchRow[]>;
}
