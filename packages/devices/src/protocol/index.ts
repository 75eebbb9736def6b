export {
  createScaleParser,
  parseScaleFrame,
  DEFAULT_CAPACITY_KG,
  type ScaleParser,
  type ScaleParserOptions,
  type ScaleReading,
} from './scale.js';
export { createScannerParser, MIN_SCAN_LENGTH, MAX_SCAN_LENGTH, type ScanEvent, type ScannerParser } from './scanner.js';
export { createButtonParser, buttonReply, ADD_BAG_REPEATS, DEFAULT_PRESS_GAP_MS, type ButtonAction, type ButtonParser } from './button.js';
export { createLineSplitter, type LineSplitter } from './lines.js';
