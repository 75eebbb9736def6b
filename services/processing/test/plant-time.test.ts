import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { labelFields } from '@tributary/contracts/labels';

const EIGHT_PM_UTC = Date.parse('2024-02-25T20:00:00Z');
const bag = {
  table: 'blendbalance' as const,
  barcode: '3f0c8a52-0d1e-4c52-9b7a-1d2e3f4a5b6c',
  item_code: 'BB-1',
  id: 3,
  received_ts: EIGHT_PM_UTC,
  store_location: 'STORE-A',
  gross_weight: '21.00',
  bag_weight: '1.00',
  net_weight: '20.00',
  transfer_id: 'TR-9',
};

describe('the plant time zone', () => {
  it('is PLANT_TIME_ZONE, else the older LABEL_TIME_ZONE, else Asia/Colombo', () => {
    expect(readConfig({}).plantTimeZone).toBe('Asia/Colombo');
    expect(readConfig({ LABEL_TIME_ZONE: 'Asia/Kolkata' }).plantTimeZone).toBe('Asia/Kolkata');
    expect(readConfig({ PLANT_TIME_ZONE: 'UTC', LABEL_TIME_ZONE: 'Asia/Kolkata' }).plantTimeZone).toBe('UTC');
  });

  it('refuses an unknown zone at start, naming the setting', () => {
    expect(() => readConfig({ PLANT_TIME_ZONE: 'Asia/Nowhere' })).toThrow('PLANT_TIME_ZONE="Asia/Nowhere" is not an IANA time zone');
    expect(() => readConfig({ LABEL_TIME_ZONE: 'Mars/Olympus' })).toThrow('LABEL_TIME_ZONE="Mars/Olympus" is not an IANA time zone');
  });

  it("labels show the plant's date and time in the Device-Panel's format, the same as the device bridge prints", () => {
    const at = (timeZone: string) => labelFields(bag, timeZone).find((field) => field.key === 'Scanned At')!.value;
    expect(at('Asia/Colombo')).toBe('01:30:00 AM, 26/02/2024');
    expect(at('UTC')).toBe('08:00:00 PM, 25/02/2024');
    expect(labelFields(bag, 'Asia/Colombo').find((field) => field.key === 'Transfer ID')!.value).toBe('TR-9');
  });
});
