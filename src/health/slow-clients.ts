/**
 * Limits node's HTTP server holds slow clients to (issue 23): a client that trickles its headers, or its
 * body, holds a connection (and a request's memory) only for a bounded time, then node answers 408 and
 * closes it. A form is at most 64 KB (the body limit), which even a slow phone sends well within the
 * request's 30 s. src/server.ts passes these to `serve`; test/hostile/slow-client.test.ts holds them.
 */
import type { ServerOptions } from 'node:http';

export const serverTimeouts = {
  /** The whole header block must arrive within this (node's default is 60 s). */
  headersTimeout: 10_000,
  /** The whole request, body included (node's default is 300 s). */
  requestTimeout: 30_000,
  /** An idle keep-alive connection is closed after this; shorter than headersTimeout, as node requires. */
  keepAliveTimeout: 5_000,
  /** How often node checks the two timeouts above (its default, 30 s, would let a slow client stay 40 s). */
  connectionsCheckingInterval: 1_000,
} satisfies ServerOptions;
