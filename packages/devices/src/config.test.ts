import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@tributary/platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevicesConfig } from './config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devices-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('devices config', () => {
  it('defaults to loopback, §7.2 speed, the plant zone and no devices', () => {
    expect(loadDevicesConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4100,
      allowedOrigins: ['http://127.0.0.1:8080', 'http://localhost:8080'],
      baudRate: 9600,
      scaleCapacityKg: '999.99',
      timeZone: 'Asia/Colombo',
    });
  });

  it('takes ports from the environment over the file', async () => {
    const file = join(dir, 'devices.json');
    await writeFile(file, JSON.stringify({ DEVICES_SCALE_PORT: '/dev/ttyUSB0', DEVICES_PRINTER: '/dev/ttyUSB3', DEVICES_PORT: 4200 }));
    const config = loadDevicesConfig({ DEVICES_PRINTER: 'tcp://10.0.0.5:9100' }, file);
    expect(config).toMatchObject({ scalePort: '/dev/ttyUSB0', printer: 'tcp://10.0.0.5:9100', port: 4200 });
  });

  it('refuses remote exposure, bad origins, zones and printers together', () => {
    const problems = problemsOf(() =>
      loadDevicesConfig({
        DEVICES_HOST: '0.0.0.0',
        DEVICES_ALLOWED_ORIGINS: 'http://kiosk:8080/app',
        DEVICES_TIME_ZONE: 'Mars/Olympus',
        DEVICES_PRINTER: 'tcp://10.0.0.5:9100/x',
      }),
    );
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('DEVICES_ALLOW_REMOTE');
    expect(loadDevicesConfig({ DEVICES_HOST: '0.0.0.0', DEVICES_ALLOW_REMOTE: 'true' }).host).toBe('0.0.0.0');
  });

  it('refuses a config file with unknown keys or bad JSON', async () => {
    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ DEVICES_SCALE: '/dev/ttyUSB0' }));
    expect(problemsOf(() => loadDevicesConfig({}, typo))[0]).toContain('unknown setting DEVICES_SCALE');
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{');
    expect(problemsOf(() => loadDevicesConfig({}, broken))[0]).toContain('cannot be read as JSON');
    expect(problemsOf(() => loadDevicesConfig({ DEVICES_PORT: 'eighty' }))[0]).toContain('DEVICES_PORT');
  });
});
