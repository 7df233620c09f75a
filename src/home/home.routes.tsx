import { Hono } from 'hono';
import { useRequestContext } from 'hono/jsx-renderer';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../http/middleware.tsx';

function HomePage() {
  const c = useRequestContext<AppEnv>();
  const { t } = c.get('i18n');
  const auth = c.get('auth')!;
  return (
    <section>
      <h1>{t('home.welcome', { name: auth.user.name })}</h1>
      <p>{auth.user.role === 'user' ? t('home.noLicenses') : t('home.adminIntro')}</p>
    </section>
  );
}

export const homeRoutes = new Hono<AppEnv>().get('/', requireRole(), (c) => {
  const auth = c.get('auth')!;
  if (auth.org.kind === 'partner') return c.redirect('/portal', 303);
  return c.render(<HomePage />, { title: c.get('i18n').t('home.title') });
});
