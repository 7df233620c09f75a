import { Hono } from 'hono';
import { useRequestContext } from '#jsx/jsx-runtime';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../http/middleware.tsx';
import { licensesOfUser, type OwnLicense } from './home.queries.ts';

function HomePage({ licenses }: { licenses: OwnLicense[] }) {
  const c = useRequestContext<AppEnv>();
  const i18n = c.get('i18n');
  const { t, date } = i18n;
  const auth = c.get('auth')!;
  return (
    <section>
      <h1>{t('home.welcome', { name: auth.user.name })}</h1>
      {auth.user.role !== 'user' && <p>{t('home.adminIntro')}</p>}
      <h2>{t('home.licenses')}</h2>
      {licenses.length === 0 ? (
        <p>{t('home.noLicenses')}</p>
      ) : (
        <ul>
          {licenses.map((l) => (
            <li>
              {productName(i18n, l.productId, l.product)} <span class="muted">· {date(l.renewsAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export const homeRoutes = new Hono<AppEnv>().get('/', requireRole(), async (c) => {
  const auth = c.get('auth')!;
  if (auth.org.kind === 'partner') return c.redirect('/portal', 303);
  const licenses = await licensesOfUser(c.get('deps').db, auth.org.id, auth.user.id);
  return c.render(<HomePage licenses={licenses} />, { title: c.get('i18n').t('home.title') });
});
