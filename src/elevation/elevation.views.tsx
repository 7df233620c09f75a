/** Activation (partner), the decision page and a relationship's access page (customer), and the small parts other pages call. */
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../ui/form.tsx';
import { Notice } from '../ui/notice.tsx';
import { permissions } from '../authorization/roles.rules.ts';
import type { PartnerAccess, RelationshipAccess } from './elevation.queries.ts';
import { eligibleOf, MAX_ELEVATION_HOURS, REASON_MAX, stateOf, TICKET_MAX, type ElevationRow } from './elevation.rules.ts';

const roleName = (t: (k: MessageKey, p?: Record<string, string | number>) => string, role: string) => t(`rel.role.${role}` as MessageKey);

/** "Passwords (eligible, up to 2 h)" for each eligible role: beside a relationship's standing roles wherever they are listed. */
export function EligibleList({ eligible }: { eligible: unknown }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const list = Object.entries(eligibleOf(eligible));
  if (list.length === 0) return null;
  return <>{list.map(([role, hours]) => t('elev.eligibleUpTo', { role: roleName(t, role), hours })).join(t('common.listSeparator'))}</>;
}

function useZone() {
  const c = useRequestContext<AppEnv>();
  return { i18n: c.get('i18n'), zone: c.get('auth')?.user.timeZone ?? 'UTC' };
}

/** An elevation's state in words: waiting, active until 14:30, ended, denied by whom. */
function StateText({ e, now }: { e: ElevationRow; now: Date }) {
  const { i18n, zone } = useZone();
  const state = stateOf(e, now);
  if (state === 'active') return <>{i18n.t('elev.state.active', { until: i18n.dateTime(e.endsAt, zone) })}</>;
  if (state === 'denied') return <>{i18n.t('elev.state.denied', { name: e.decidedByName ?? '—' })}</>;
  return <>{i18n.t(`elev.state.${state}`)}</>;
}

function EndButton({ action, e, now }: { action: string; e: ElevationRow; now: Date }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (stateOf(e, now) !== 'active') return null;
  return (
    <form method="post" action={action} class="inline">
      <CsrfField />
      <button class="danger" aria-label={t('elev.endOf', { role: roleName(t, e.role) })}>
        {t('elev.end')}
      </button>
    </form>
  );
}

