/** The one DNS lookup: TXT records of a name, through the system resolver or the servers in `DNS_SERVERS`. */
import { Resolver } from 'node:dns/promises';

export type TxtAnswer = { ok: true; records: string[][] } | { ok: false };

/** Names with no TXT record (or no such name) answer an empty list; a resolver that fails or times out answers `ok: false`. */
export async function lookupTxt(name: string, servers?: string): Promise<TxtAnswer> {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (servers) resolver.setServers(servers.split(','));
  try {
    return { ok: true, records: await resolver.resolveTxt(name) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENODATA' || code === 'ENOTFOUND') return { ok: true, records: [] };
    return { ok: false };
  }
}
