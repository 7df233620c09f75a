/**
 * Findings 5 and 6 of issue 7: malformed input is refused with a 400 page (never a 500), bad headers
 * are ignored, and a body larger than a form needs is refused with a 413 page before anything reads it.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.global);
}, 60_000);
afterAll(() => t?.close());

describe('malformed input', () => {
  it('a NUL or a broken percent/UTF-8 encoding in a query answers the 400 page', async () => {
    for (const query of ['q=%00', 'q=a%00b', 'q=%zz', 'q=%', 'q=%ff', 'q=%c3%28', '%00=x', 'q=%e2%82']) {
      const res = await admin.get(`/partners?${query}`, { 'accept-language': 'pl' });
      expect(res.status, query).toBe(400);
      expect(res.text, query).toContain('<h1>Nie można zrozumieć żądania</h1>');
    }
    expect((await admin.get('/partners?q=%C5%81%C3%B3d%C5%BA')).status).toBe(200);
  });

  it('a NUL or a broken encoding in a form field answers the 400 page and writes nothing', async () => {
    for (const name of ['Nul\u0000Name', 'Bell\u0007']) {
      const res = await admin.post('/users', { name, email: 'x@contoso.example' });
      expect(res.status, JSON.stringify(name)).toBe(400);
    }
    const raw = `_csrf=${admin.csrf}&email=a%ffb%40contoso.example&password=x`;
    const res = await admin.request('/signin', { method: 'POST', body: raw, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(400);
    const invalidUtf8 = Buffer.concat([Buffer.from(`_csrf=${admin.csrf}&email=`), Buffer.from([0xc3, 0x28])]);
    expect(
      (await admin.request('/signin', { method: 'POST', body: invalidUtf8, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status,
    ).toBe(400);
  });

  it('a multipart body with a wrong or truncated boundary is a 400, not a 500', async () => {
    const good = `--b1\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${admin.csrf}\r\n--b1\r\nContent-Disposition: form-data; name="q"\r\n\r\nx\r\n--b1--\r\n`;
    for (const [type, body] of [
      ['multipart/form-data; boundary=other', good],
      ['multipart/form-data; boundary=b1', good.slice(0, 40)],
      ['multipart/form-data', good],
    ]) {
      const res = await admin.request('/language', { method: 'POST', body, headers: { 'content-type': type } });
      expect(res.status, `${type} ${body.length}`).toBe(400);
    }
  });

  it('an Origin that is not a URL is refused as foreign (403), a Referer of "::::" is ignored', async () => {
    for (const origin of ['::::', 'not a url', 'http://']) {
      expect((await admin.post('/language', { locale: 'en', back: '/' }, { origin })).status, origin).toBe(403);
    }
    const anon = t.client();
    const res = await anon.post('/settings/view', { view: 'simplified', back: '/' }, { referer: '::::' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/signin?next=%2F');
  });
});

describe('body limits', () => {
  it("a form body over 64 KB answers the 413 page in the reader's language, unread", async () => {
    const big = 'x'.repeat(70 * 1024);
    const res = await admin.post('/language', { locale: 'en', back: big }, { 'accept-language': 'zh' });
    expect(res.status).toBe(413);
    expect(res.text).toContain('<h1>数据过多</h1>');
    expect((await admin.post('/language', { locale: 'en', back: 'y'.repeat(60 * 1024) })).status).toBe(303);
  });

  it('eight 20 MB sign-in posts leave the memory flat, with or without a Content-Length', async () => {
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const post = (withLength: boolean) =>
      new Promise<number>((resolve, reject) => {
        const total = 20 * 1024 * 1024;
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/signin',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(withLength ? { 'content-length': String(total) } : {}) },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
        let sent = 0;
        const pump = () => {
          while (sent < total && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!req.destroyed) req.end();
        };
        pump();
      });
    try {
      global.gc?.();
      const before = process.memoryUsage();
      const statuses = await Promise.all([...Array(8)].map((_, i) => post(i % 2 === 0)));
      global.gc?.();
      const after = process.memoryUsage();
      expect(statuses).toEqual(Array(8).fill(413));
      // 160 MB were offered; a server that buffered them would grow by at least that much.
      expect((after.rss - before.rss) / 2 ** 20, 'RSS growth, MB').toBeLessThan(40);
      expect((after.heapUsed - before.heapUsed) / 2 ** 20, 'heap growth, MB').toBeLessThan(20);
    } finally {
      server.close();
    }
  });
});
