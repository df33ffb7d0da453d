/**
 * The directory relative paths on the command line are meant from. `npm run sagewatch -- …` runs
 * the CLI from the checkout's root whatever directory it was typed in (npm changes the working
 * directory to the package and keeps the caller's in INIT_CWD), so there the caller's directory is
 * INIT_CWD. Only for the checkout's own `sagewatch` script: a script of another package that calls
 * an installed `sagewatch` wrote its paths relative to that package, where npm runs it.
 */

/** The environment variables npm sets for a script that this reads. */
export interface NpmScriptEnv {
  INIT_CWD?: string | undefined;
  npm_lifecycle_event?: string | undefined;
  npm_package_name?: string | undefined;
}

/** INIT_CWD when run as this package's `npm run sagewatch`, else the process's working directory. */
export function callerDirectory(env: NpmScriptEnv, cwd: string): string {
  const ownScript = env.npm_lifecycle_event === 'sagewatch' && env.npm_package_name === 'sagewatch';
  return ownScript && env.INIT_CWD ? env.INIT_CWD : cwd;
}
