// Schema 3's fields Front hands over with every conversation at no extra request: custom fields
// (what teams route and filter by), ticket ids and linked issues. Total over hostile input like the
// rest of the mapper: a value of an unexpected shape is left out, never thrown on.

import { oneLine } from './one-line.js';
import type { CustomFieldValue, HighlightLink } from './types.js';

const MAX_ITEMS = 100;

/** name -> value as Front types them (string, number, boolean; null when unset), keys sorted. */
export function mapCustomFields(fields: unknown): Record<string, CustomFieldValue> {
  const out: Record<string, CustomFieldValue> = {};
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return out;
  const entries = Object.entries(fields as Record<string, unknown>)
    .map(([name, value]) => [oneLine(name), value] as const)
    .filter(([name]) => name !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_ITEMS);
  for (const [name, value] of entries) {
    if (typeof value === 'string') out[name] = oneLine(value);
    else if (typeof value === 'boolean' || value === null) out[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  }
  return out;
}

/** Front's ticket ids ("TICKET-123"), in Front's order, each once. */
export function mapTicketIds(ids: unknown): string[] {
  if (!Array.isArray(ids)) return [];
  return [...new Set(ids.map(oneLine).filter(Boolean))].slice(0, MAX_ITEMS);
}

/** Linked issues (Jira, Linear, GitHub, …): display name and external URL; a link without an http(s) URL is left out. */
export function mapLinks(links: unknown): HighlightLink[] {
  if (!Array.isArray(links)) return [];
  const out: HighlightLink[] = [];
  const seen = new Set<string>();
  for (const link of links) {
    const url = oneLine(link?.external_url);
    if (!/^https?:\/\//i.test(url) || seen.has(url)) continue;
    seen.add(url);
    out.push({ name: oneLine(link?.name) || url, url });
    if (out.length >= MAX_ITEMS) break;
  }
  return out;
}
