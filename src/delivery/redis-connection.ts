import type { Redis, RedisOptions } from 'ioredis';

/** A `redis://` URL or ioredis options, as ioredis' constructor takes them. @internal */
export function redisConnectionOptions(
  connection: string | Record<string, unknown>,
): [url: string | undefined, options: RedisOptions] {
  return typeof connection === 'string'
    ? [connection, {}]
    : [undefined, connection as RedisOptions];
}

/**
 * Where queue mode keeps its done-markers: inside the queue's own key space,
 * `<prefix>:<queueName>:waba-done:<dedup key>`, so that every key the module writes starts with
 * the configured prefix (ACLs by key pattern, cleanup by prefix, and a `{hash tag}` prefix that
 * keeps a queue's keys in one Redis Cluster slot all hold). BullMQ names none of its keys
 * `waba-done`, and job ids here are hex digests.
 */
export function doneMarkerPrefix(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}:waba-done:`;
}

/**
 * Closes a connection for good: `QUIT` when it is connected (pending replies are read first),
 * otherwise a plain disconnect — `quit()` on a connection that never reached Redis leaves its
 * reconnect timer running, and the process would not exit after `app.close()`. @internal
 */
export async function closeRedis(connection: Redis | undefined): Promise<void> {
  if (!connection) return;
  if (connection.status === 'ready') {
    await connection.quit().catch(() => connection.disconnect());
  } else {
    connection.disconnect();
  }
}
