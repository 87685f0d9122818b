// What Front hands over with a conversation beyond its messages, so importers meet it: teams that
// own inboxes (the seed's segments, Support and Success), conversation custom fields with their
// definitions, ticket ids and linked issues. Drawn from a stream of their own, so adding them left
// every other generated value as it was. With `pii`, some messages also carry planted personal
// data (and look-alikes that are not), for redaction tests.

import { escapeHtml } from '../shared/escape-html.js';
import type { ConversationExtras, Inbox, MessageContent } from './model.js';
import { seededRandom, type Random } from './random.js';
import { itemAt } from '../shared/item-at.js';

export interface Team {
  id: string;
  name: string;
}

export interface CustomFieldDefinition {
  id: string;
  name: string;
  description: string;
  type: 'string' | 'boolean' | 'number' | 'enum';
  values?: string[];
}

export const TEAMS: readonly Team[] = [
  { id: 'tim_support', name: 'Support' },
  { id: 'tim_success', name: 'Success' },
];

/** Support owns the help-desk inboxes, Success the account-facing ones; the private inbox is a teammate's. */
const SUCCESS_INBOXES = new Set(['Sales', 'Partners', 'Press']);

export function teamOfInbox(inbox: Inbox): Team | null {
  if (inbox.isPrivate) return null;
  return SUCCESS_INBOXES.has(inbox.name) ? itemAt(TEAMS, 1) : itemAt(TEAMS, 0);
}

export const CUSTOM_FIELDS: readonly CustomFieldDefinition[] = [
  { id: 'fld_plan', name: 'Plan', description: 'The billing plan of the customer', type: 'enum', values: ['Free', 'Pro', 'Enterprise'] },
  { id: 'fld_region', name: 'Region', description: 'Where the customer is served from', type: 'enum', values: ['EMEA', 'AMER', 'APAC'] },
  { id: 'fld_seats', name: 'Seats', description: 'Licensed seats', type: 'number' },
  { id: 'fld_vip', name: 'isVIP', description: 'Key account', type: 'boolean' },
  { id: 'fld_area', name: 'Product area', description: 'Where in the product', type: 'string' },
];

const AREAS = ['Billing', 'Login & SSO', 'Integrations', 'Mobile app', 'Reporting'];
const LINK_KINDS = [
  { type: 'app_jira', name: (n: number) => `JIRA-SUP-${n}`, url: (n: number) => `https://acme.atlassian.net/browse/SUP-${n}` },
  { type: 'app_linear', name: (n: number) => `ENG-${n}`, url: (n: number) => `https://linear.app/acme/issue/ENG-${n}` },
  { type: 'app_github', name: (n: number) => `acme/app#${n}`, url: (n: number) => `https://github.com/acme/app/issues/${n}` },
];

/** One stream per field, so the values of different fields are independent of each other. */
export interface ExtrasStreams {
  plan: Random;
  region: Random;
  seats: Random;
  vip: Random;
  area: Random;
  tickets: Random;
  links: Random;
}

export function drawExtras(rng: ExtrasStreams): ConversationExtras {
  const customFields: ConversationExtras['customFields'] = {};
  if (rng.plan.chance(0.9)) customFields.Plan = itemAt(['Free', 'Pro', 'Enterprise'], rng.plan.weighted([5, 3, 2]));
  if (rng.region.chance(0.8)) customFields.Region = rng.region.pick(['EMEA', 'AMER', 'APAC']);
  if (rng.seats.chance(0.5)) customFields.Seats = rng.seats.int(1, 500);
  if (rng.vip.chance(0.5)) customFields.isVIP = rng.vip.chance(0.2);
  if (rng.area.chance(0.6)) customFields['Product area'] = rng.area.pick(AREAS);
  const ticketIds = rng.tickets.chance(0.5) ? [`TICKET-${rng.tickets.int(100, 99_999)}`] : [];
  const links = rng.links.chance(0.25)
    ? [itemAt(LINK_KINDS, rng.links.int(0, LINK_KINDS.length - 1))].map((k) => {
        const n = rng.links.int(10, 9_999);
        return { id: `top_${k.type.slice(4)}${n}`, name: k.name(n), type: k.type, url: k.url(n) };
      })
    : [];
  return { customFields, ticketIds, links };
}

/** Streams of their own, drawn in conversation order: independent of the timeline's. */
export function extrasStream(seed: number | string): ExtrasStreams {
  const stream = (field: string) => seededRandom(seed, `extras:${field}`);
  return { plan: stream('plan'), region: stream('region'), seats: stream('seats'), vip: stream('vip'), area: stream('area'), tickets: stream('tickets'), links: stream('links') };
}

/**
 * Personal data planted in messages with `pii` (real formats: the schemes' published test cards,
 * published example IBANs, international phone notations), and look-alikes beside it that must
 * come out unchanged. Tests scan the destination and the state for every PLANTED_PII value.
 */
export const PLANTED_PII = [
  'jane.doe+billing@example.com',
  'josé.garcía@correo.es',
  '+44 20 7946 0958',
  '+49 (0)30 901820',
  '0033 1 42 68 53 00',
  '4111 1111 1111 1111',
  '3782 822463 10005',
  'DE89 3704 0044 0532 0130 00',
  'GB29 NWBK 6016 1331 9268 19',
  '203.0.113.42',
] as const;

export const PLANTED_TRAPS = ['ORD-2024-00012345', '2024-03-15', 'v2.14.1', '1Z999AA10123456784', '$1,234.56', '1701292649', '550e8400-e29b-41d4-a716-446655440000'] as const;

/** The line planted in a message: two PII values and two look-alikes, chosen by the message's seed. */
export function piiLine(seed: number): string {
  const a = itemAt(PLANTED_PII, seed % PLANTED_PII.length);
  const b = itemAt(PLANTED_PII, (seed >>> 4) % PLANTED_PII.length);
  const t1 = itemAt(PLANTED_TRAPS, seed % PLANTED_TRAPS.length);
  const t2 = itemAt(PLANTED_TRAPS, (seed >>> 3) % PLANTED_TRAPS.length);
  return `Reference ${t1} (${t2}): you can reach me at ${a} or ${b}.`;
}

/** The content with the line as its first paragraph, in text, HTML and the own words alike. */
export function withPlantedLine(content: MessageContent, line: string): MessageContent {
  return {
    body: `<p>${escapeHtml(line)}</p>${content.body}`,
    text: content.text === undefined ? undefined : `${line}\n\n${content.text}`,
    blurb: `${line} ${content.blurb}`.slice(0, 100),
    ownWords: content.ownWords === null ? null : `${line}\n\n${content.ownWords}`,
  };
}

