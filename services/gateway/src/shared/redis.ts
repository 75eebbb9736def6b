import type { createClient as CreateClient } from 'redis';

type RedisModule = { createClient: typeof CreateClient };

function create(redis: RedisModule, url: string) {
  const client = redis.createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(retries * 100, 2000) } });
  // Errors surface through the commands that fail; the event must have a listener or Node throws.
  client.on('error', () => undefined);
  return client;
}

export type RedisClient = ReturnType<typeof create>;

export async function connectRedis(url: string): Promise<RedisClient> {
  // Loaded only when Redis is configured: a single-replica start never needs the client.
  const client = create(await import('redis'), url);
  await client.connect();
  return client;
}
