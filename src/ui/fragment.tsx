import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { render } from '#jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../context.ts';
import { isPartial } from '../http/respond.ts';
import { sendHtml } from '../http/compress.ts';

/** The text of a fragment's status message (`role="status"`), tags stripped, still HTML-escaped. */
export function statusText(html: string): string | null {
  const m = /<(p|div)\b[^>]*\brole="status"[^>]*>([\s\S]*?)<\/\1>/.exec(html);
  return m
    ? m[2]
        .replace(/<[^>]*>/g, '')
        .replace(/\s+/g, ' ')
        .trim() || null
    : null;
}

/**
 * Answers an htmx request with just a part of the page: the very component the full page renders,
 * given the request context so it can use `useRequestContext` as it does inside the layout.
 * A status message the part carries is also swapped into the layout's live region (#live): a
 * role="status" element that arrives with a swap is new to the page and screen readers skip it,
 * while a change inside a live region present since the page loaded is announced.
 */
export function fragment(c: Context, node: Child, status: ContentfulStatusCode = 200) {
  const html = render(c, node);
  const text = statusText(html);
  const live = text ? `<div id="live" data-hx-swap-oob="innerHTML">${text}</div>` : '';
  return sendHtml(c, html + live, status);
}

/** What the layout renders as the page body: a component, as routes write it (`<UsersPage … />`). */
type Body = Parameters<Context<AppEnv>['render']>[0];

/**
 * The one page-or-fragment answer. An htmx request for a part of the page (isPartial: the htmx
 * request headers) gets `part` as a fragment (with its status message copied into #live); any other
 * request, JavaScript off included, gets the whole page in the layout: `page`, or `part` when the part
 * is the page's whole body. Both are the same components, so a fragment is never a second markup.
 */
export async function respond(c: Context<AppEnv>, opts: { part: Body; page?: Body; title: string; status?: ContentfulStatusCode }) {
  if (isPartial(c)) return fragment(c, opts.part as Child, opts.status);
  c.status(opts.status ?? 200);
  return c.render(opts.page ?? opts.part, { title: opts.title });
}
