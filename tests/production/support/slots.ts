import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { startBuilt, untilOk } from '../../../apps/cli/test/support/built.js';

/** How many of a process's last lines a failure shows. */
const TAIL_LINES = 25;

/** Every `serve` process this file started that has not ended yet, for cleanup after an aborted start. */
const live = new Set<ChildProcess>();
let abandoned = false;

/** One `tributary serve` process slot: its port stays the same across restarts, as a container's would. */
export interface ServiceProcess {
  readonly name: string;
  readonly service: string;
  readonly port: number;
  readonly url: string;
  readonly env: Record<string, string>;
  child: ChildProcess | undefined;
  /** Every line the slot's processes wrote (stdout and stderr), across restarts. */
  readonly lines: string[];
  /** How each earlier process of the slot ended. */
  readonly exits: Array<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Ports the slots keep across restarts, below the kernel's ephemeral range. A port from that
 * range (what listening on port 0 hands out) is free only until the next outgoing connection
 * anywhere on the machine, a database pool's or an HTTP client's, or another test's port-0
 * server, happens to be given the same number; while a killed process is down, any of them can
 * take its port, and its restart then cannot listen. No connection and no port-0 listener is
 * ever given a port below the range.
 */
export async function slotPorts(count: number): Promise<number[]> {
  const [low] = await ephemeralRange();
  const floor = Math.max(1024, low - 12_000);
  const ports = new Set<number>();
  for (let tries = 0; ports.size < count; tries++) {
    if (tries > 200) throw new Error(`no ${count} free ports between ${floor} and ${low - 1}`);
    const port = floor + Math.floor(Math.random() * (low - floor));
    if (!ports.has(port) && (await canListen(port))) ports.add(port);
  }
  return [...ports];
}

async function ephemeralRange(): Promise<[number, number]> {
  // Linux's range; elsewhere IANA's dynamic ports (49152–65535), which macOS and Windows use.
  const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '49152 65535');
  const [low = 49152, high = 65535] = text.trim().split(/\s+/).map(Number);
  return [low, high];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The slot's last lines and how its processes ended, for a failure message. */
export function slotReport(slot: ServiceProcess): string {
  const exits = slot.exits.map((exit) => (exit.signal ? exit.signal : `exit ${exit.code}`)).join(', ') || 'none';
  return `${slot.name} (earlier processes: ${exits}; last lines below)\n${slot.lines.slice(-TAIL_LINES).join('\n')}`;
}

/**
 * Starts the slot's process and resolves once that process itself said it is up. `/health/ready`
 * answers as soon as a server listens on the port, and says nothing of which process listens:
 * a process that could not take its port (it exits 71) would pass behind another server that
 * holds it. The line `<service> listening` with the slot's URL comes from the child itself, after
 * its workers started and its signal handlers are in place; readiness is checked after it.
 */
export async function startSlot(slot: ServiceProcess): Promise<void> {
  if (abandoned) throw new Error(`not starting ${slot.name}: the topology was abandoned`);
  const child = startBuilt(['serve', slot.service], slot.env);
  slot.child = child;
  live.add(child);
  let partial = '';
  let announce: (() => void) | undefined;
  const announced = new Promise<void>((resolve) => (announce = resolve));
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter((candidate) => candidate.length > 0)) {
      slot.lines.push(line);
      if (announcesReady(line, slot)) announce?.();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const ended = new Promise<never>((_, reject) =>
    child.once('close', (code, signal) => {
      live.delete(child);
      if (partial) slot.lines.push(partial);
      slot.exits.push({ code, signal });
      if (slot.child === child) slot.child = undefined;
      reject(new Error(`${slot.name} ended (${signal ?? `exit ${code}`}) before it was ready: ${slotReport(slot)}`));
    }),
  );
  // The rejection is only for the wait below; a later end is recorded in `exits` all the same.
  ended.catch(() => undefined);
  await Promise.race([announced, ended]);
  await Promise.race([untilOk(`${slot.url}/health/ready`, child), ended]);
}

function announcesReady(line: string, slot: ServiceProcess): boolean {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return entry.msg === `${slot.service} listening` && entry.url === slot.url;
  } catch {
    return false;
  }
}

/** Sends `signal` and waits for the process to be gone. */
export async function stopSlot(slot: ServiceProcess, signal: NodeJS.Signals): Promise<void> {
  const child = slot.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill(signal);
  await gone;
}

/**
 * Kills every process still running and refuses new starts: for a start that timed out in
 * its hook, whose topology the test never received and so cannot close, and which would go on
 * starting processes after the run.
 */
export async function abandonSlots(): Promise<void> {
  abandoned = true;
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