function ElevationTable({ list, now, endAction }: { list: ElevationRow[]; now: Date; endAction: (e: ElevationRow) => string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <div class="table-wrap">
      <table class="stack">
        <thead>
          <tr>
            <th>{t('elev.col.person')}</th>
            <th>{t('elev.col.role')}</th>
            <th>{t('elev.col.reason')}</th>
            <th>{t('elev.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((e) => (
            <tr id={`elevation-${e.id}`}>
              <td data-label={t('elev.col.person')}>{e.userName}</td>
              <td data-label={t('elev.col.role')}>
                {roleName(t, e.role)} · {t('elev.hours', { hours: e.minutes / 60 })}
              </td>
              <td data-label={t('elev.col.reason')}>
                {e.reason}
                {e.ticket && <> · {t('elev.decide.ticket', { ticket: e.ticket })}</>}
              </td>
              <td data-label={t('elev.col.state')}>
                <StateText e={e} now={now} /> <EndButton action={endAction(e)} e={e} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface ActivationValues {
  role: string;
  hours: string;
  reason: string;
  ticket: string;
}

/** The partner's page: activate an eligible role of this customer, and the person's own activations. */
export function ActivationPage(p: { access: PartnerAccess; customerId: string; now: Date; values?: ActivationValues; errors?: FieldErrors; notice?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const { access } = p;
  const eligible = Object.entries(eligibleOf(access.eligible));
  const base = `/portal/customers/${p.customerId}/elevations`;
  const v = p.values ?? { role: eligible[0]?.[0] ?? '', hours: '1', reason: '', ticket: '' };
  return (
    <>
      <p>
        <a href="/portal">{t('portal.title')}</a>
      </p>
      <h1>{t('elev.title', { customer: access.customerName })}</h1>
      <Notice message={p.notice} />
      {(access.standing.length > 0 || access.mine.some((e) => stateOf(e, p.now) === 'active')) && (
        <p>
          <a class="button primary" href={`/portal/customers/${p.customerId}`} aria-label={t('portal.openOf', { customer: access.customerName })}>
            {t('portal.open')}
          </a>
        </p>
      )}
      <p>{t('elev.intro')}</p>
      <p>{t(access.approvalRequired ? 'elev.policy.required' : 'elev.policy.auto', { customer: access.customerName })}</p>
      {eligible.length === 0 ? (
        <p>{t('elev.noEligible')}</p>
      ) : (
        <form method="post" action={base} class="stack-form">
          <CsrfField />
          <ErrorSummary errors={p.errors} />
          <Field name="role" label={t('elev.role')} error={p.errors?.role}>
            <select id="f-role" name="role">
              {eligible.map(([role, hours]) => (
                <option value={role} selected={v.role === role}>
                  {t('elev.eligibleUpTo', { role: roleName(t, role), hours })}
                </option>
              ))}
            </select>
          </Field>
          <Field name="hours" label={t('elev.duration')} error={p.errors?.hours}>
            <select id="f-hours" name="hours">
              {Array.from({ length: MAX_ELEVATION_HOURS }, (_, n) => String(n + 1)).map((h) => (
                <option value={h} selected={v.hours === h}>
                  {t('elev.hours', { hours: h })}
                </option>
              ))}
            </select>
          </Field>
          <Field
            name="reason"
            label={t('elev.reason')}
            hint={t('elev.reason.hint')}
            value={v.reason}
            error={p.errors?.reason}
            required
            maxlength={REASON_MAX}
          />
          <Field name="ticket" label={t('elev.ticket')} value={v.ticket} error={p.errors?.ticket} maxlength={TICKET_MAX} />
          <p>
            <button class="primary">{t('elev.submit')}</button>
          </p>
        </form>
      )}
      <h2>{t('elev.mine')}</h2>
      {access.mine.length === 0 ? (
        <p class="muted">{t('elev.none')}</p>
      ) : (
        <ElevationTable list={access.mine} now={p.now} endAction={(e) => `${base}/${e.id}/end`} />
      )}
    </>
  );
}

/** The link from a customer's card in the partner portal, when its delegated admin has eligible roles. */
export function ActivateLink({ customerId, customerName, eligible }: { customerId: string; customerName: string; eligible: unknown }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (Object.keys(eligibleOf(eligible)).length === 0) return null;
  return (
    <a class="button" href={`/portal/customers/${customerId}/elevations`} aria-label={t('elev.linkOf', { customer: customerName })}>
      {t('elev.link')}
    </a>
  );
}

/** The Approve / Deny page the customer's global admins reach from the mail. */
export function DecisionPage(p: {
  e: ElevationRow & { partnerName: string; customerName: string; relationshipActive: boolean };
  now: Date;
  notice?: string;
  error?: string;
}) {
  const { i18n, zone } = useZone();
  const { t } = i18n;
  const { e } = p;
  const state = stateOf(e, p.now);
  const action = `/elevations/${e.id}`;
  return (
    <>
      <h1>{t('elev.decide.title')}</h1>
      <Notice message={p.notice} />
      <ErrorSummary errors={p.error} />
      <p>
        {t('elev.decide.ask', {
          person: e.userName,
          partner: e.partnerName,
          role: roleName(t, e.role),
          customer: e.customerName,
          duration: t('elev.hours', { hours: e.minutes / 60 }),
        })}
      </p>
      <p>{t('elev.decide.reason', { reason: e.reason })}</p>
      {e.ticket && <p>{t('elev.decide.ticket', { ticket: e.ticket })}</p>}
      <p class="muted">{t('elev.decide.requested', { at: i18n.dateTime(e.requestedAt, zone) })}</p>
      {state === 'pending' && e.relationshipActive ? (
        <div class="actions">
          <form method="post" action={`${action}/approve`} class="inline">
            <CsrfField />
            <button class="primary">{t('elev.approve')}</button>
          </form>{' '}
          <form method="post" action={`${action}/deny`} class="inline">
            <CsrfField />
            <button class="danger">{t('elev.deny')}</button>
          </form>
        </div>
      ) : (
        <p>
          <strong>
            {state === 'pending'
              ? t('elev.relationshipGone')
              : state === 'lapsed'
                ? t('elev.lapsed')
                : e.decidedByName
                  ? t('elev.alreadyDecided', { name: e.decidedByName })
                  : t('elev.alreadyDecidedAuto')}
          </strong>{' '}
          <StateText e={e} now={p.now} /> <EndButton action={`${action}/end`} e={e} now={p.now} />
        </p>
      )}
    </>
  );
}

/** The link from a delegated-admin row on Partner relationships to its access page. */
export function AccessLink({ id, type, partnerName }: { id: string; type: string; partnerName: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (type !== 'delegated_admin') return null;
  return (
    <a href={`/settings/partner-relationships/${id}/access`} aria-label={t('elev.accessOf', { partner: partnerName })}>
      {t('elev.access')}
    </a>
  );
}

/** A relationship's access page: its roles (narrowed at once), the approval policy, recent activations. */
export function AccessPage(p: { r: RelationshipAccess; now: Date; globalAdmin: boolean; notice?: string; error?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const { r } = p;
  const base = `/settings/partner-relationships/${r.id}/access`;
  const eligible = eligibleOf(r.eligible);
  const held = permissions.filter((x) => r.roles.includes(x) || eligible[x]);
  const acts = p.globalAdmin && r.active;
  return (
    <>
      <p>
        <a href="/settings/partner-relationships">{t('rel.backToList')}</a>
      </p>
      <h1>{t('elev.access.title', { partner: r.partnerName })}</h1>
      <Notice message={p.notice} />
      <ErrorSummary errors={p.error} />
      <h2>{t('elev.access.roles')}</h2>
      {acts ? (
        <form method="post" action={`${base}/roles`}>
          <CsrfField />
          {held.map((role) => {
            const standing = r.roles.includes(role);
            return (
              <fieldset class="field">
                <legend>
                  {standing ? `${roleName(t, role)} · ${t('elev.standing')}` : t('elev.eligibleUpTo', { role: roleName(t, role), hours: eligible[role] })}
                </legend>
                <select name={`role_${role}`} aria-label={t('elev.kind', { role: roleName(t, role) })}>
                  <option value="keep" selected>
                    {t('elev.access.keep')}
                  </option>
                  {Array.from({ length: standing ? 8 : eligible[role] }, (_, n) => n + 1).map((h) => (
                    <option value={String(h)}>{t('elev.access.makeEligible', { hours: h })}</option>
                  ))}
                  <option value="remove">{t('elev.access.remove')}</option>
                </select>
              </fieldset>
            );
          })}
          <p class="muted">{t('elev.access.moreNeedsPartner', { partner: r.partnerName })}</p>
          <p>
            <button>{t('elev.access.save')}</button>
          </p>
        </form>
      ) : (
        <ul>
          {held.map((role) => (
            <li>
              {r.roles.includes(role)
                ? `${roleName(t, role)} · ${t('elev.standing')}`
                : t('elev.eligibleUpTo', { role: roleName(t, role), hours: eligible[role] })}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('elev.access.policy')}</h2>
      {acts ? (
        <form method="post" action={`${base}/policy`}>
          <CsrfField />
          <fieldset class="field">
            <legend>{t('elev.access.policy')}</legend>
            <label>
              <input type="radio" name="policy" value="required" checked={r.approvalRequired} /> {t('elev.access.policy.required')}
            </label>
            <label>
              <input type="radio" name="policy" value="auto" checked={!r.approvalRequired} /> {t('elev.access.policy.auto')}
            </label>
          </fieldset>
          <p>
            <button>{t('elev.access.policy.save')}</button>
          </p>
        </form>
      ) : (
        <p>{t(r.approvalRequired ? 'elev.access.policy.required' : 'elev.access.policy.auto')}</p>
      )}
      {!p.globalAdmin && <p class="muted">{t('elev.access.onlyGlobal')}</p>}
      <h2>{t('elev.access.list')}</h2>
      {r.elevations.length === 0 ? (
        <p class="muted">{t('elev.none')}</p>
      ) : (
        <ElevationTable list={r.elevations} now={p.now} endAction={(e) => `/elevations/${e.id}/end`} />
      )}
    </>
  );
}
