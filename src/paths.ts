import { fileURLToPath } from 'node:url';

/**
 * The project folder. This module sits one level below it both as source (src/paths.ts) and bundled
 * (dist/server.js), so the same relative URL works in both.
 */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
