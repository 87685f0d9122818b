// scope.teams: a subscription that names Front teams takes the union of the inboxes those teams
// own. Resolved once per run before anything is fetched; a name Front does not have stops the run
// (exit 2) with the nearest real names, and so does a team that owns no inbox this token can see,
// since an empty inbox list would mean "every inbox".

import { count } from '../terminal/plural.js';
import { didYouMean, normalizeName } from '../shared/did-you-mean.js';
import type { Subscription } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { TeamDirectory } from '../front/teams.js';

export function resolveScopeTeams<S extends Pick<Subscription, 'scope'>>(subscription: S, directory: TeamDirectory): S {
  const { teams: wanted, inboxes } = subscription.scope;
  if (wanted.length === 0) return subscription;
  const problems: string[] = [];
  const names: string[] = [];
  const ids = new Set(inboxes);
  for (const value of wanted) {
    const team = findTeam(directory, value);
    if (!team) {
      const hint = didYouMean(value, directory.teams.map((t) => t.name));
      problems.push(`scope.teams: no team named "${value}" among Front's ${count(directory.teams.length, 'team')}${hint ? `\n${hint}` : ''}`);
      continue;
    }
    const owned = directory.inboxesOf.get(team.id) ?? [];
    if (owned.length === 0) {
      problems.push(`scope.teams: team "${team.name}" owns no inbox this token can see (a private inbox shows only to a token allowed to read private resources)`);
      continue;
    }
    names.push(team.name);
    for (const inbox of owned) ids.add(inbox.id);
  }
  if (problems.length > 0) throw new UsageError([...problems, '`front-import connect` lists the inboxes this token sees.'].join('\n'));
  return { ...subscription, scope: { ...subscription.scope, teams: names, inboxes: [...ids] } };
}

function findTeam(directory: TeamDirectory, value: string) {
  const lower = value.trim().toLowerCase();
  return (
    directory.teams.find((t) => t.id === value) ??
    directory.teams.find((t) => t.name.trim().toLowerCase() === lower) ??
    directory.teams.find((t) => normalizeName(t.name) === normalizeName(value) && normalizeName(value) !== '')
  );
}
