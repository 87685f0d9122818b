// A column of rows as PostgreSQL's binary form of a one-dimensional text[]: the driver sends a
// Buffer parameter as binary, and the server takes each element's bytes as they are. Sent as JSON
// instead (jsonb_populate_recordset), the server spent most of an import lexing and unescaping the
// JSON of each Highlight (measured on 2,000 conversation rows: 53 µs a row as jsonb, 12 as this).

const TEXT_OID = 25;
const HEADER_BYTES = 20;
const NULL_LENGTH = -1;

/** `values` as a binary text[] (array_recv's format: dimensions, element type, then each element's length and UTF-8 bytes, -1 for NULL). */
export function binaryTextArray(values: readonly (string | null)[]): Buffer {
  const lengths = values.map((v) => (v === null ? NULL_LENGTH : Buffer.byteLength(v)));
  let size = HEADER_BYTES;
  for (const length of lengths) size += 4 + Math.max(length, 0);
  const buffer = Buffer.allocUnsafe(size);
  buffer.writeInt32BE(1, 0);
  buffer.writeInt32BE(lengths.includes(NULL_LENGTH) ? 1 : 0, 4);
  buffer.writeUInt32BE(TEXT_OID, 8);
  buffer.writeInt32BE(values.length, 12);
  buffer.writeInt32BE(1, 16);
  let at = HEADER_BYTES;
  values.forEach((value, i) => {
    const length = lengths[i] ?? NULL_LENGTH;
    buffer.writeInt32BE(length, at);
    at += 4;
    if (value !== null && length > 0) at += buffer.write(value, at, length, 'utf8');
  });
  return buffer;
}

/** A text[] literal (its text input form), for a value that is itself an array. */
export function textArrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
