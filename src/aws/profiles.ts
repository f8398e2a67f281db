import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {expandHome} from '../paths.js'

/** The shared config and credentials files the AWS SDK reads: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws. */
export function sharedFiles(env: NodeJS.ProcessEnv = process.env): {config: string; credentials: string} {
  return {
    config: expandHome(env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config')),
    credentials: expandHome(env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials')),
  }
}

/**
 * The profile names the shared files define, sorted: `[default]` and `[profile NAME]` sections of the config
 * file (not `[sso-session …]` or `[services …]`), and every section of the credentials file.
 */
export function definedProfiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const {config, credentials} = sharedFiles(env)
  const names = new Set<string>()
  for (const section of sections(config)) {
    const profile = section === 'default' ? section : /^profile\s+(.+)$/.exec(section)?.[1]?.trim()
    if (profile) names.add(profile)
  }

  for (const section of sections(credentials)) names.add(section)
  return [...names].sort()
}

function sections(file: string): string[] {
  if (!existsSync(file)) return []
  try {
    return [...readFileSync(file, 'utf8').matchAll(/^\s*\[([^\]\n]+)\]\s*$/gm)].map((m) => m[1]!.trim())
  } catch {
    return []
  }
}
