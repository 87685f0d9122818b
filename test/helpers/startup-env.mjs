// The environment both halves of the start-up test run front-import in: everything it would read
// or write (config search, state, the user's config folder) inside one empty work dir.

export function startupEnv(dir) {
  return { HOME: `${dir}/home`, XDG_CONFIG_HOME: `${dir}/home/.config`, XDG_STATE_HOME: `${dir}/home/.local/state`, FRONT_IMPORT_DB: `${dir}/state.db` };
}
