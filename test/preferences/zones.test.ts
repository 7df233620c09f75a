import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtZoneLists, zoneList, zoneListsForBuild } from '../../src/preferences/zones.ts';

describe('the time zones of Preferences', () => {
  it('are named at build time, and the server reads the very lists it would otherwise build itself (decision 114)', () => {
    const built = JSON.parse(readFileSync(builtZoneLists, 'utf8')) as ReturnType<typeof zoneListsForBuild>;
    const here = zoneListsForBuild();
    expect(built).toEqual(here);
    const pl = zoneList('pl');
    expect(pl.groups).toEqual(here.pl);
    expect(pl.byId.get('Europe/Warsaw')?.label).toMatch(/UTC\+01:00/);
    expect(pl.byId.size).toBeGreaterThan(400);
  });
});
