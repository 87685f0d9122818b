// What a refused refresh is, apart from the token endpoint (which brings the HTTP stack), so that
// status and config can describe a credential without loading got.

import { AuthError } from '../errors.js';

/** The refresh token was refused for good: connect again. */
export class InvalidGrantError extends AuthError {}

export const RECONNECT = 'run `front-import connect --oauth` again';
