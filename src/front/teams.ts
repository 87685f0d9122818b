// Which Front teams own which inboxes: each inbox's `_links.related.owner` links to its team
// (`…/teams/tim_123`) or to the company, and GET /teams names them. Read once per run (or per
// listener process) when first needed; the inbox list is the one the run reads anyway.

import { ScopeError } from '../errors.js';
import type { FrontInbox, FrontTeam } from './types.js';

export interface TeamsApi {
  inboxes(): Promise<FrontInbox[]>;
  teams(): Promise<FrontTeam[]>;
}

export interface TeamDirectory {
  teams: FrontTeam[];
  /** Team id -> the inboxes it owns. */
  inboxesOf: Map<string, FrontInbox[]>;
  /** Inbox id -> the name of its owning team. */
  teamOf: Map<string, string>;
}

const TEAM_LINK = /\/teams\/(tim_[A-Za-z0-9_-]+)\/?$/;

export async function readTeamDirectory(api: TeamsApi): Promise<TeamDirectory> {
  const [teams, inboxes] = await Promise.all([api.teams(), api.inboxes()]);
  const names = new Map(teams.filter((t) => typeof t?.id === 'string' && typeof t.name === 'string').map((t) => [t.id, t.name]));
  const inboxesOf = new Map<string, FrontInbox[]>();
  const teamOf = new Map<string, string>();
  for (const inbox of inboxes) {
    const owner = TEAM_LINK.exec(inbox?._links?.related?.owner ?? '')?.[1];
    const name = owner && names.get(owner);
    if (!owner || !name) continue;
    inboxesOf.set(owner, [...(inboxesOf.get(owner) ?? []), inbox]);
    teamOf.set(inbox.id, name);
  }
  return { teams, inboxesOf, teamOf };
}

/** The Highlight's `team`: names of the teams owning these inboxes. */
export type TeamNames = (inboxes: readonly { id: string }[]) => Promise<string[]>;

/**
 * Reads the directory once, on the first conversation whose inboxes are known; a token that may
 * not read /teams gets empty teams and one warning, not a failed run.
 */
export function teamNames(api: TeamsApi, warn: (line: string) => void): TeamNames {
  let directory: Promise<Map<string, string>> | null = null;
  const load = async () => {
    try {
      return (await readTeamDirectory(api)).teamOf;
    } catch (err) {
      if (!(err instanceof ScopeError)) {
        directory = null;
        throw err;
      }
      warn(`team names unavailable (${err.message}): team is []`);
      return new Map<string, string>();
    }
  };
  return async (inboxes) => {
    if (inboxes.length === 0) return [];
    directory ??= load();
    const teamOf = await directory;
    return [...new Set(inboxes.flatMap((i) => teamOf.get(i.id) ?? []))].sort();
  };
}
