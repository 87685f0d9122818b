// Counted nouns in messages: "1 conversation", "2 conversations", never "1 conversations" or "(s)".

export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
