import { describe, expect, it } from 'vitest';
import { consoleCsp, DEFAULT_DEVICE_BRIDGE, deviceBridgeSources } from './console.routes.js';

describe('the console CSP and the kiosk device bridge', () => {
  it('lets the page reach the bridge at its default address, and nothing else beyond its origin', () => {
    const csp = consoleCsp(deviceBridgeSources(undefined));
    expect(csp).toContain(`connect-src 'self' ${DEFAULT_DEVICE_BRIDGE}`);
    expect(csp.split('; ').filter((directive) => directive.startsWith('connect-src'))).toEqual([
      "connect-src 'self' ws://127.0.0.1:4100 ws://localhost:4100",
    ]);
  });

  it('takes the configured bridges, space- or comma-separated', () => {
    expect(deviceBridgeSources('ws://10.0.0.7:4100, wss://kiosk-3.plant:4443')).toEqual(['ws://10.0.0.7:4100', 'wss://kiosk-3.plant:4443']);
  });

  it('refuses a setting that would widen the policy or is not a WebSocket origin', () => {
    for (const bad of ["ws://a:1; script-src 'unsafe-inline'", 'http://127.0.0.1:4100', '*', 'ws://a/devices/ws'])
      expect(() => deviceBridgeSources(bad), bad).toThrow('CONSOLE_DEVICE_BRIDGE');
  });
});
