// The words mail clients and writers put around a reply, one file per language. Only words live
// here: what a line of each kind looks like (its structure) is in reply-markers.ts, which builds
// every pattern from the union of these lists.

export interface LanguageWords {
  /** Label of the first line of a header block ("From: Ada <ada@…>"). */
  from: string[];
  /** Labels of the lines under it (sent/date, to, cc, subject, reply-to). */
  header: string[];
  /** A line that starts forwarded or original mail below it ("Original Message"), without dashes. */
  historyMarkers: string[];
  /** The verb ending an attribution ("wrote", "a écrit"); the line also needs a date or an address. */
  wrote: string[];
  /** The verb and preposition before a date in Gmail's name-first form ("Ada schrieb am Fr., 28. Apr. …:"). */
  wroteOn?: string[];
  /**
   * Device and app lines, as regex sources matched against a whole line (case-insensitive), with
   * `APP` standing for the app or device name ("Sent from my APP").
   */
  device: string[];
  /** Sign-off lines: the name under one is the writer's, contact lines under that are signature. */
  signOffs: string[];
  /** Words that open a greeting line ("Hi", "Bonjour"). */
  greetings: string[];
}
