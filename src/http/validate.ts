import { zValidator } from '@hono/zod-validator';
import type { Context, MiddlewareHandler } from 'hono';
import type { output, ZodType } from 'zod';
import type { AppEnv } from '../context.ts';
import { errorPage } from './middleware.tsx';

/** The 400 page of a request no honest form or link sends. */
export const badRequest = (c: Context) => errorPage(c as Context<AppEnv>, 400, 'error.badRequest.title', 'error.badRequest.body');

const refuse = (result: { success: boolean }, c: Context) => {
  if (!result.success) return badRequest(c);
};

/**
 * Validation for what no honest form sends (a forged field, an unknown choice): a 400 page. What a
 * person can mistype is checked in the handler, so the form comes back with its message and values.
 */
export function form<S extends ZodType>(schema: S): MiddlewareHandler<AppEnv, string, { out: { form: output<S> } }> {
  return zValidator('form', schema, refuse) as never;
}

export function query<S extends ZodType>(schema: S): MiddlewareHandler<AppEnv, string, { out: { query: output<S> } }> {
  return zValidator('query', schema, refuse) as never;
}

/**
 * The query string parsed by `schema` as `query(schema)` parses it (a repeated key is an array), or null
 * where it would refuse: for a page's read planned before the route's middleware runs (auth/session-read.ts),
 * whose handler then answers a refusal with `badRequest`.
 */
export function parsedQuery<S extends ZodType>(c: Context, schema: S): output<S> | null {
  const value = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => (v.length === 1 ? [k, v[0]] : [k, v])));
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}
