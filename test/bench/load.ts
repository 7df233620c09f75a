/** Single requests for the bench's set-up (signing in, following "next" links); the load itself is wrk's. */
import http from 'node:http';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request on `agent` (keep-alive), the whole body read. */
export function request(
  agent: http.Agent,
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}
