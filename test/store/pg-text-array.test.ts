// The binary text[] an import sends a column as, and the text[] literal of a batch's item ids: the
// server reads back every value as it was, empty strings, NULLs, quotes and non-ASCII text included.

import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { binaryTextArray, textArrayLiteral } from '../../src/store/transfer/pg-text-array.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';

const VALUES = ['', 'plain', 'a "quoted" \\ back\\slash, {braces}', 'é € 😀 日本', 'line\nbreak\ttab'];

describe('PostgreSQL text arrays for state import', () => {
  it('reads back each value of a binary text[] and of a text[] literal as it was', async () => {
    const client = new pg.Client({ connectionString: await freshPgDatabase() });
    await client.connect();
    try {
      const withNulls = [null, ...VALUES, null];
      const binary = await client.query<{ v: (string | null)[] }>('SELECT $1::text[] AS v', [binaryTextArray(withNulls)]);
      expect(binary.rows[0]?.v).toEqual(withNulls);
      expect((await client.query<{ v: string[] }>('SELECT $1::text[] AS v', [binaryTextArray([])])).rows[0]?.v).toEqual([]);
      const literal = await client.query<{ v: string[] }>('SELECT $1::text::text[] AS v', [textArrayLiteral(VALUES)]);
      expect(literal.rows[0]?.v).toEqual(VALUES);
    } finally {
      await client.end();
    }
  });
});
