import { Hono, type MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/context.ts';
import { pipeline } from '../../src/http/pipeline.ts';

/** A layer that notes its name and goes on, or answers when the request asks it to stop there. */
const layer =
  (name: string, seen: string[]): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    seen.push(name);
    if (c.req.query('stop') === name) return c.text(`stopped by ${name}`, 403);
    await next();
  };

function appWith(seen: string[]) {
  const app = new Hono<AppEnv>();
  app.use(pipeline(layer('first', seen), layer('second', seen), layer('third', seen)));
  app.get('/', (c) => {
    seen.push('route');
    return c.text('route');
  });
  return app;
}

describe('a pipeline of before-route middleware', () => {
  it('runs its layers in order, then the route', async () => {
    const seen: string[] = [];
    const res = await appWith(seen).request('/');
    expect(await res.text()).toBe('route');
    expect(seen).toEqual(['first', 'second', 'third', 'route']);
  });

  it('stops at the layer that answers: later layers and the route do not run', async () => {
    const seen: string[] = [];
    const res = await appWith(seen).request('/?stop=second');
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('stopped by second');
    expect(seen).toEqual(['first', 'second']);
  });
});
