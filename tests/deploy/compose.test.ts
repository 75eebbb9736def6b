import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { readCompose, tributaryServices, type ComposeFile } from './compose.js';

// The Compose Specification's own schema, vendored (deploy/schemas/README.md).
const schema = JSON.parse(readFileSync(new URL('../../deploy/schemas/compose-spec.json', import.meta.url), 'utf8')) as object;
// strict: false only relaxes checks on the schema's own authoring (it has keywords Ajv's strict mode flags).
const ajv = new Ajv({ allErrors: true, strict: false });
// The schema names draft-07 by its https address; Ajv knows the same meta-schema by http.
ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
const validate = ajv.compile(schema);

describe('deploy/compose.yaml', () => {
  const compose = readCompose();

  it('is valid against the Compose Specification schema', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check is real: an unknown condition or a misspelt field fails it', () => {
    const broken: ComposeFile = structuredClone(compose);
    broken.services.gateway = { ...broken.services.gateway, depends_on: { migrate: { condition: 'service_finished' } } };
    expect(validate(broken)).toBe(false);
    const unknownField = structuredClone(compose);
    unknownField.services.orders = { ...unknownField.services.orders, ...{ helthcheck: {} } };
    expect(validate(unknownField)).toBe(false);
  });

  it('runs two gateway replicas and two sync workers', () => {
    expect(compose.services.gateway?.deploy?.replicas).toBe(2);
    expect(compose.services.sync?.deploy?.replicas).toBe(2);
  });

  it('every long-running service has a health check and restarts; the one-shots do neither', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const oneShot = name === 'migrate' || name === 'keyring-init';
      expect(service.restart, name).toBe(oneShot ? 'no' : 'unless-stopped');
      if (oneShot) expect(service.healthcheck?.disable, name).toBe(true);
      else expect(service.healthcheck?.test?.length, name).toBeGreaterThan(0);
    }
  });

  it('migrations and the keyring come first: every service waits for both to complete', () => {
    expect(compose.services.migrate?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      mariadb: { condition: 'service_healthy' },
    });
    const running = tributaryServices(compose).filter(([name]) => name !== 'migrate' && name !== 'keyring-init');
    expect(running.map(([name]) => name).sort()).toEqual(['erp', 'gateway', 'orders', 'processing', 'sync']);
    for (const [name, service] of running) {
      expect(service.depends_on?.migrate, name).toEqual({ condition: 'service_completed_successfully' });
      expect(service.depends_on?.['keyring-init'], name).toEqual({ condition: 'service_completed_successfully' });
      // The release step owns migrations; a replica starting alongside must not run them too.
      expect(service.environment?.MIGRATE_ON_START, name).toBe('false');
      expect(service.command, name).toEqual(['serve', name]);
    }
    expect(compose.services.migrate?.entrypoint?.join(' ')).toMatch(
      /for service in orders processing erp gateway sync; do node apps\/cli\/dist\/main\.js migrate/,
    );
  });

  it('gives every service its own database and the gateway its secrets, Redis and the console', () => {
    const urls = tributaryServices(compose)
      .map(([, service]) => service.environment?.DATABASE_URL)
      .filter((url): url is string => url !== undefined);
    expect(new Set(urls).size).toBe(5);
    expect(compose.services.erp?.environment?.DATABASE_URL).toMatch(/^mysql:\/\/.+@mariadb:3306\/erp$/);
    const gateway = compose.services.gateway?.environment ?? {};
    expect(gateway.REDIS_URL).toBe('redis://redis:6379');
    expect(gateway.CONSOLE_DIR).toBe('/app/apps/console/dist');
    expect(gateway.TRIBUTARY_ADMIN_PASSWORD_FILE).toBe('/run/secrets/admin_password');
    expect(gateway.GATEWAY_SECRET_KEY_FILE).toBe('/run/secrets/gateway_secret_key');
    expect(compose.services.gateway?.secrets?.sort()).toEqual(['admin_password', 'gateway_secret_key']);
  });

  it('every file a variable names is on a mounted volume or a declared secret', () => {
    let checked = 0;
    for (const [name, service] of tributaryServices(compose)) {
      const mounts = (service.volumes ?? []).map((volume) => volume.split(':')[1]!);
      const secrets = (service.secrets ?? []).map((secret) => `/run/secrets/${secret}`);
      for (const [variable, path] of Object.entries(service.environment ?? {}).filter(([key]) => key.endsWith('_FILE'))) {
        const found = secrets.includes(path) || mounts.some((mount) => path.startsWith(`${mount}/`));
        expect(found, `${name} ${variable}`).toBe(true);
        checked += 1;
      }
    }
    // The keyring in each of the five services, and the gateway's two secrets.
    expect(checked).toBe(7);
  });

  it('creates one PostgreSQL database per PostgreSQL service', () => {
    const sql = readFileSync(new URL('../../deploy/postgres-init.sql', import.meta.url), 'utf8');
    const created = [...sql.matchAll(/^CREATE DATABASE (\w+);$/gm)].map((match) => match[1]);
    const wanted = tributaryServices(compose)
      .map(([, service]) => /@postgres:5432\/(\w+)$/.exec(service.environment?.DATABASE_URL ?? '')?.[1])
      .filter((name): name is string => name !== undefined);
    expect(created.sort()).toEqual(['gateway', 'orders', 'processing', 'sync']);
    expect([...new Set(wanted)].sort()).toEqual(created);
  });

  it('the monitoring profile: Prometheus loads the alert rules and scrapes with the token the services accept', () => {
    const prometheus = compose.services.prometheus;
    expect(prometheus?.profiles).toEqual(['monitoring']);
    expect(prometheus?.volumes).toEqual(
      expect.arrayContaining([
        './prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
      ]),
    );
    expect(prometheus?.secrets).toEqual(['metrics_token']);
    const config = readFileSync(new URL('../../deploy/prometheus/prometheus.yml', import.meta.url), 'utf8');
    expect(config).toMatch(/rule_files:\n\s+- alerts\.yml/);
    expect(config).toContain('credentials_file: /run/secrets/metrics_token');
    for (const [name, service] of tributaryServices(compose).filter(([name]) => name !== 'migrate' && name !== 'keyring-init'))
      expect(service.environment?.METRICS_TOKEN, name).toBe('${METRICS_TOKEN:-}');
    expect(compose.services.grafana?.volumes).toContain('./grafana/dashboards:/var/lib/grafana/dashboards:ro');
  });
});
