/** Registers the real native host for a throwaway profile, through Ferry's own installer. */
import { execFileSync } from 'node:child_process';
import { HOST_CLI } from './paths';

export function installHost(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, [HOST_CLI, 'install', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}
