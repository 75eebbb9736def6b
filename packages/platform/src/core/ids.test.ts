import { describe, expect, it } from 'vitest';
import { randomHex } from './ids.js';

describe('randomHex', () => {
  it('gives lower-case hex of the asked length, never the same twice across pool refills', () => {
    const seen = new Set<string>();
    // 20,000 × 8 bytes is about 40 refills of the 4 KiB pool.
    for (let i = 0; i < 20_000; i++) {
      const id = randomHex(8);
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(20_000);
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('spreads its bytes over all values', () => {
    const counts = new Array<number>(256).fill(0);
    const hex = Array.from({ length: 2048 }, () => randomHex(16)).join('');
    for (let i = 0; i < hex.length; i += 2) counts[parseInt(hex.slice(i, i + 2), 16)]! += 1;
    // 32,768 bytes: about 128 per value; a stuck or reused pool would leave values empty or piled up.
    expect(Math.min(...counts)).toBeGreaterThan(60);
    expect(Math.max(...counts)).toBeLessThan(220);
  });

  it('refuses a length the pool cannot serve', () => {
    expect(() => randomHex(0)).toThrow(RangeError);
    expect(() => randomHex(4097)).toThrow(RangeError);
  });
});
