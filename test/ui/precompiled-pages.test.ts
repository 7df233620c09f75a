/**
 * The server's bundle precompiles the app's JSX (src/ui/jsx/precompile.ts); here every page of the app
 * (test/e2e/pages.ts: each person's pages, error pages included), in English, Polish and Chinese, is
 * rendered by the app as the server runs it and by the same app with its JSX through the runtime alone,
 * from the same database and session: the HTML must be the same, byte for byte (decision 113).
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.ts';
import type { createApp as CreateApp } from '../../src/app.tsx';
import { loadAssets } from '../../src/assets/manifest.ts';
import { parseEnv } from '../../src/env.ts';
import { LOCALE_COOKIE } from '../../src/http/middleware.tsx';
import { Client, createTestApp, type TestApp } from '../support/app.ts';
import { emailOf, everyPage, prepareEveryPage, type Who } from '../e2e/pages.ts';

let t: TestApp;
let runtimeApp: ReturnType<typeof CreateApp>;
let pages: Record<Who, string[]>;
// Beside dist/server.js, so the bundle finds the project as the server does; its dependencies are the tests' own.
const bundle = `${projectRoot}dist/app-runtime-jsx.${process.pid}.mjs`;

beforeAll(async () => {
  t = await createTestApp();
  pages = everyPage(t.fx, await prepareEveryPage(t));
  await build({
    entryPoints: [`${projectRoot}src/app.tsx`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: '#jsx',
    outfile: bundle,
    logLevel: 'warning',
  });
  const { createApp } = (await import(bundle)) as { createApp: typeof CreateApp };
  runtimeApp = createApp({ db: t.db, env: parseEnv({ NODE_ENV: 'test' }), assets: loadAssets(), now: () => t.clock.now });
});

afterAll(async () => {
  rmSync(bundle, { force: true });
  await t?.close();
});

describe('precompiled JSX on every page', () => {
  for (const who of ['anon', 'global', 'user', 'partner'] as Who[]) {
    it(`writes the runtime's HTML on the pages of ${who === 'anon' ? 'a visitor' : `the ${who} account`}, in en, pl and zh`, async () => {
      const email = emailOf(t.fx, who);
      const precompiled = email ? await t.signedIn(email) : t.client();
      if (!precompiled.csrf) await precompiled.get('/signin');
      const runtime = Object.assign(new Client(runtimeApp), { address: precompiled.address });
      // Two-step sign-in's setup shows a new secret key (and its QR code) at every visit.
      const compared = pages[who].filter((path) => path !== '/settings/two-step');
      const differing: string[] = [];
      for (const locale of ['en', 'pl', 'zh']) {
        precompiled.cookies.set(LOCALE_COOKIE, locale);
        for (const path of compared) {
          // The same person, session and address on the runtime-only app.
          runtime.cookies = new Map(precompiled.cookies);
          const a = await precompiled.get(path);
          const b = await runtime.get(path);
          expect(a.text).toContain(locale === 'zh' ? 'lang="zh-CN"' : `lang="${locale}"`);
          if (b.status !== a.status || b.text !== a.text) differing.push(`${locale} ${path}`);
        }
      }
      expect(differing).toEqual([]);
    });
  }
});
