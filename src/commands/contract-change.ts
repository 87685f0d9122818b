// A run says when what it sends changes shape: a new Highlight schema, or redaction settings
// turned on or changed. Either gives every Highlight a new version, so each is re-sent once as
// a run next imports it; the user should hear that from the run, not only from the README.

import { SCHEMA_VERSION } from '../highlight/types.js';
import type { Redactor } from '../redact/redactor.js';
import type { ConversationStore, MetaStore } from '../store/roles.js';

const CONTRACT_META = 'highlights.contract';

interface Contract {
  schemaVersion: number;
  /** The redaction settings' fingerprint (not the key); null when off. */
  redaction: string | null;
}

export function currentContract(redactor: Redactor | undefined): Contract {
  return { schemaVersion: SCHEMA_VERSION, redaction: redactor?.fingerprint ?? null };
}

/** The meta row a successful run writes, so the next one compares against it. */
export function contractMeta(redactor: Redactor | undefined): { key: string; value: Contract } {
  return { key: CONTRACT_META, value: currentContract(redactor) };
}

/** One line when the Highlights this state holds were made under another contract; null otherwise. */
export async function contractChangeNote(store: MetaStore & Pick<ConversationStore, 'storedConversations'>, redactor: Redactor | undefined): Promise<string | null> {
  const now = currentContract(redactor);
  const before = await store.getMeta<Contract>(CONTRACT_META);
  // A state written before this note existed: its Highlights were schema 2, without redaction.
  const previous = before ?? ((await store.storedConversations(null, 1, null)).length > 0 ? { schemaVersion: 2, redaction: null } : null);
  if (!previous) return null;
  const changes: string[] = [];
  if (previous.schemaVersion !== now.schemaVersion) changes.push(`Highlights are now schema ${now.schemaVersion} (were ${previous.schemaVersion})`);
  if (previous.redaction !== now.redaction) changes.push(now.redaction === null ? 'redaction was turned off' : previous.redaction === null ? 'redaction is now on' : 'the redaction settings changed');
  if (changes.length === 0) return null;
  // Redaction on or changed alone: the run's start already rewrote the state (runs/state-redaction.ts) and queued each stored Highlight again.
  if (previous.schemaVersion === now.schemaVersion && now.redaction !== null) return `${changes.join('; ')}: each stored Highlight was redacted in the state and is re-sent once, redacted`;
  return `${changes.join('; ')}: each Highlight gets a new version and is re-sent once, as a run next imports it (\`backfill --since …\` re-sends a window now, \`replay\` the stored ones)`;
}
