// Front's OpenAPI spec (spec/front-core-api.json) as executable checks: validateResponse for
// bodies and validateRequest for the URLs a client builds. The spec is normalised first by
// spec/normalise.mjs, the same mending the generated types (src/front-api/) are made from; its
// header lists each known quirk of the spec it mends.

import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { normaliseSpec, readSpec } from '../../spec/normalise.mjs';

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema?: Schema;
}
interface Operation {
  parameters?: (Parameter | { $ref: string })[];
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}

const SPEC_ID = 'core-api.json';
export const spec = normaliseSpec(readSpec()) as Schema;
const paths = spec.paths as Record<string, Record<string, Operation> & { parameters?: Parameter[] }>;
const components = spec.components as { schemas: Record<string, Schema>; parameters: Record<string, Parameter>; responses: Record<string, unknown> };

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addFormat('binary', true);
ajv.addSchema(spec, SPEC_ID);
// Query strings are text: coerce "25" to 25 so integer/maximum/enum checks mean something.
const paramAjv = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
addFormats(paramAjv);
paramAjv.addFormat('binary', true);

const responseValidators = new Map<string, ValidateFunction | null>();

/** Errors of `body` against the spec's response for this operation and status; empty = valid. */
export function validateResponse(method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const key = `${method.toLowerCase()} ${pathTemplate} ${status}`;
  if (!responseValidators.has(key)) responseValidators.set(key, compileResponse(method, pathTemplate, status));
  const validate = responseValidators.get(key);
  if (!validate) return [`the spec declares no JSON response for ${key}`];
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`);
}

function compileResponse(method: string, pathTemplate: string, status: number): ValidateFunction | null {
  const responses = paths[pathTemplate]?.[method.toLowerCase()]?.responses;
  let response = responses?.[String(status)] ?? responses?.default;
  let pointer = `#/paths/${escapePointer(pathTemplate)}/${method.toLowerCase()}/responses/${String(status)}`;
  if (response?.$ref) {
    pointer = response.$ref;
    response = resolve(response.$ref) as typeof response;
  }
  if (!response?.content?.['application/json']?.schema) return null;
  return ajv.compile({ $ref: `${SPEC_ID}${pointer}/content/application~1json/schema` });
}

/** Errors in a request URL: the path must be a spec path, every query parameter declared and valid. */
export function validateRequest(method: string, url: string): string[] {
  const parsed = new URL(url, 'http://spec.invalid');
  const match = matchPath(parsed.pathname);
  if (!match) return [`no spec path matches ${parsed.pathname}`];
  const item = paths[match.template]!;
  const operation = item[method.toLowerCase()] as Operation | undefined;
  if (!operation) return [`${method.toUpperCase()} is not an operation of ${match.template}`];
  const params = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => ('$ref' in p ? (resolve(p.$ref) as Parameter) : p));

  const errors: string[] = [];
  for (const [name, value] of Object.entries(match.params)) {
    const declared = params.find((p) => p.in === 'path' && p.name === name);
    if (declared?.schema) errors.push(...checkValue(`path parameter ${name}`, declared.schema, value));
  }
  for (const [key, value] of parsed.searchParams) {
    const name = key.startsWith('q[') ? 'q' : key;
    const declared = params.find((p) => p.in === 'query' && p.name === name);
    if (!declared) {
      errors.push(`query parameter ${key} is not declared for ${method.toUpperCase()} ${match.template}`);
      continue;
    }
    errors.push(...checkValue(`query parameter ${key}`, withStatedMaximum(declared), value));
    if (name === 'q') errors.push(...checkQueryObject(key, value, declared));
  }
  return errors;
}

const paramValidators = new Map<string, ValidateFunction>();

function checkValue(label: string, schema: Schema, value: string): string[] {
  // Wrapped in an object: ajv coerces types only inside a parent it can write back to.
  const wrapper = { type: 'object', properties: { value: schema } };
  const key = JSON.stringify(wrapper);
  let validate = paramValidators.get(key);
  if (!validate) {
    validate = paramAjv.compile(wrapper);
    paramValidators.set(key, validate);
  }
  if (validate({ value })) return [];
  return (validate.errors ?? []).map((e) => `${label}=${value}: ${e.message ?? 'is invalid'}`);
}

/** /events states its maximum (15) only in the description; the check uses it like `maximum`. */
function withStatedMaximum(param: Parameter): Schema {
  const schema = { ...(param.schema ?? {}) };
  const stated = /\(max (\d+)\)/i.exec(param.description ?? '');
  if (schema.maximum === undefined && stated) schema.maximum = Number(stated[1]);
  return schema;
}

/**
 * The `q` object is typed as a plain string; its keys are named (in backticks) in the description,
 * and for /events the description also fixes the formats: timestamps with up to 3 decimals, and
 * `types` from EventResponse's enum.
 */
function checkQueryObject(key: string, value: string, param: Parameter): string[] {
  const sub = /^q\[([^\]]+)\](\[\])?$/.exec(key);
  if (!sub) return [`query parameter ${key}: expected q[<name>] or q[<name>][]`];
  const named = [...(param.description ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
  if (!named.includes(sub[1]!)) return [`query parameter ${key}: ${sub[1]} is not a property the spec names for q`];
  if ((sub[1] === 'after' || sub[1] === 'before') && !/^\d+(\.\d{1,3})?$/.test(value)) {
    return [`query parameter ${key}=${value}: expected a unix timestamp in seconds with up to 3 decimals`];
  }
  if (sub[1] === 'types') {
    const types = ((components.schemas.EventResponse!.properties as Record<string, Schema>).type!.enum as string[]) ?? [];
    if (!types.includes(value)) return [`query parameter ${key}=${value}: not an event type`];
  }
  return [];
}

interface PathMatch {
  template: string;
  params: Record<string, string>;
}

/** The spec template for a path; literal segments beat parameters (/conversations/search/x). */
export function matchPath(pathname: string): PathMatch | null {
  const segments = pathname.split('/').slice(1);
  let best: (PathMatch & { literals: number }) | null = null;
  for (const template of Object.keys(paths)) {
    const parts = template.split('/').slice(1);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const fits = parts.every((part, i) => {
      if (part.startsWith('{')) {
        params[part.slice(1, -1)] = decodeURIComponent(segments[i]!);
        return segments[i] !== '';
      }
      literals++;
      return part === segments[i];
    });
    if (fits && (!best || literals > best.literals)) best = { template, params, literals };
  }
  return best && { template: best.template, params: best.params };
}

function resolve(pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
