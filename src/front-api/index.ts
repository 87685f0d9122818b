// Front's JSON, as its OpenAPI spec describes it: the one source of both the client's types
// (src/front/types.ts, read leniently through `Received`) and the sandbox's (which serves them as
// the spec says). core-api.d.ts is generated (scripts/gen-front-types.mjs); nothing here restates
// a field by hand, so neither side carries its own reading of Front's JSON.

import type { components } from './core-api.js';

type Schemas = components['schemas'];

export type ConversationResponse = Schemas['ConversationResponse'];
export type MessageResponse = Schemas['MessageResponse'];
export type EventResponse = Schemas['EventResponse'];
export type InboxResponse = Schemas['InboxResponse'];
export type TagResponse = Schemas['TagResponse'];
export type TeammateResponse = Schemas['TeammateResponse'];
export type RecipientResponse = Schemas['RecipientResponse'];
export type StatusResponse = Schemas['StatusResponse'];
export type IdentityResponse = Schemas['IdentityResponse'];
export type TeamResponse = Schemas['TeamResponse'];
export type LinkResponse = Schemas['LinkResponse'];
export type TeamPreviewResponse = Schemas['TeamPreviewResponse'];
export type CustomFieldResponse = Schemas['CustomFieldResponse'];

/** A list endpoint's page: `_results` with `_pagination.next` (Front's "listOf…" responses). */
export interface Page<T> {
  _pagination?: { next?: string | null };
  _links?: { self?: string };
  _results: T[];
  _total?: number;
}

/**
 * What a client may receive where the spec promises T. Front omits and nulls fields the spec marks
 * required (MessageResponse.author is null on inbound mail; NOTES.md) and adds enum values it does
 * not list (a `spam` status), so every field may be absent or null and every enum is a plain
 * string; the mapper then trusts nothing more. `Keep` names fields that identify a resource and
 * stay as the spec types them (an object without its id is not that object).
 */
export type Received<T, Keep extends keyof T = never> = {
  [K in keyof T as K extends Keep ? never : K]?: ReceivedValue<T[K]> | null;
} & { [K in Keep]-?: NonNullable<ReceivedValue<T[K]>> };

type ReceivedValue<V> = V extends string
  ? string
  : V extends number
    ? number
    : V extends boolean
      ? boolean
      : V extends readonly (infer U)[]
        ? ReceivedValue<U>[]
        : V extends object
          ? ReceivedObject<V>
          : V;

// A nested resource keeps its id: Front never sends a tag, teammate or inbox without one. A map
// keyed by any string (custom fields) has no id of its own.
type ReceivedObject<V> = { [K in keyof V as K extends 'id' ? never : K]?: ReceivedValue<V[K]> | null } & (string extends keyof V ? unknown : 'id' extends keyof V ? { id: string } : unknown);
