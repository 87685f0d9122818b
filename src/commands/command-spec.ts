// What the command line knows about a command before it runs: its flags and help, how flags become
// its options, and how to load its `run(opts, ctx)`. Each command's folder holds one (`command.ts`)
// beside its `index.ts`; `registry.ts` names them and loads one only when the command line names
// its command, so `--help` never pays for them, nor anyone for what a command needs (zod, got,
// SQLite, PostgreSQL) before it runs.

import type { Command, OptionValues } from 'commander';
import type { BareContext, CommandContext, GlobalFlags } from '../context/index.js';
import type { CommandHelp } from './help.js';

/**
 * A command's flags as commander parsed them, with the global ones (`--json`, `--state`...): each
 * value is what the parser its `define` registered returns, which commander's `OptionValues` cannot
 * follow; a command's `options` turns them into its typed options.
 */
export type ParsedFlags = GlobalFlags & OptionValues;

/** Resolves to the exit code. */
export type Run<O, C> = (opts: O, ctx: C) => Promise<number>;

/** What a command's line in its parent's help says. */
export interface Named {
  name: string;
  description: string;
  aliases?: string[];
}

interface Leaf<O> {
  /** Examples, environment variables and exit codes, after the option list. */
  help?: CommandHelp;
  /** Positional arguments in commander's syntax ('<file>'); their values reach `options` in order. */
  arguments?: string;
  /** Adds the command's own flags. */
  define?(cmd: Command): void;
  /** `run`'s options from the parsed flags and positional arguments. */
  options(flags: ParsedFlags, args: string[]): O;
  /** Its --json documents carry `ok` (connect's did before the one failure shape), so its failure says `ok: false` too. */
  jsonOk?: boolean;
}

/** A command that reads the configuration: the context carries it and the factories built from it. */
export interface ConfiguredCommand<O> extends Leaf<O> {
  context?: 'config';
  load(): Promise<Run<O, CommandContext>>;
}

/** A command that reads no configuration, so a broken config file cannot stop it (the sandbox). */
export interface BareCommand<O> extends Leaf<O> {
  context: 'bare';
  load(): Promise<Run<O, BareContext>>;
}

// biome-ignore lint/suspicious/noExplicitAny: one list holds commands with different options; O is invariant here (`options` returns it, `run` takes it), so neither unknown nor never fits every command, and `defineCommand` checks that each command's two agree.
export type LeafCommand<O = any> = ConfiguredCommand<O> | BareCommand<O>;

/** A command whose verbs are commands (`state export`, `state import`). */
export interface CommandGroup {
  commands: Array<Named & LeafCommand>;
}

export type CommandSpec = LeafCommand | CommandGroup;

/** Type inference for one spec: `options` and `load` agree on O. */
export const defineCommand = <O>(spec: LeafCommand<O>): LeafCommand<O> => spec;
