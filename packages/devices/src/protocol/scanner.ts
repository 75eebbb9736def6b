import { parseLabelCode, type LabelTable } from '@tributary/contracts/labels';
import { createLineSplitter } from './lines.js';

export interface ScanEvent {
  code: string;
  /** Set when the code is one of our bag labels (`table:uuid`). */
  table?: LabelTable;
  barcode?: string;
}

export interface ScannerParser {
  push(chunk: Buffer | string): ScanEvent[];
  /** Lines refused as noise so far (too short, too long, control characters only). */
  rejected(): number;
}

/** Shorter reads are line noise or a half-read symbol, never a label (the wedge rule: ≥ 3 chars). */
export const MIN_SCAN_LENGTH = 3;
/** A QR label code is 44 characters; anything past this is a stuck scanner or garbage. */
export const MAX_SCAN_LENGTH = 512;

// Scanners send prefixes (STX, AIM ids after a control char) and suffixes the operator never sees.
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/g;

/**
 * The scanner line (§7.2: text then whitespace). CR, LF or TAB ends a scan, like a keyboard
 * wedge's suffix; spaces stay, since a generic barcode may hold them.
 */
export function createScannerParser(): ScannerParser {
  const lines = createLineSplitter({ ends: /[\r\n\t]+/, maxLength: MAX_SCAN_LENGTH });
  let refused = 0;
  return {
    push(chunk) {
      const scans: ScanEvent[] = [];
      const droppedBefore = lines.dropped();
      const complete = lines.push(chunk);
      if (lines.dropped() > droppedBefore) refused += 1;
      for (const line of complete) {
        const code = line.replace(CONTROL, '').trim();
        if (code.length < MIN_SCAN_LENGTH || code.length > MAX_SCAN_LENGTH) {
          refused += 1;
          continue;
        }
        const label = parseLabelCode(code);
        scans.push(label ? { code, table: label.table, barcode: label.barcode } : { code });
      }
      return scans;
    },
    rejected: () => refused,
  };
}
