import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, runBuilt } from '../../apps/cli/test/support/built.js';
import { slotPorts, startSlot, type ServiceProcess } from './support/slots.js';

/*
 * How the production topology test decides that a restarted process is up. It once took a
 * ready answer on a slot's port for the restarted process's own, while that process had exited
 * because the port was taken: the topology test then found it "not killed" and "not stopped".
 */
describe('a topology slot', () => {
  let dir: string;
  let keyringFile: string;

  beforeAll(async () => {
    await buildOnce();
    dir = await mkdtemp(join(tmpdir(), 'tributary-slots-'));
    keyringFile = join(dir, 'keyring.json');
    const init = await runBuilt(['keyring', 'init', '--file', keyringFile], {});
    expect(init.code).toBe(0);
  }, 180_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('gets ports no outgoing connection or port-0 listener can be given', async () => {
    const [low] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
    const ports = await slotPorts(7);
    expect(new Set(ports).size).toBe(7);
    expect(ports.filter((port) => port >= low! || port < 1024)).toEqual([]);
  });

  it('is not started while another server answers ready on its port: the process exits 71 and its lines say why', async () => {
    const [port] = await slotPorts(1);
    // What else may hold the port: another service's server, ready and answering 200.
    const other: Server = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    const slot: ServiceProcess = {
      name: 'sync-b',
      service: 'sync',
      port: port!,
      url: `http://127.0.0.1:${port}`,
      env: {
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        TRIBUTARY_KEYRING_FILE: keyringFile,
        TRIBUTARY_DATA_DIR: join(dir, 'data'),
        MIGRATE_ON_START: 'false',
        // Never reached: the port is checked before the database is opened.
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      },
      child: undefined,
      lines: [],
      exits: [],
    };
    try {
      await expect(startSlot(slot)).rejects.toThrow(/sync-b ended \(exit 71\) before it was ready/);
      expect(slot.exits).toEqual([{ code: 71, signal: null }]);
      expect(slot.lines.join('\n')).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(PORT\\): address in use`));
      expect(slot.child).toBeUndefined();
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  }, 60_000);
});
