// The pipeline's one entry: everything outside src/pipeline/ imports from here, never from a stage.
// Stages, in the order data flows: fetch/ (Front's pages: events or listing, chosen by cost) ->
// prepare/ (one conversation -> each subscription's Highlight) -> deliver/ (outboxes to
// destinations); run/ drives them for one import (backfill, sync) or one batch of named
// conversations (listen), and holds the one tally that writes a run's counts.

export { runImport } from './run/import-run.js';
export type { Checkpoint, ImportApi, ImportCounts, ImportDeps, ImportProgress, ImportRequest, ImportResult, ImportStore } from './run/types.js';
export { importConversations } from './run/import-conversations.js';
export type { ConversationCounts, ConversationImportDeps, ConversationOutcome, ConversationSources, GivenConversation } from './run/import-conversations.js';
export { PoisonedConversations } from './run/poisoned.js';

export { deliverAll, withEarlier } from './deliver/deliver-all.js';
export type { DeliveryReport, DeliveryTarget, TargetOutcome } from './deliver/deliver-all.js';
export { queueFromState, replayFromState } from './deliver/from-state.js';
export { storedFacts } from './deliver/page-lines.js';
export { conversionRules, rulesOf } from './deliver/conversion-rules.js';
export { workerConverter } from './deliver/convert-workers.js';
export { takeImportLock, underDeliveryLock } from './deliver/store-locks.js';

export { importSettingsFrom, subscriptionTarget } from './prepare/prepare.js';
export { subscriptionHighlight } from './prepare/subscription-highlight.js';
export { HeldBackTally } from './prepare/held-back.js';
export type { HeldBack } from './prepare/held-back.js';
export type { ImportSettings, SubscriptionTarget } from './prepare/prepare.js';
export { statusNames } from './prepare/status-names.js';

export { importedStatuses, needsInboxes, unionInboxes } from './fetch/scope.js';
export type { Lane } from './fetch/scope.js';
export type { StrategyMode } from './fetch/strategy-choice.js';
export type { Window } from './fetch/source.js';
