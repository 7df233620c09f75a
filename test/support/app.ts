import { createApp } from '../../src/app.tsx';
import { loadAssets } from '../../src/assets/manifest.ts';
import { queryCounter, type Db } from '../../src/db/client.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/seed/seed.ts';
import { parseEnv } from '../../src/env.ts';
import { fixtures, type Fixtures } from './fixtures.ts';
import { openTestDatabase } from './database.ts';
import { givePartnerStaffTwoStep, passSecondStep } from './two-step.ts';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: Db;
  fx: Fixtures;
  /** Moves the app's clock (sessions, expiry) without waiting. */
  clock: { now: Date };
  client(): Client;
  /** A client already signed in as `email` (demo password), past the second step when the person has two-step sign-in (partner staff always do). */
  signedIn(email: string): Promise<Client>;
  close(): Promise<void>;
}

/** The demo data set, the app built by `createApp` exactly as the server builds it, and cookie-keeping clients. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  await seedDemo(database.db);
  const clock = { now: new Date() };
  const app = createApp({ db: database.db, env: parseEnv({ NODE_ENV: 'test', ...env }), assets: loadAssets(), now: () => clock.now });
  const fx = await fixtures(database.db);
  const client = () => new Client(app);
  return {
    app,
    db: database.db,
    fx,
    clock,
    client,
    async signedIn(email) {
      await givePartnerStaffTwoStep(database.db, email);
      const c = client();
      const res = await c.post('/signin', { email, password: DEMO_PASSWORD });
      if (res.status !== 303) throw new Error(`sign-in as ${email} failed: ${res.status}`);
      if (res.location?.startsWith('/signin/two-step')) await passSecondStep(database.db, c, email, clock.now);
      return c;
    },
    close: () => database.close(),
  };
}

export interface Sent {
  status: number;
  headers: Headers;
  text: string;
  /** Statements this request sent to the database. */
  queries: number;
  queryLog: string[];
  location: string | null;
}

let client = Math.floor(Math.random() * 1e6);

/** A browser-like client: keeps cookies, sends the CSRF token with every form like the pages do. */
export class Client {
  cookies = new Map<string, string>();
  /** Each client comes from its own address, as people do (sign-in limits count per address). */
  address = `10.${client % 250}.${(client >> 8) % 250}.${(++client % 250) + 1}`;
  constructor(private app: ReturnType<typeof createApp>) {}

  get csrf(): string | undefined {
    return this.cookies.get('pd_csrf');
  }

  /** The response as it leaves the server (still compressed), with the statements it cost. */
  async raw(path: string, init: RequestInit = {}): Promise<{ res: Response; queries: number }> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    if (!headers.has('host')) headers.set('host', 'localhost');
    const store = { count: 0, log: [] as string[] };
    const res = await queryCounter.run(store, () => this.app.request(path, { ...init, headers }, { incoming: { socket: { remoteAddress: this.address } } }));
    return { res, queries: store.count };
  }

  async request(path: string, init: RequestInit = {}): Promise<Sent> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    if (!headers.has('host')) headers.set('host', 'localhost');
    const store = { count: 0, log: [] as string[] };
    const res = await queryCounter.run(store, () => this.app.request(path, { ...init, headers }, { incoming: { socket: { remoteAddress: this.address } } }));
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attrs] = cookie.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || (/^expires=/i.test(a.trim()) && new Date(a.trim().slice(8)).getTime() < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, queries: store.count, queryLog: store.log, location: res.headers.get('location') };
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** Fetches a page first when no CSRF cookie is held yet, as a browser would have. */
  async post(path: string, form: Record<string, string | string[]> = {}, headers: Record<string, string> = {}) {
    if (!this.csrf) await this.get('/signin');
    const body = new URLSearchParams();
    body.append('_csrf', this.csrf!);
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }
}
