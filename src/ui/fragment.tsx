import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { RequestContext } from 'hono/jsx-renderer';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The text of a fragment's status message (`role="status"`), tags stripped, still HTML-escaped. */
export function statusText(html: string): string | null {
  const m = /<(p|div)\b[^>]*\brole="status"[^>]*>([\s\S]*?)<\/\1>/.exec(html);
  return m ? m[2].replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim() || null : null;
}

/**
 * Answers an htmx request with just a part of the page: the very component the full page renders,
 * given the request context so it can use `useRequestContext` as it does inside the layout.
 * A status message the part carries is also swapped into the layout's live region (#live): a
 * role="status" element that arrives with a swap is new to the page and screen readers skip it,
 * while a change inside a live region present since the page loaded is announced.
 */
export async function fragment(c: Context, node: Child, status: ContentfulStatusCode = 200) {
  const html = String(await (<RequestContext.Provider value={c}>{node}</RequestContext.Provider>).toString());
  const text = statusText(html);
  const live = text ? `<div id="live" data-hx-swap-oob="innerHTML">${text}</div>` : '';
  return c.html(html + live, status);
}
