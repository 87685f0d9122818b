// Flags more than one command takes, declared once, and the argument parsers commander runs on
// flag values (a bad value is a usage error, exit 2, naming the flag). `configOverrides` is the one
// place that says which flags win over the config file and the environment.

import { InvalidArgumentError, Option, type Command } from 'commander';
import { didYouMean } from '../shared/did-you-mean.js';
import { quote } from '../config/quote.js';
import type { ConfigOverrides } from '../config/types.js';
import type { ParsedFlags } from './command-spec.js';
import { UsageError } from '../errors.js';
import { itemAt } from '../shared/item-at.js';

/** `--json`: one JSON document on stdout instead of the human lines; `what` names the document. */
export const jsonFlag = (cmd: Command, what: string): Command => cmd.option('--json', what);

export const subscriptionFlag = (cmd: Command): Command =>
  cmd.option('--subscription <name>', 'only this subscription (repeatable; default: all configured)', collect);

export const toFlag = (cmd: Command, what = 'destination: a file path, - for stdout, or an http(s) URL'): Command => cmd.option('--to <dest>', what);

/** backfill and sync: which subscriptions, where to, what of Front, how to read it. */
export function importFlags(cmd: Command): Command {
  subscriptionFlag(cmd);
  toFlag(cmd)
    .option('--inbox <name-or-id>', 'only this inbox (repeatable)', collect)
    .option('--tag <name>', 'only conversations with this tag (repeatable)', collect)
    .option('--status <status>', 'only this Highlight status: open, archived, spam, trashed (repeatable)', collect)
    .addOption(
      new Option('--strategy <strategy>', 'how to read Front: auto (the cheaper by estimated cost, re-judged during the run), events or listing')
        .argParser(choice(['auto', 'events', 'listing'] as const))
        .default('auto'),
    );
  return jsonFlag(cmd, 'print one JSON summary object');
}

/** The flags above (and backfill and sync's scope flags) as the config loader takes them. */
export function configOverrides(flags: ParsedFlags): ConfigOverrides {
  return { subscriptions: flags.subscription, to: flags.to, inboxes: flags.inbox, tags: flags.tag, statuses: flags.status };
}

/** A positional argument commander was told is required (`<file>`): missing, it is a usage error. */
export function requiredArgument(value: string | undefined, name: string): string {
  if (value === undefined) throw new UsageError(`missing argument ${name}`);
  return value;
}

/** For a repeatable flag: every value, in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`${flag}: expected a positive whole number`);
    }
    return n;
  };
}

export function wholeNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${flag}: expected a whole number (0 or more)`);
    return n;
  };
}

/** "4" or "2,40": one count, or one per equal slice of the window, oldest first. */
export function countList(flag: string) {
  const one = positiveInt(flag);
  return (value: string): number | number[] => {
    const list = value.split(',').map((part) => one(part.trim()));
    return list.length === 1 ? itemAt(list, 0) : list;
  };
}

export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 (any free port) to 65535');
  return n;
}

/** A flag taking one of `values`: a typo gets the nearest value suggested (cli/usage-errors.ts puts it on its own line). */
export function choice<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if ((values as readonly string[]).includes(value)) return value as T;
    const hint = didYouMean(value, values, 1);
    throw new InvalidArgumentError(`expected one of ${values.join(', ')}; got ${quote(value)}${hint ? `\n${hint}` : ''}`);
  };
}
