import { Hono } from 'hono';

/**
 * A 16×16 icon small enough to sit in every page as a data URL (no request, nothing to cache), and the
 * same bytes at /favicon.ico for clients that ask for it anyway, so that address never answers 404.
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5cad"/><path d="M5 13V3h3.5a3 3 0 0 1 0 6H5" fill="none" stroke="#fff" stroke-width="2"/></svg>';

export const FAVICON_DATA_URL = `data:image/svg+xml,${encodeURIComponent(FAVICON_SVG)}`;

export const faviconRoute = new Hono().get('/favicon.ico', (c) =>
  c.body(FAVICON_SVG, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=604800' }),
);
