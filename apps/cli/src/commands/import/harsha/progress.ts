import cliProgress from 'cli-progress';
import type { Progress } from './runner.js';

/** Bars on a terminal, one line per committed chunk in a log (or for a supervising process), or nothing. */
export type ProgressStyle = 'bars' | 'lines' | 'none';

export function createProgress(style: ProgressStyle): Progress {
  if (style === 'none') return { start() {}, advance() {}, chunkCommitted() {}, stop() {} };
  if (style === 'lines') {
    return {
      start(step, total) {
        process.stderr.write(`import harsha: ${step.id} (${total} rows)\n`);
      },
      advance() {},
      chunkCommitted(step, after) {
        process.stderr.write(`import harsha: ${step.id} committed through ${after}\n`);
      },
      stop() {},
    };
  }
  const bars = new cliProgress.MultiBar(
    { format: '{step} |{bar}| {value}/{total}', hideCursor: true, stream: process.stderr, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const byStep = new Map<string, cliProgress.SingleBar>();
  let stopped = false;
  return {
    start(step, total, done) {
      byStep.set(step.id, bars.create(total, done, { step: step.id.padEnd(40) }));
    },
    advance(step, rows) {
      byStep.get(step.id)?.increment(rows);
    },
    chunkCommitted() {},
    stop() {
      if (stopped) return;
      stopped = true;
      bars.stop();
    },
  };
}
