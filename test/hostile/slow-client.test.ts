/**
 * Issue 23 §4: a slow client — one trickling its headers, or its body — is answered 408 and closed after a
 * bounded time, by node's own server as src/server.ts starts it (`serverTimeouts` through @hono/node-server's
 * `serve`). Real sockets against the node server; the limits are shortened here so the test takes seconds,
 * and the real ones are held to their bounds.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverTimeouts } from '../../src/health/slow-clients.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let server: ReturnType<typeof serve>;
let port: number;
const short = { ...serverTimeouts, headersTimeout: 1_000, requestTimeout: 2_000, keepAliveTimeout: 800, connectionsCheckingInterval: 100 };

beforeAll(async () => {
  t = await createTestApp();
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: short });
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.close();
  await t?.close();
});

/** Opens a socket, writes `first`, then `drip` every 200 ms until the server closes it: how long that took and what came back. */
function trickle(first: string, drip: string): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let timer: NodeJS.Timeout;
    socket.on('connect', () => {
      socket.write(first);
      timer = setInterval(() => socket.writable && socket.write(drip), 200);
    });
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ ms: Date.now() - started, answer });
    });
    setTimeout(() => reject(new Error('the server never closed the slow connection')), 15_000).unref();
  });
}

describe('slow clients', () => {
  it('the real limits are bounded: headers within 10 s, the whole request within 30 s, checked every second', () => {
    expect(serverTimeouts.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(serverTimeouts.requestTimeout).toBeLessThanOrEqual(30_000);
    expect(serverTimeouts.keepAliveTimeout).toBeLessThan(serverTimeouts.headersTimeout);
    expect(serverTimeouts.connectionsCheckingInterval).toBeLessThanOrEqual(1_000);
  });

  it('a client trickling headers is answered 408 and closed once the header time is up', async () => {
    const { ms, answer } = await trickle('GET /healthz HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: 1\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(short.headersTimeout + 1_500);
  });

  it('a client trickling a body is answered 408 and closed once the request time is up', async () => {
    const head = 'POST /signin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\n';
    const { ms, answer } = await trickle(head, 'a');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(ms).toBeLessThan(short.requestTimeout + 1_500);
  });

  it('a quick client is served as before, twice on one kept-alive connection', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let got = '';
      socket.on('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      socket.on('data', (d) => {
        got += d.toString();
        if ((got.match(/\r\n\r\nok/g) ?? []).length === 1 && !got.includes('second')) {
          got += 'second';
          socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
        } else if ((got.match(/\r\n\r\nok/g) ?? []).length === 2) {
          socket.end();
          resolve(got);
        }
      });
    });
    expect(answer.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  });
});
