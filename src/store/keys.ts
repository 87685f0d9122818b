// Names of the state entries more than one command reads.

/** The cursor sync continues from; an open-ended backfill seeds it, `status` reports it. */
export const SYNC_CURSOR = 'sync';
