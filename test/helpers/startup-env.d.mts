/** front-import's environment for the start-up test: HOME, the XDG folders and the state file inside `dir`. */
export function startupEnv(dir: string): { HOME: string; XDG_CONFIG_HOME: string; XDG_STATE_HOME: string; FRONT_IMPORT_DB: string };
