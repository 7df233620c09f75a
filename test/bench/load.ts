/** A small closed-loop HTTP load generator: N connections, each sends its next request when the last one is answered. */
import http from 'node:http';

export interface LoadOptions {
  port: number;
  path: string;
  headers?: Record<string, string>;
  connections: number;
  /** Requests in this first part are sent but not counted (connections open, caches warm). */
  warmupMs: number;
  durationMs: number;
  expectStatus?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** status code (or 'network') → count, counted requests only */
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p99: number;
  max: number;
}

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
    const req = http.request(
      { agent, host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function load(opts: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const expect = opts.expectStatus ?? 200;
  const start = performance.now();
  const measureFrom = start + opts.warmupMs;
  const end = measureFrom + opts.durationMs;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;

  async function worker() {
    while (performance.now() < end) {
      const sent = performance.now();
      let status: string;
      try {
        status = String((await request(agent, opts.port, opts.path, { headers: opts.headers })).status);
      } catch {
        status = 'network';
      }
      const done = performance.now();
      if (sent < measureFrom || done > end) continue;
      latencies.push(done - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== String(expect)) errors++;
    }
  }
  await Promise.all(Array.from({ length: opts.connections }, worker));
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    errors,
    statuses,
    rps: sorted.length / (opts.durationMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}
