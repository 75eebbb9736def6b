import { createClient } from 'redis';

function create(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(retries * 100, 2000) } });
  // Errors surface through the commands that fail; the event must have a listener or Node throws.
  client.on('error', () => undefined);
  return client;
}

export type RedisClient = ReturnType<typeof create>;

export async function connectRedis(url: string): Promise<RedisClient> {
  const client = create(url);
  await client.connect();
  return client;
}
