// Where the state file lives when neither --db nor the config says otherwise (XDG Base Directory).
// One default per Front API URL: a state is bound to one Front company, and trying the sandbox or
// another company's URL must never bind or fill the state a production cron job uses. Front's own
// URL keeps the path used before this split, so existing state files are found where they are.

import { isAbsolute, join } from 'node:path';

/** Front's API URL, the default of front.url. */
export const DEFAULT_FRONT_URL = 'https://api2.frontapp.com';

export function defaultStorePath(env: Record<string, string | undefined>, homeDir: string, frontUrl: string): string {
  // The XDG spec says a relative $XDG_STATE_HOME is invalid and must be ignored.
  const xdgState = env.XDG_STATE_HOME;
  const stateHome = xdgState && isAbsolute(xdgState) ? xdgState : join(homeDir, '.local', 'state');
  const dir = join(stateHome, 'front-import');
  return frontUrl === DEFAULT_FRONT_URL ? join(dir, 'state.db') : join(dir, urlFolder(frontUrl), 'state.db');
}

/** "http://127.0.0.1:4010/x" -> "127.0.0.1_4010_x": readable, one folder, no separators. */
function urlFolder(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname === '/' ? '' : pathname}`.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/_+$/, '');
}
