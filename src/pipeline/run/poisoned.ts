// Conversations whose messages Front will not serve (404 on the message and on the conversation's
// message list) although the conversation itself reads. One of them must not stop a run: it is
// skipped with a warning and recorded, the rest is imported, and every later run tries it again
// first, because the cursor moves past it. Kept as one small meta value: a handful of ids, each
// with when it was first seen, how often it was tried and Front's last answer.

import type { MetaStore } from '../../store/roles.js';
import { importConversation, type ConversationImportDeps } from './import-conversations.js';
import { statusNames } from '../prepare/status-names.js';
import { isUnreadableMessages } from '../prepare/poisoned-record.js';
import { POISONED_META_KEY, type PoisonedConversation } from '../../store/keys.js';

export class PoisonedConversations {
  constructor(
    private readonly meta: MetaStore,
    private readonly clock: () => number,
  ) {}

  async list(): Promise<PoisonedConversation[]> {
    return (await this.meta.getMeta<PoisonedConversation[]>(POISONED_META_KEY)) ?? [];
  }

  /** Records (or counts one more attempt for) each of these conversations, once however often a run met it. */
  async record(found: readonly { id: string; error: string }[]): Promise<void> {
    if (found.length === 0) return;
    const now = new Date(this.clock()).toISOString();
    const byId = new Map((await this.list()).map((p) => [p.id, p]));
    // The last answer Front gave for each: one run may meet a conversation on several pages.
    for (const [id, error] of new Map(found.map((f) => [f.id, f.error]))) {
      const before = byId.get(id);
      byId.set(id, { id, firstSeen: before?.firstSeen ?? now, lastTried: now, attempts: (before?.attempts ?? 0) + 1, error });
    }
    await this.meta.setMeta(POISONED_META_KEY, [...byId.values()]);
  }

  /**
   * Tries every recorded conversation again (into the store, delivered with the run); those that
   * import now, or are gone, leave the list. Returns how many were imported.
   */
  async retry(deps: Pick<ConversationImportDeps, 'api' | 'store' | 'settings' | 'warn' | 'clock' | 'frontTime'>): Promise<number> {
    const all = await this.list();
    if (all.length === 0) return 0;
    const still: { id: string; error: string }[] = [];
    let imported = 0;
    const statusName = statusNames(deps.api, deps.warn);
    for (const { id } of all) {
      try {
        await importConversation(id, deps, statusName);
        imported++;
      } catch (err) {
        if (!isUnreadableMessages(err)) throw err;
        still.push({ id, error: err.message });
      }
    }
    const left = new Set(still.map((s) => s.id));
    await this.meta.setMeta(POISONED_META_KEY, all.filter((p) => left.has(p.id)));
    await this.record(still);
    if (imported > 0) deps.warn(`${imported} conversation(s) whose messages Front could not serve before imported now`);
    return imported;
  }
}
