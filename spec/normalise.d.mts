export const SPEC_URL: URL;
/** The spec as stored (OpenAPI 3.0). */
export function readSpec(): Record<string, unknown>;
/** The spec with its known quirks mended (OpenAPI 3.1); see normalise.mjs. */
export function normaliseSpec(input: Record<string, unknown>, opts?: { eventDataByMetaType?: boolean }): Record<string, unknown>;
