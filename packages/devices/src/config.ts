import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_PLANT_TIME_ZONE, isTimeZone } from '@tributary/platform/time-zone';
import { ConfigError, loadConfig } from '@tributary/platform/core';
import { DEFAULT_DEVICES_PORT } from './messages.js';
import { DEFAULT_CAPACITY_KG } from './protocol/scale.js';
import { DEFAULT_BAUD_RATE } from './transports/serial-line.js';
import { parseTcpTarget } from './transports/tcp-printer.js';

/** The console served by the gateway on this kiosk (DEFAULT_PORTS.gateway). */
export const DEFAULT_ALLOWED_ORIGINS = 'http://127.0.0.1:8080,http://localhost:8080';
export { DEFAULT_DEVICES_PORT };

const optionalPort = (description: string) => Type.Optional(Type.String({ minLength: 1, description }));

export const DevicesConfigSchema = Type.Object({
  DEVICES_HOST: Type.String({
    default: '127.0.0.1',
    description: 'interface the bridge listens on; loopback unless DEVICES_ALLOW_REMOTE=true',
  }),
  DEVICES_PORT: Type.Integer({
    default: DEFAULT_DEVICES_PORT,
    minimum: 0,
    maximum: 65_535,
    description: 'port of the bridge (WebSocket at /devices/ws)',
  }),
  DEVICES_ALLOW_REMOTE: Type.Boolean({ default: false, description: 'allow a non-loopback DEVICES_HOST' }),
  DEVICES_ALLOWED_ORIGINS: Type.String({
    default: DEFAULT_ALLOWED_ORIGINS,
    description: 'comma-separated page origins allowed to open the WebSocket',
  }),
  DEVICES_SCALE_PORT: optionalPort('serial device of the load cell, e.g. /dev/ttyUSB0'),
  DEVICES_SCANNER_PORT: optionalPort('serial device of the barcode scanner'),
  DEVICES_BUTTON_PORT: optionalPort('serial device of the button box'),
  DEVICES_PRINTER: optionalPort('serial device of the label printer, or tcp://host[:9100] for a network printer'),
  DEVICES_BAUD_RATE: Type.Integer({
    default: DEFAULT_BAUD_RATE,
    minimum: 1_200,
    maximum: 115_200,
    description: 'serial speed of every device (§7.2: 9600)',
  }),
  DEVICES_SCALE_CAPACITY_KG: Type.String({
    default: DEFAULT_CAPACITY_KG,
    pattern: '^\\d{1,4}(\\.\\d{1,2})?$',
    description: 'readings above it are flagged overload',
  }),
  DEVICES_TIME_ZONE: Type.String({ default: DEFAULT_PLANT_TIME_ZONE, description: 'IANA zone the labels show times in' }),
});
export type DevicesConfigEnv = Static<typeof DevicesConfigSchema>;

export interface DevicesConfig {
  host: string;
  port: number;
  allowedOrigins: string[];
  scalePort?: string;
  scannerPort?: string;
  buttonPort?: string;
  printer?: string;
  baudRate: number;
  scaleCapacityKg: string;
  timeZone: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The bridge's settings from the environment, over an optional JSON file with the same keys
 * (the kiosk's image ships the file, an operator overrides one port with a variable).
 * Problems are reported together and name the variable.
 */
export function loadDevicesConfig(env: Record<string, string | undefined>, file?: string): DevicesConfig {
  const merged = { ...(file ? readConfigFile(file) : {}), ...definedOnly(env) };
  const raw = loadConfig(DevicesConfigSchema, merged);
  const problems: string[] = [];
  if (!LOOPBACK.has(raw.DEVICES_HOST) && !raw.DEVICES_ALLOW_REMOTE) {
    problems.push(
      `DEVICES_HOST=${raw.DEVICES_HOST} exposes the devices beyond this machine; set DEVICES_ALLOW_REMOTE=true if that is meant`,
    );
  }
  const origins = raw.DEVICES_ALLOWED_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  for (const origin of origins) {
    if (!isOrigin(origin))
      problems.push(`DEVICES_ALLOWED_ORIGINS has ${JSON.stringify(origin)}, which is not an origin (scheme://host[:port])`);
  }
  if (origins.length === 0) problems.push('DEVICES_ALLOWED_ORIGINS is empty: no page could use the bridge');
  if (!isTimeZone(raw.DEVICES_TIME_ZONE))
    problems.push(`DEVICES_TIME_ZONE=${JSON.stringify(raw.DEVICES_TIME_ZONE)} is not an IANA time zone`);
  if (raw.DEVICES_PRINTER) {
    try {
      parseTcpTarget(raw.DEVICES_PRINTER);
    } catch (error) {
      problems.push(`DEVICES_PRINTER: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host: raw.DEVICES_HOST,
    port: raw.DEVICES_PORT,
    allowedOrigins: origins,
    ...(raw.DEVICES_SCALE_PORT ? { scalePort: raw.DEVICES_SCALE_PORT } : {}),
    ...(raw.DEVICES_SCANNER_PORT ? { scannerPort: raw.DEVICES_SCANNER_PORT } : {}),
    ...(raw.DEVICES_BUTTON_PORT ? { buttonPort: raw.DEVICES_BUTTON_PORT } : {}),
    ...(raw.DEVICES_PRINTER ? { printer: raw.DEVICES_PRINTER } : {}),
    baudRate: raw.DEVICES_BAUD_RATE,
    scaleCapacityKg: raw.DEVICES_SCALE_CAPACITY_KG,
    timeZone: raw.DEVICES_TIME_ZONE,
  };
}

function readConfigFile(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`config file ${file} cannot be read as JSON: ${(error as Error).message}`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError([`config file ${file} must hold one JSON object`]);
  const known = new Set(Object.keys(DevicesConfigSchema.properties));
  const unknown = Object.keys(parsed).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new ConfigError(unknown.map((key) => `config file ${file}: unknown setting ${key}`));
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}
