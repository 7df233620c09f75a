import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { RequestContext } from 'hono/jsx-renderer';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Answers an htmx request with just a part of the page: the very component the full page renders,
 * given the request context so it can use `useRequestContext` as it does inside the layout.
 */
export function fragment(c: Context, node: Child, status: ContentfulStatusCode = 200) {
  return c.html(<RequestContext.Provider value={c}>{node}</RequestContext.Provider>, status);
}
