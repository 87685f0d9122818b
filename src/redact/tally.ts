// Redactions by kind over a run, counted once per conversation (the event stream can show one
// conversation on several pages): what `--dry-run --json` and the summary report.

export class RedactionTally {
  private readonly byConversation = new Map<string, Record<string, number>>();

  record(conversationId: string, counts: Record<string, number>): void {
    if (Object.keys(counts).length > 0) this.byConversation.set(conversationId, counts);
    else this.byConversation.delete(conversationId);
  }

  /** Kind -> redactions, and how many Highlights had any. */
  totals(): { highlights: number; byKind: Record<string, number> } {
    const byKind: Record<string, number> = {};
    for (const counts of this.byConversation.values()) for (const [kind, n] of Object.entries(counts)) byKind[kind] = (byKind[kind] ?? 0) + n;
    return { highlights: this.byConversation.size, byKind };
  }
}
