// Front's OpenAPI spec (spec/front-core-api.json, a copy of shared/front-api/core-api.json) with
// its known quirks mended, once, for both readers of it: the response validator the tests use
// (test/helpers/spec.ts) and the type generator (scripts/gen-front-types.mjs), so the types both
// the client and the sandbox are written against say what Front really sends. Each change is a
// quirk of the spec, not a relaxation of Front's real behaviour:
//
// 1. OpenAPI 3.0 `nullable: true` becomes JSON Schema (type [T, "null"], null added to enums).
//    Where the spec puts `nullable` beside a `$ref` (ConversationResponse.assignee, .recipient), which
//    OpenAPI 3.0 ignores, it becomes anyOf [{$ref}, {type: "null"}]: Front really sends null there.
// 2. TeammateResponse lists `license_type` as required but never defines it: dropped from `required`.
// 3. MessageResponse.author is a bare $ref, yet Front sends `author: null` on inbound messages (NOTES):
//    made nullable like assignee.
// 4. (validator only, `eventDataByMetaType`) EventResponse `source.data` / `target.data` are `oneOf`
//    branches that overlap (InboxResponse and MessageResponse require nothing, so a message or a tag
//    matches several branches and `oneOf` rejects every real event). They are chosen by `_meta.type`
//    instead, which is what Front means. Types keep the union, which says the same.
// 5. CustomFieldParameter ("an object whose key is the custom field's name") declares no properties,
//    which types read as an object that can hold none: it holds any field name, valued as the field
//    is typed (string, number, boolean, or null when unset).
// TagResponse requires a `description` it never defines; that is left as is (any value passes).
// The result is OpenAPI 3.1 (whose schemas are JSON Schema), which is what the changes make it.

import { readFileSync } from 'node:fs';

export const SPEC_URL = new URL('./front-core-api.json', import.meta.url);

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const TARGET_DATA = {
  teammate: ref('TeammateResponse'),
  inboxes: ref('InboxResponse'),
  tag: ref('TagResponse'),
  comment: ref('CommentResponse'),
  message: ref('MessageResponse'),
  link: ref('LinkResponse'),
};
const SOURCE_DATA = {
  rule: ref('RuleResponse'),
  teammate: ref('TeammateResponse'),
  inboxes: { type: 'array', items: ref('InboxResponse') },
};

export function readSpec() {
  return JSON.parse(readFileSync(SPEC_URL, 'utf8'));
}

export function normaliseSpec(input, { eventDataByMetaType = true } = {}) {
  const out = nullableToJsonSchema(structuredClone(input));
  out.openapi = '3.1.0';
  const schemas = out.components.schemas;

  const teammate = schemas.TeammateResponse;
  teammate.required = teammate.required.filter((name) => name !== 'license_type');

  schemas.CustomFieldParameter.additionalProperties = { type: ['string', 'number', 'boolean', 'null'] };

  const message = schemas.MessageResponse.properties;
  message.author = { anyOf: [message.author, { type: 'null' }] };

  if (eventDataByMetaType) {
    const event = schemas.EventResponse.properties;
    event.source = byMetaType(event.source, SOURCE_DATA);
    event.target = byMetaType(event.target, TARGET_DATA);
  }
  return out;
}

function nullableToJsonSchema(node) {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const obj = {};
  for (const [k, v] of Object.entries(node)) obj[k] = nullableToJsonSchema(v);
  if (obj.nullable === undefined) return obj;
  const nullable = obj.nullable === true;
  delete obj.nullable;
  if (!nullable) return obj;
  if (typeof obj.$ref === 'string') {
    const { $ref, ...rest } = obj;
    return { ...rest, anyOf: [{ $ref }, { type: 'null' }] };
  }
  if (typeof obj.type === 'string') obj.type = [obj.type, 'null'];
  if (Array.isArray(obj.enum) && !obj.enum.includes(null)) obj.enum = [...obj.enum, null];
  return obj;
}

function byMetaType(container, dataByType) {
  const properties = { ...container.properties, data: {} };
  return {
    ...container,
    properties,
    allOf: Object.entries(dataByType).map(([type, data]) => ({
      if: { required: ['_meta'], properties: { _meta: { required: ['type'], properties: { type: { const: type } } } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, read by ajv, never awaited.
      then: { properties: { data } },
    })),
  };
}
