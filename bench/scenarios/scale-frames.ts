import { performance } from 'node:perf_hooks';
import { createScaleParser } from '@tributary/devices';
import type { RoundMetrics, Scenario, VariantResult } from '../src/types.js';

/**
 * The load-cell frame parser (§7.2) against the naive one the Device-Panel used: a growing
 * string cut at line ends, a regex per line and `Number()` on the weight (floats, no framing by
 * STX, no noise handling). Both read the same recorded stream, cut into serial-sized chunks.
 */
const FRAMES = 50_000;
/** A USB-serial adapter hands over a few dozen bytes per read at 9600 baud. */
const CHUNK_BYTES = 32;

function recordedStream(): Buffer[] {
  const parts: string[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const grams = (i * 7919) % 999_990;
    const kg = `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')}`;
    // One frame in fifty is preceded by line noise, as on a real cable.
    parts.push(`${i % 50 === 0 ? '\xff\x00' : ''}\x02${i % 3 === 0 ? 'U' : 'S'}  ${kg.padStart(8, ' ')}\r\n`);
  }
  const bytes = Buffer.from(parts.join(''), 'latin1');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) chunks.push(bytes.subarray(at, at + CHUNK_BYTES));
  return chunks;
}

/** The Device-Panel's way, kept only as the floor to compare with. */
function naivePass(chunks: Buffer[]): number {
  let pending = '';
  let readings = 0;
  for (const chunk of chunks) {
    pending += chunk.toString('latin1');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      // eslint-disable-next-line no-control-regex -- STX starts a frame on this wire
      const match = /\x02(.+)\s+/.exec(`${line}\n`);
      if (!match) continue;
      const reading = Number(match[1]!.slice(1));
      if (!Number.isNaN(reading)) readings += 1;
    }
  }
  return readings;
}

function parserPass(chunks: Buffer[]): number {
  const parser = createScaleParser();
  let readings = 0;
  for (const chunk of chunks) readings += parser.push(chunk).length;
  return readings;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const scenario: Scenario = {
  name: 'scale-frames',
  description: `load-cell frame parsing (${FRAMES} frames in ${CHUNK_BYTES}-byte chunks): exact-decimal stream parser vs the naive split/regex/Number() one`,
  async run(ctx) {
    const chunks = recordedStream();
    const variants = [
      { name: 'naive: split on LF, regex, Number() (floats)', role: 'baseline' as const, pass: naivePass },
      { name: 'createScaleParser: STX framing, noise counted, exact decimals', role: 'subject' as const, pass: parserPass },
    ];
    for (const v of variants) {
      const readings = v.pass(chunks);
      if (readings !== FRAMES) throw new Error(`${v.name} read ${readings} frames, expected ${FRAMES}`);
    }
    const measure = (pass: (chunks: Buffer[]) => number, seconds: number): RoundMetrics => {
      const durations: number[] = [];
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        const t0 = performance.now();
        pass(chunks);
        durations.push(performance.now() - t0);
      }
      durations.sort((a, b) => a - b);
      const total = durations.reduce((sum, ms) => sum + ms, 0);
      return {
        rps: (durations.length * FRAMES) / (total / 1000),
        p50: percentile(durations, 0.5),
        p99: percentile(durations, 0.99),
        requests: durations.length * FRAMES,
      };
    };
    if (ctx.warmup > 0) for (const v of variants) measure(v.pass, ctx.warmup);
    const rounds = new Map<string, RoundMetrics[]>(variants.map((v) => [v.name, []]));
    for (let round = 0; round < ctx.rounds; round++) {
      for (let step = 0; step < variants.length; step++) {
        const v = variants[(round + step) % variants.length]!;
        const m = measure(v.pass, ctx.duration);
        ctx.log(`round ${round + 1}/${ctx.rounds} ${v.name}: ${Math.round(m.rps)} frames/s, p50 ${m.p50.toFixed(2)} ms per stream`);
        rounds.get(v.name)!.push(m);
      }
    }
    const results: VariantResult[] = variants.map((v) => ({ name: v.name, role: v.role, rounds: rounds.get(v.name)! }));
    return {
      variants: results,
      parameters: {
        frames: FRAMES,
        chunkBytes: CHUNK_BYTES,
        noise: 'two stray bytes before one frame in fifty',
        reading: 'req/s = frames parsed per second; p50/p99 = ms to parse the whole stream once',
        lineRate: 'a 9600-baud line carries at most ~960 bytes/s, about 60 frames/s',
      },
    };
  },
};

export default scenario;
