// The Highlight: front-import's output contract (README "The Highlight", schema version 1).
// Exactly these keys, in this order, are serialised.

export type HighlightStatus = 'open' | 'archived' | 'spam' | 'trashed';
export type HighlightStatusCategory = 'open' | 'waiting' | 'resolved';

export interface Highlight {
  /** "front:cnv_123": stable dedupe key. */
  id: string;
  /** Hex digest of the content fields; changes iff the content changes. */
  version: string;
  source: 'front';
  conversationId: string;
  title: string;
  text: string;
  requester: { name: string | null; handle: string } | null;
  assignee: { id: string; name: string; email: string } | null;
  status: HighlightStatus;
  statusCategory: HighlightStatusCategory | null;
  tags: string[];
  labels: string[];
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  sourceUrl: string;
}

export interface LabelRule {
  when: { tag?: string; status?: string; inbox?: string };
  label: string;
}

export interface MappingOptions {
  maxTextLength: number;
  labelRules: LabelRule[];
  /** Names and ids of the inboxes the conversation is in, for `inbox` label rules. */
  inboxes?: { id: string; name: string }[];
}

/** Things the mapper noticed but did not fail on (unknown status, oversized body, ...). */
export interface MappingWarning {
  conversationId: string;
  message: string;
}
