import type pg from 'pg';
import type { Logger } from '../core/logger.js';

/** A LISTEN held open on its own connection until closed. */
export interface Listening {
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;
const RETRY_MS = { first: 100, max: 10_000 };

/**
 * LISTEN on a connection of its own: a pooled connection goes back to the pool after each
 * query, and a LISTEN lasts only as long as the session that issued it. A notification is only
 * a hint that something changed (what changed is always read from the tables), so a dropped
 * connection is reopened with backoff and `onNotify` is called once it listens again: anything
 * sent while nobody listened would otherwise go unnoticed until the caller's next poll (that
 * call's payload is empty).
 */
export async function listenOnOwnConnection(
  connect: () => pg.Client,
  channel: string,
  onNotify: (payload: string) => void,
  logger?: Logger,
): Promise<Listening> {
  if (!CHANNEL.test(channel)) throw new Error(`invalid LISTEN channel name: ${channel}`);
  let closed = false;
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;

  const open = async (): Promise<void> => {
    if (closed) return;
    const client = connect();
    current = client;
    let lost = false;
    const reopen = (error?: unknown) => {
      if (lost || closed) return;
      lost = true;
      failures += 1;
      if (error) logger?.warn({ err: error, channel, failures }, 'LISTEN connection lost; reopening (polling covers the gap)');
      client.end().catch(() => undefined);
      const delay = Math.min(RETRY_MS.max, RETRY_MS.first * 2 ** Math.min(failures - 1, 7));
      retry = setTimeout(() => void open(), delay);
      retry.unref();
    };
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    client.on('error', reopen);
    client.on('end', () => reopen());
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      failures = 0;
      if (closed) await client.end();
      else onNotify('');
    } catch (error) {
      reopen(error);
    }
  };

  await open();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await current?.end().catch(() => undefined);
    },
  };
}
