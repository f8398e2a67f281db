import {type Document, isAlias, isMap, isScalar, isSeq, parseAllDocuments, parseDocument} from 'yaml'

import {UserError} from './errors.js'

/**
 * Parses the YAML text of a user's file (rules, ignore rules) into plain data, or refuses it in one line
 * naming the file: not YAML, more than one document, a tag that resolves to no value (`!!float 5`), or a
 * value that contains itself through an alias (`&a [*a]`), which no setting can mean and which would loop
 * whatever reads it.
 */
export function parseYamlText(text: string, file: string): unknown {
  const documents = Array.from(parseAllDocuments(text, {logLevel: 'silent'}))
  const problem = documents.flatMap((d) => [...d.errors, ...d.warnings])[0]
  if (problem) throw new UserError(`${file}: not valid YAML: ${problem.message.split('\n')[0]!.replace(/:$/, '')}`)
  if (documents.length > 1) throw new UserError(`${file}: holds ${documents.length} YAML documents (separated by ---): write the settings as one.`)
  let document: unknown
  try {
    document = documents[0]?.toJS() ?? null
  } catch (error) {
    throw new UserError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]!.replace(/:$/, '')}`)
  }

  if (containsItself(document, new Set())) throw new UserError(`${file}: a value contains itself through an alias (such as &a [*a]): write it out instead.`)
  return document
}

/**
 * How the scalars of a YAML text are written, for values whose plain data hides it: YAML reads `1e2`,
 * `0x10`, `2.0` and `100` all as numbers, and `012345678901` as 12345678901. `sourceAt` gives the text of
 * the scalar at a path of keys and list indexes (through aliases), or undefined when there is none.
 * For a text that `parseYamlText` accepted.
 */
export function yamlSources(text: string): {sourceAt(path: ReadonlyArray<string | number>): string | undefined} {
  let document: Document | undefined
  return {
    sourceAt(path) {
      document ??= parseDocument(text)
      const doc = document
      const resolved = (node: unknown) => (isAlias(node) ? node.resolve(doc) : node)
      let node = resolved(doc.contents)
      for (const key of path) {
        node = isMap(node) || isSeq(node) ? resolved(node.get(key, true)) : undefined
      }

      return isScalar(node) && typeof node.source === 'string' ? node.source : undefined
    },
  }
}

function containsItself(value: unknown, enclosing: Set<object>): boolean {
  if (value === null || typeof value !== 'object') return false
  if (enclosing.has(value)) return true
  enclosing.add(value)
  const found = Object.values(value).some((child) => containsItself(child, enclosing))
  enclosing.delete(value)
  return found
}
