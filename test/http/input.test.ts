import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/context.ts';
import { wellFormedInput } from '../../src/http/input.ts';

/** A route that answers the form as hono's body reader gives it, behind the input check or without it. */
function appWith(checked: boolean) {
  const app = new Hono<AppEnv>();
  if (checked) app.use(wellFormedInput());
  app.post('/', async (c) => c.json({ all: await c.req.parseBody({ all: true }), last: await c.req.parseBody() }));
  return app;
}

const post = (app: Hono<AppEnv>, body: string) =>
  app.request('/', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } });

describe('a form read after the input check', () => {
  const forms = [
    '_csrf=ABC234&action=add&partnerId=1000549',
    'ids%5B%5D=a&ids%5B%5D=b&ids%5B%5D=c&note=two+words',
    'city=%C5%81%C3%B3d%C5%BA&name=%E5%BC%A0%E4%BC%9F&empty=&flag&&tail=%26%3D',
    'q=1&q=2&q=3',
  ];

  it('gives the routes the same fields as hono parsing the body itself: names, order, repeats, spaces and UTF-8', async () => {
    for (const form of forms) {
      const ours = await post(appWith(true), form);
      const hono = await post(appWith(false), form);
      expect(ours.status).toBe(200);
      expect(await ours.json()).toEqual(await hono.json());
    }
  });

  it('reads what a person typed', async () => {
    const res = await post(appWith(true), forms[2]);
    expect((await res.json()).all).toEqual({ city: 'Łódź', name: '张伟', empty: '', flag: '', tail: '&=' });
    const repeated = await post(appWith(true), forms[3]);
    expect(await repeated.json()).toEqual({ all: { q: ['1', '2', '3'] }, last: { q: '3' } });
  });
});
