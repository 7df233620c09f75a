import { zValidator } from '@hono/zod-validator';
import type { Context, MiddlewareHandler } from 'hono';
import type { output, ZodType } from 'zod';
import type { AppEnv } from '../context.ts';
import { errorPage } from './middleware.tsx';

const refuse = (result: { success: boolean }, c: Context) => {
  if (!result.success) return errorPage(c as Context<AppEnv>, 400, 'error.badRequest.title', 'error.badRequest.body');
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
