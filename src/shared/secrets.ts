// The one secret scrubber. Every path that writes text somewhere a person or a file can see it
// (terminal and log lines, error messages, the runs table) replaces registered secrets with the
// same marker, so a leak test needs to look for one thing only.

export const REDACTED = '[redacted]';

/** Shorter values would blank out ordinary words; real tokens are far longer. */
const MIN_SECRET_LENGTH = 4;

export class Secrets {
  private readonly values: string[] = [];

  constructor(initial: Iterable<string | null | undefined> = []) {
    for (const s of initial) this.add(s);
  }

  add(secret: string | null | undefined): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH && !this.values.includes(secret)) {
      this.values.push(secret);
      // Longest first, so a secret that contains another is replaced whole.
      this.values.sort((a, b) => b.length - a.length);
    }
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.values) out = out.split(s).join(REDACTED);
    return out;
  }
}

/** One-off scrub with a list of secrets. */
export function scrub(text: string, secrets: Iterable<string | null | undefined>): string {
  return new Secrets(secrets).scrub(text);
}
