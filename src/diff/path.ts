/** One step of a field path: an object field, a set element's identity, or a list position. */
export type PathSegment = {field: string} | {key: string} | {index: number}

/** `IpPermissions[tcp:22].IpRanges[0.0.0.0/0]`; fields that are not plain identifiers are quoted: `["a.b"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let text = ''
  for (const segment of segments) {
    if ('index' in segment) text += `[${segment.index}]`
    else if ('key' in segment) text += `[${segment.key}]`
    else if (/^[\w$@:-]+$/.test(segment.field)) text += text === '' ? segment.field : `.${segment.field}`
    else text += `[${JSON.stringify(segment.field)}]`
  }

  return text
}

/** The path with set identities and positions as `*`: what spec paths and ignore rules are written against. */
export function fieldPattern(segments: readonly PathSegment[]): string[] {
  return segments.map((s) => ('field' in s ? s.field : '*'))
}
