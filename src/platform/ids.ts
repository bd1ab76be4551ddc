import { uuidv7 } from 'uuidv7';

/** Time-ordered ids (UUIDv7) for every row that has no public code. */
export const newId = (): string => uuidv7();
