import {parse} from 'yaml'

import {UserError} from './errors.js'

/**
 * Parses the YAML text of a user's file (rules, ignore rules) into plain data, or refuses it in one line
 * naming the file: not YAML, or a value that contains itself through an alias (`&a [*a]`), which no
 * setting can mean and which would loop whatever reads it.
 */
export function parseYamlText(text: string, file: string): unknown {
  let document: unknown
  try {
    document = parse(text)
  } catch (error) {
    throw new UserError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]!.replace(/:$/, '')}`)
  }

  if (containsItself(document, new Set())) throw new UserError(`${file}: a value contains itself through an alias (such as &a [*a]): write it out instead.`)
  return document
}

function containsItself(value: unknown, enclosing: Set<object>): boolean {
  if (value === null || typeof value !== 'object') return false
  if (enclosing.has(value)) return true
  enclosing.add(value)
  const found = Object.values(value).some((child) => containsItself(child, enclosing))
  enclosing.delete(value)
  return found
}
