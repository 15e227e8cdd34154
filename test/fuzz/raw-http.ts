import http from 'node:http';

/** A request described byte for byte: header names keep their case, repeated headers stay repeated. */
export interface RawRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query, sent as is. */
  readonly path: string;
  /** Header lines in order, without `Host`, `Content-Length` or `Transfer-Encoding` (added here). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  /** `length`: one `Content-Length` write; `chunked`: the body in `chunks` pieces without a length. */
  readonly framing: 'length' | 'chunked';
  readonly chunks?: number;
}

export interface RawResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

/**
 * Sends a request with `node:http`, which (unlike fetch or supertest) sends repeated headers,
 * header names in any case and arbitrary bytes as given. Rejects when no response arrives:
 * a server that resets or hangs is a failure, never a status.
 */
export function sendRaw(
  port: number,
  agent: http.Agent,
  request: RawRequest,
  timeoutMs = 15_000,
): Promise<RawResponse> {
  // With raw header lines Node adds no Host header, and its server answers 400 without one.
  const headers = ['Host', `127.0.0.1:${port}`];
  for (const [name, value] of request.headers) headers.push(name, value);
  if (request.framing === 'length') headers.push('Content-Length', String(request.body.length));
  else headers.push('Transfer-Encoding', 'chunked');
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`no response within ${timeoutMs} ms to ${describeRequest(request)}`)),
    );
    req.on('error', reject);
    if (request.framing === 'chunked') {
      const pieces = Math.max(1, request.chunks ?? 1);
      const size = Math.ceil(request.body.length / pieces);
      for (let offset = 0; offset < request.body.length; offset += size) {
        req.write(request.body.subarray(offset, offset + size));
      }
      req.end();
    } else {
      req.end(request.body);
    }
  });
}

/** A short, printable summary of a request for failure messages (bodies can be megabytes). */
export function describeRequest(request: RawRequest): string {
  const preview = request.body.subarray(0, 300).toString('latin1');
  const headers = request.headers.map(([name, value]) => `${name}: ${value.slice(0, 120)}`);
  return [
    `${request.method} ${request.path.slice(0, 300)} (${request.framing}, ${request.body.length} bytes)`,
    ...headers,
    JSON.stringify(preview) + (request.body.length > 300 ? '…' : ''),
  ].join('\n  ');
}
