import { describe, expect, it } from 'vitest';
import { parseCommand, renderLabel } from './commands.js';
import { BLENDSHEET_ZPL, blendsheet } from './testing/labels.js';

describe('bridge commands', () => {
  it('accepts the three commands', () => {
    expect(parseCommand('{"type":"bag-result","ok":true}')).toEqual({ ok: true, command: { type: 'bag-result', ok: true } });
    expect(parseCommand('{"type":"print","id":"p1","zpl":"^XA^FDx^FS^XZ"}').ok).toBe(true);
    expect(parseCommand(JSON.stringify({ type: 'print', label: blendsheet })).ok).toBe(true);
  });

  it('refuses anything else with a reason and the id to answer to', () => {
    expect(parseCommand('not json')).toEqual({ ok: false, message: 'a command is one JSON object' });
    const noXz = parseCommand('{"type":"print","id":"p2","zpl":"^XA^FDx^FS"}');
    expect(noXz).toMatchObject({ ok: false, id: 'p2' });
    expect(parseCommand(JSON.stringify({ type: 'print', label: { ...blendsheet, gross_weight: 25.5 } })).ok).toBe(false);
    expect(parseCommand(JSON.stringify({ type: 'print', label: { ...blendsheet, barcode: 'x' } })).ok).toBe(false);
    expect(parseCommand(JSON.stringify({ type: 'print', label: { ...blendsheet, table: 'teabag' } })).ok).toBe(false);
    expect(parseCommand('{"type":"bag-result","ok":"yes"}').ok).toBe(false);
    expect(parseCommand('{"type":"tare"}').ok).toBe(false);
  });

  it('renders the blendsheet label with exact weights in the plant zone', () => {
    expect(renderLabel(blendsheet)).toBe(BLENDSHEET_ZPL);
  });

  it('refuses a bag heavier than its gross', () => {
    expect(() => renderLabel({ ...blendsheet, bag_weight: '26' })).toThrow(/exceeds gross/);
  });
});
