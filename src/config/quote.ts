// How a rejected value is shown inside a one-line error message.

const MAX_SHOWN = 80;

/** A string as a JSON literal, cut short so one bad value cannot flood the terminal. */
export function quote(value: string): string {
  const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
  return JSON.stringify(shown);
}
