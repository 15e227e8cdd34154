// Load generation with autocannon (programmatic API), feeding distinct pre-signed bodies.
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { SIGNATURE_HEADER, WEBHOOK_PATH } from './constants.mjs';

/**
 * A cursor over a pool of signed bodies, shared by every connection of a run (and kept across
 * runs against the same contender), so that no two requests to one contender carry the same
 * body until the pool wraps around.
 */
export class BodyCursor {
  next = 0;

  /** @param {{ body: Buffer, signature: string }[]} pool */
  constructor(pool) {
    this.pool = pool;
  }

  /** Whether the pool wrapped around (some bodies were sent twice). */
  get wrapped() {
    return this.next > this.pool.length;
  }

  take() {
    return this.pool[this.next++ % this.pool.length];
  }
}

/**
 * Loads `port` for `durationS` seconds.
 *
 * @param {object} options
 * @param {number} options.port
 * @param {BodyCursor} options.cursor
 * @param {number} options.durationS
 * @param {number} [options.connections]
 * @param {number} [options.overallRate] requests per second over all connections
 * @param {boolean} [options.recordLatencies] keep every 2xx latency (ms, sub-ms precision)
 */
export function runLoad({
  port,
  cursor,
  durationS,
  connections = 10,
  overallRate,
  recordLatencies,
}) {
  return new Promise((resolve, reject) => {
    const latencies = recordLatencies ? [] : undefined;
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: durationS,
        ...(overallRate ? { overallRate } : {}),
        requests: [
          {
            method: 'POST',
            path: WEBHOOK_PATH,
            setupRequest(request) {
              const { body, signature } = cursor.take();
              request.headers = {
                'content-type': 'application/json',
                [SIGNATURE_HEADER]: signature,
              };
              request.body = body;
              return request;
            },
          },
        ],
      },
      (error, result) => {
        if (error) reject(error);
        else resolve(summarize(result, latencies));
      },
    );
    if (latencies) {
      instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
        if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
      });
    }
  });
}

function summarize(result, latencies) {
  return {
    durationS: result.duration,
    ok: result['2xx'],
    rps: result['2xx'] / result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]),
    ),
    // autocannon's own histogram: whole milliseconds, corrected for coordinated omission.
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    latencies,
  };
}

/**
 * An open-loop, paced load: requests are due at a constant rate (checked every millisecond)
 * whatever the answers, over keep-alive connections (up to `maxSockets`), and each latency is
 * taken from the moment the request was due, so a stall is charged to every request it delays.
 * autocannon's `overallRate` is a per-second quota per connection (each connection fires
 * back-to-back until its quota is used, then waits for the next second), which turns a
 * "50 % load" into bursts at 100 % load; this is the steady arrival the target describes.
 *
 * @param {object} options
 * @param {number} options.port
 * @param {BodyCursor} options.cursor
 * @param {number} options.rate requests per second
 * @param {number} options.durationS
 * @param {number} [options.maxSockets]
 */
export async function runPaced({ port, cursor, rate, durationS, maxSockets = 64 }) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const total = Math.round(rate * durationS);
  const latencies = [];
  const statusCodes = {};
  let errors = 0;
  let sent = 0;
  let settled = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const settle = () => {
      if (++settled === total) resolve();
    };
    const send = (dueAt) => {
      postSigned(
        cursor.take(),
        { port, agent },
        (status) => {
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          if (status >= 200 && status < 300) latencies.push(performance.now() - dueAt);
          settle();
        },
        () => {
          errors++;
          settle();
        },
      );
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      while (sent < due) send(start + (sent++ / rate) * 1000);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();
  const ok = latencies.length;
  return { durationS: elapsedS, ok, rps: ok / elapsedS, errors, statusCodes, latencies };
}

/**
 * POSTs one signed body to the webhook path of 127.0.0.1:`port` over `agent`: `onEnd(status)`
 * once the response has been read, `onError(error)` if the request fails.
 */
export function postSigned({ body, signature }, { port, agent }, onEnd, onError) {
  const req = request(
    {
      host: '127.0.0.1',
      port,
      path: WEBHOOK_PATH,
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        [SIGNATURE_HEADER]: signature,
      },
    },
    (res) => {
      res.resume();
      res.on('end', () => onEnd(res.statusCode));
    },
  );
  req.on('error', onError);
  req.end(body);
}
