import cliProgress from 'cli-progress';

export interface ImportProgress {
  /** A bar for one source table; `total` may be unknown (0) and set later. */
  table(name: string, total: number): { advance(rows: number): void; done(): void };
  stop(): void;
}

/** Bars on stderr, one per source table, like `reconcile`; silent when stderr is not a terminal. */
export function createImportProgress(enabled: boolean): ImportProgress {
  if (!enabled) return { table: () => ({ advance: () => undefined, done: () => undefined }), stop: () => undefined };
  const bars = new cliProgress.MultiBar(
    { format: '{table} |{bar}| {value}/{total} rows', hideCursor: true, stream: process.stderr, etaBuffer: 50, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  return {
    table: (name, total) => {
      const bar = bars.create(Math.max(total, 1), 0, { table: name.padEnd(32) });
      return {
        advance: (rows) => bar.increment(rows),
        done: () => bar.update(Math.max(total, 1)),
      };
    },
    stop: () => bars.stop(),
  };
}
