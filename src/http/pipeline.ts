import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';

const passed = Promise.resolve();

/**
 * Middleware that only works before the route (none of them does anything after `next()`), run as one
 * layer: each answers the request or calls `next()` to let it go on, as in hono, but `next()` only
 * records that it may go on, and the route runs once they all did. Hono runs every layer in an async
 * dispatch of its own that waits for all the later ones: two suspended async frames per layer held by
 * every request while it waits for the database, which is what the garbage collector copies
 * (docs/decisions/095).
 */
export function pipeline(...layers: MiddlewareHandler<AppEnv>[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let went = 0;
    const goOn = () => {
      went++;
      return passed;
    };
    for (let i = 0; i < layers.length; i++) {
      const answer = await layers[i](c, goOn);
      if (went <= i) return answer;
    }
    return next();
  };
}
