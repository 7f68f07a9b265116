// The account page's list of time zones: a <select> grouped by region ("Europe", "America"…),
// so it works without JavaScript and a browser's type-to-find jumps to a city within a group.
import { TIME_ZONE_NAMES } from '../lib/dates.ts';

export interface ZoneGroup {
  region: string;
  zones: { name: string; label: string; selected: boolean }[];
}

/** "America/Argentina/Buenos_Aires" reads "Argentina / Buenos Aires" under America. */
const labelOf = (zone: string) => zone.split('/').slice(1).join(' / ').replaceAll('_', ' ') || zone;

export function zoneGroups(chosen: string | null): ZoneGroup[] {
  const groups = new Map<string, ZoneGroup>();
  for (const name of TIME_ZONE_NAMES) {
    const region = name.includes('/') ? name.slice(0, name.indexOf('/')) : 'Other';
    let group = groups.get(region);
    if (!group) groups.set(region, (group = { region, zones: [] }));
    group.zones.push({ name, label: labelOf(name), selected: name === chosen });
  }
  return [...groups.values()];
}
