/**
 * `npx tsx test/bench/renderer.tsx`: the cost of rendering /subscriptions' page (20 rows, layout,
 * brotli) in-process, no database, no sockets, three ways:
 *   jsxRenderer vs plain — one small document component behind hono's jsxRenderer middleware, and the
 *                  same component set by hand with `c.setRenderer` (the mechanism alone);
 *   app layout   — the app's real `layout` (full page: header, navigation, footer);
 *   no ALS       — the app's layout with hono/jsx unable to find AsyncLocalStorage (a child process),
 *                  i.e. what hono/jsx's per-render AsyncLocalStorage costs on this Node.
 * Prints µs per request (median of 5 batches). Evidence for docs/decisions/083.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.RENDER_N ?? 2000);

if (process.env.RENDER_NO_ALS === '1') {
  // hono/jsx probes process.getBuiltinModule('node:async_hooks'); hide AsyncLocalStorage from it only.
  const original = process.getBuiltinModule.bind(process);
  (process as { getBuiltinModule: unknown }).getBuiltinModule = (id: string) => (id === 'node:async_hooks' ? {} : original(id as never));
}

const { Hono } = await import('hono');
const { RequestContext, jsxRenderer } = await import('hono/jsx-renderer');
type Child = import('hono/jsx').Child;
const { compress } = await import('../../src/http/compress.ts');
const { layout } = await import('../../src/ui/layout.tsx');
const { i18n } = await import('../../src/i18n/index.ts');
const { SubscriptionsPage } = await import('../../src/subscriptions/subscriptions.views.tsx');
type AppEnv = import('../../src/context.ts').AppEnv;

const rows = Array.from({ length: 20 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  productId: 'business-standard',
  productName: `Microsoft 365 Business Standard ${i}`,
  quantity: 10 + i,
  status: 'active' as const,
  renewsAt: new Date(Date.UTC(2027, 0, 1 + i)),
  version: 1,
  partnerName: i % 3 ? 'Northwind Traders' : null,
  partnerId: i % 3 ? '1000001' : null,
  heldByReseller: false,
}));

type Variant = 'app' | 'jsxRenderer' | 'plain';

const Doc = ({ title, children }: { title: string; children?: Child }) => (
  <html lang="en">
    <head>
      <title>{`${title} · partnerdesk`}</title>
    </head>
    <body>
      <main id="main">{children}</main>
    </body>
  </html>
);

function app(variant: Variant) {
  const a = new Hono<AppEnv>();
  a.use(compress());
  a.use(async (c, next) => {
    c.set('deps', { assets: { css: '/assets/app.css', htmx: '/assets/htmx.js' } } as never);
    c.set('i18n', i18n('en'));
    c.set('csrf', 'abcdefghijklmnopqrstuvwxyz234567');
    c.set('flash', null);
    c.set('auth', {
      sessionId: 'x',
      user: { id: 'u', orgId: 'o', email: 'a@b.c', name: 'Ada Admin', role: 'global_admin', view: 'dashboard', isBillingOwner: true },
      org: { id: 'o', kind: 'customer', name: 'Contoso Sp. z o.o.', country: 'PL' },
    } as never);
    await next();
  });
  if (variant === 'app') a.use(layout);
  else if (variant === 'jsxRenderer')
    a.use(jsxRenderer(({ children, title }: { title: string; children?: Child }) => <Doc title={title}>{children}</Doc>, { docType: true }));
  else {
    a.use(async (c, next) => {
      c.setRenderer((content, props) =>
        c.html(
          <>
            {'<!DOCTYPE html>'}
            <RequestContext.Provider value={c}>
              <Doc title={props.title}>{content}</Doc>
            </RequestContext.Provider>
          </>,
        ),
      );
      await next();
    });
  }
  a.get('/s', (c) =>
    c.render(
      <SubscriptionsPage
        list={rows}
        next="x"
        summary={{ version: '1', selectable: rows.length }}
        state={{ sort: 'created', dir: 'desc', after: null }}
        form={{}}
      />,
      { title: 'Subscriptions' },
    ),
  );
  return a;
}

async function time(variant: Variant): Promise<number> {
  const a = app(variant);
  const headers = { 'accept-encoding': 'br' };
  for (let i = 0; i < 300; i++) await (await a.request('/s', { headers })).arrayBuffer();
  const batches: number[] = [];
  for (let b = 0; b < 5; b++) {
    const started = performance.now();
    for (let i = 0; i < N / 5; i++) await (await a.request('/s', { headers })).arrayBuffer();
    batches.push(((performance.now() - started) * 1000) / (N / 5));
  }
  return batches.sort((x, y) => x - y)[2];
}

if (process.env.RENDER_NO_ALS === '1') {
  process.stdout.write(String(await time('app')));
} else {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, RENDER_NO_ALS: '1' },
    encoding: 'utf8',
  });
  const noAls = Number(child.stdout.trim().split('\n').at(-1));
  const withRenderer = await time('jsxRenderer');
  const plain = await time('plain');
  const full = await time('app');
  console.log(`/subscriptions page, 20 rows, brotli 4, in-process, median µs per request (N=${N}, node ${process.version}):`);
  console.log(`  small document, jsxRenderer          ${withRenderer.toFixed(0)} µs`);
  console.log(`  small document, plain setRenderer    ${plain.toFixed(0)} µs`);
  console.log(`  app layout (jsxRenderer), full page  ${full.toFixed(0)} µs`);
  console.log(`  app layout, hono/jsx without ALS     ${Number.isFinite(noAls) ? noAls.toFixed(0) : `failed: ${child.stderr.slice(-300)}`} µs`);
}
