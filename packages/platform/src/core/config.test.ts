import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, nameSet } from './config.js';

const schema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000 }),
  DATABASE_URL: Type.String({ pattern: '^(postgres|postgresql|mysql|pglite)://', description: 'database URL' }),
  API_SECRET: Type.String({ minLength: 16 }),
  DEBUG: Type.Boolean({ default: false }),
});

describe('loadConfig', () => {
  it('converts values and applies defaults', () => {
    const config = loadConfig(schema, { DATABASE_URL: 'pglite://memory', API_SECRET: 'x'.repeat(16), DEBUG: 'true' });
    expect(config).toEqual({ PORT: 3000, DATABASE_URL: 'pglite://memory', API_SECRET: 'x'.repeat(16), DEBUG: true });
  });

  it('names a missing variable', () => {
    expect(() => loadConfig(schema, { API_SECRET: 'x'.repeat(16) })).toThrow(/DATABASE_URL is required \(database URL\)/);
  });

  it('names a malformed variable without echoing secrets', () => {
    try {
      loadConfig(schema, { DATABASE_URL: 'pglite://memory', API_SECRET: 'short', PORT: 'eighty' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toMatch(/PORT="eighty" is invalid/);
      expect(message).toMatch(/API_SECRET="\[redacted\]" is invalid/);
      expect(message).not.toContain('short');
    }
  });
});

describe('nameSet', () => {
  it('reads a comma-separated setting, trimmed, blanks dropped', () => {
    expect([...nameSet(' gateway, sync,,erp ')]).toEqual(['gateway', 'sync', 'erp']);
    expect(nameSet('').size).toBe(0);
  });
});
