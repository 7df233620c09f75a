import type { Auth } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';
import { permissionsOf } from '../authorization/roles.rules.ts';

export interface NavGroup {
  label?: MessageKey;
  items: { href: string; label: MessageKey }[];
}

/** The navigation follows the admin's chosen view (SPEC: simplified vs dashboard); URLs are the same in both. */
export function navFor(user: Auth['user']): NavGroup[] {
  if (user.role === 'partner_admin' || user.role === 'partner_agent') {
    return [
      {
        items: [
          { href: '/portal', label: 'nav.customers' },
          { href: '/portal/links', label: 'nav.links' },
          { href: '/partners', label: 'nav.findPartner' },
        ],
      },
    ];
  }
  // A person with only narrower admin roles sees just the pages those roles open.
  const may = permissionsOf(user);
  const domains = may.includes('domains') ? [{ href: '/domains', label: 'nav.domains' as const }] : [];
  if (user.role === 'user') {
    const users = may.some((p) => p !== 'domains') ? [{ href: '/users', label: 'nav.users' as const }] : [];
    return [{ items: [{ href: '/', label: 'nav.home' }, ...users, ...domains] }];
  }
  // Settings → Security (the sign-in policy) is the global admins' alone.
  const security =
    user.role === 'global_admin'
      ? [
          { href: '/settings/security', label: 'twostep.policy.title' as const },
          // Settings → Alerts (src/alerts/settings.routes.tsx): the password-reset alert's limit.
          { href: '/settings/alerts', label: 'alerts.settings.title' as const },
        ]
      : [];
  const settings: NavGroup = {
    label: 'nav.settings',
    items: [{ href: '/settings/partner-relationships', label: 'nav.partnerRelationships' }, ...domains, ...security],
  };
  const people: NavGroup = {
    items: [
      { href: '/users', label: 'nav.users' },
      { href: '/activity', label: 'nav.activity' },
      { href: '/partners', label: 'nav.findPartner' },
    ],
  };
  if (user.view === 'dashboard') {
    return [
      { items: [{ href: '/', label: 'nav.home' }] },
      {
        label: 'nav.billing',
        items: [
          { href: '/purchase', label: 'nav.purchaseServices' },
          { href: '/subscriptions', label: 'nav.yourProducts' },
        ],
      },
      { label: 'nav.usersGroup', items: [{ href: '/users', label: 'nav.activeUsers' }] },
      { items: people.items.slice(1) },
      settings,
    ];
  }
  return [
    { items: [{ href: '/', label: 'nav.home' }] },
    {
      label: 'nav.subscriptions',
      items: [
        { href: '/subscriptions', label: 'nav.subscriptions' },
        { href: '/purchase', label: 'nav.addMoreProducts' },
      ],
    },
    people,
    settings,
  ];
}
