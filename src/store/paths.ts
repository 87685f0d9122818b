// Where the state file lives when neither --db nor the config says otherwise (XDG Base Directory).

import { isAbsolute, join } from 'node:path';

export function defaultStorePath(env: Record<string, string | undefined>, homeDir: string): string {
  // The XDG spec says a relative $XDG_STATE_HOME is invalid and must be ignored.
  const xdgState = env.XDG_STATE_HOME;
  const stateHome = xdgState && isAbsolute(xdgState) ? xdgState : join(homeDir, '.local', 'state');
  return join(stateHome, 'front-import', 'state.db');
}
