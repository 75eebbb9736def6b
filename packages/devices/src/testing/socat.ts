import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SerialPort } from 'serialport';

/**
 * A pseudo-terminal pair standing in for a serial cable: the bridge opens `device`, the test
 * plays the hardware on `peer`. socat removes both links when it exits, which is what an
 * unplugged USB adapter looks like to the bridge.
 */
export interface PtyPair {
  device: string;
  peer: string;
  stop(): Promise<void>;
}

export async function startPtyPair(dir: string, name: string): Promise<PtyPair> {
  const device = join(dir, name);
  const peer = join(dir, `${name}-peer`);
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${peer}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      // Both links exist once socat says it is transferring.
      if (log.includes('starting data transfer loop')) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`socat exited (${code}) before the pair was ready: ${log}`)));
  });
  child.stderr?.resume();
  return { device, peer, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The hardware's end of a pair: what it sends, and everything the bridge wrote to it. */
export interface Peer {
  send(data: string | Buffer): Promise<void>;
  received(): Buffer;
  /** Resolves once the bytes received so far satisfy `done`. */
  until(done: (received: Buffer) => boolean, what: string): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openPeer(path: string): Promise<Peer> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let received = Buffer.alloc(0);
  const waiters = new Set<() => void>();
  port.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    for (const waiter of waiters) waiter();
  });
  return {
    send: (data) =>
      new Promise((resolve, reject) => {
        port.write(data, (error) => (error ? reject(error) : port.drain((drainError) => (drainError ? reject(drainError) : resolve()))));
      }),
    received: () => received,
    until: (done, what) => waitFor(() => (done(received) ? received : null), waiters, what),
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

/** How long a test waits for a device's answer before saying which one never came. */
export const WAIT_MS = 15_000;

/** Waits until `check` answers something, re-checking whenever a listener in `waiters` is told. */
export function waitFor<T>(check: () => T | null, waiters: Set<() => void>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const first = check();
    if (first !== null) return resolve(first);
    const timer = setTimeout(() => {
      waiters.delete(wake);
      reject(new Error(`timed out waiting for ${what}`));
    }, WAIT_MS);
    const wake = () => {
      const value = check();
      if (value === null) return;
      clearTimeout(timer);
      waiters.delete(wake);
      resolve(value);
    };
    waiters.add(wake);
  });
}
