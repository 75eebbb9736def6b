import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunked, cutsArb } from '../testing/chunks.js';
import { createScannerParser } from './scanner.js';

const UUID = '3f2c1b7a-9d4e-4c2a-8b1f-0e5d6c7b8a90';

describe('scanner lines (§7.2)', () => {
  it('reads a label code and tells its table and barcode', () => {
    const parser = createScannerParser();
    expect(parser.push(`tealine:${UUID}\r\n`)).toEqual([{ code: `tealine:${UUID}`, table: 'tealine', barcode: UUID }]);
    expect(parser.push('T240225\r')).toEqual([{ code: 'T240225' }]);
  });

  it('strips control prefixes and suffixes and refuses fragments', () => {
    const parser = createScannerParser();
    expect(parser.push(`\x02blendsheet:${UUID}\x03\n\x1b\n12\nok!\t`)).toEqual([
      { code: `blendsheet:${UUID}`, table: 'blendsheet', barcode: UUID },
      { code: 'ok!' },
    ]);
    expect(parser.rejected()).toBe(2);
  });

  it('drops a line that never ends instead of growing without bound', () => {
    const parser = createScannerParser();
    expect(parser.push('x'.repeat(600))).toEqual([]);
    expect(parser.push('abc\n')).toEqual([{ code: 'abc' }]);
    expect(parser.rejected()).toBe(1);
  });

  it('gives the same codes however the stream is chunked, multi-byte characters included', () => {
    const codeArb = fc
      .string({ unit: fc.constantFrom('a', 'B', '7', ':', '-', '/', ' ', 'é', '茶'), minLength: 3, maxLength: 60 })
      .filter((code) => code.trim() === code && code.length >= 3);
    fc.assert(
      fc.property(fc.array(fc.tuple(codeArb, fc.constantFrom('\r\n', '\r', '\n', '\t')), { maxLength: 20 }), cutsArb, (scans, cuts) => {
        const bytes = Buffer.from(scans.map(([code, end]) => code + end).join(''), 'utf8');
        const parser = createScannerParser();
        const got = chunked(bytes.toString('latin1'), cuts).flatMap((chunk) => parser.push(Buffer.from(chunk, 'latin1')));
        expect(got.map((scan) => scan.code)).toEqual(scans.map(([code]) => code));
      }),
    );
  });
});
