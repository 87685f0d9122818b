// The fixtures the mapping tests use must be shapes Front really sends: validate them against the
// official OpenAPI spec (spec/front-core-api.json).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const spec = JSON.parse(readFileSync(fileURLToPath(new URL('../../spec/front-core-api.json', import.meta.url)), 'utf8'));

/**
 * OpenAPI 3.0 `nullable` -> JSON Schema null. Beside a `$ref` (which OpenAPI 3.0 says makes siblings
 * ignored, so validators reject the null Front really sends) the node becomes `anyOf: [$ref, null]`;
 * beside an `enum`, null joins the enum.
 */
function normalise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalise);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, $ref, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, normalise(v)]));
  if ($ref !== undefined && nullable === true) return { ...out, anyOf: [{ $ref }, { type: 'null' }] };
  if ($ref !== undefined) out.$ref = $ref;
  if (nullable === true) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

// Spec gaps listed in spec/front-api-NOTES.md: TeammateResponse requires `license_type`
// without defining it (Front does not send it), and a message's `author` is null for inbound
// messages although the spec does not mark it nullable.
spec.components.schemas.TeammateResponse.required = spec.components.schemas.TeammateResponse.required.filter(
  (field: string) => field !== 'license_type',
);
spec.components.schemas.MessageResponse.properties.author.nullable = true;
const components = normalise(spec.components);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'front', components }, 'front');

function validate(schema: string, value: unknown): unknown {
  const check = ajv.getSchema(`front#/components/schemas/${schema}`)!;
  check(value);
  return check.errors ?? [];
}

describe('Front fixtures match the Core API spec', () => {
  it.each(['conversation.json'])('%s is a ConversationResponse', (name) => {
    expect(validate('ConversationResponse', fixture(name))).toEqual([]);
  });

  it.each(['message-email.json', 'message-chat-html.json'])('%s is a MessageResponse', (name) => {
    expect(validate('MessageResponse', fixture(name))).toEqual([]);
  });

  it('the validator rejects a conversation with a wrong status type (it can fail)', () => {
    expect(validate('ConversationResponse', { ...fixture<object>('conversation.json'), status: 42 })).not.toEqual([]);
  });
});
