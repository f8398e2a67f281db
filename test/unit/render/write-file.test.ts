import {chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {UserError} from '../../../src/errors.js'
import {checkExportFile, checkWritable, writeFileAtomically} from '../../../src/render/write-file.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'awsinv-write-'))
  dirs.push(dir)
  return dir
}

describe('writeFileAtomically', () => {
  it('writes the file (replacing an older one) and leaves nothing else behind', () => {
    const dir = tempDir()
    const file = join(dir, 'out.json')
    writeFileSync(file, 'old')
    expect(writeFileAtomically(file, '{"a":1}\n')).toBe(file)
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n')
    expect(readdirSync(dir)).toEqual(['out.json'])
  })

  it('keeps the permissions of a file it replaces, and refuses a write-protected one before and at the write', () => {
    const dir = tempDir()
    const file = join(dir, 'out.json')
    writeFileSync(file, 'old')
    chmodSync(file, 0o640)
    writeFileAtomically(file, 'new')
    expect(statSync(file).mode & 0o777).toBe(0o640)
    expect(readFileSync(file, 'utf8')).toBe('new')

    const fresh = join(dir, 'new.json')
    writeFileAtomically(fresh, 'x')
    expect(statSync(fresh).mode & 0o777).toBe(0o666 & ~process.umask())
    rmSync(fresh)

    chmodSync(file, 0o444)
    const refusal = new UserError(`Cannot write ${file}: it is write-protected (chmod u+w to replace it).`)
    expect(() => checkWritable(file)).toThrow(refusal)
    expect(() => writeFileAtomically(file, 'newer')).toThrow(refusal)
    expect(readFileSync(file, 'utf8')).toBe('new')
    expect(readdirSync(dir)).toEqual(['out.json'])
  })

  it('refuses a missing directory, a directory as target and a file as directory with one line, writing nothing', () => {
    const dir = tempDir()
    const missing = join(dir, 'nope', 'out.json')
    expect(() => writeFileAtomically(missing, 'x')).toThrow(new UserError(`Cannot write ${missing}: its directory does not exist.`))

    mkdirSync(join(dir, 'taken.json'))
    expect(() => writeFileAtomically(join(dir, 'taken.json'), 'x')).toThrow(`Cannot write ${join(dir, 'taken.json')}: it is a directory.`)
    expect(readdirSync(dir)).toEqual(['taken.json'])

    writeFileSync(join(dir, 'file'), '')
    const under = join(dir, 'file', 'out.csv')
    expect(() => writeFileAtomically(under, 'x')).toThrow(`Cannot write ${under}: a part of its path is not a directory.`)
    expect(readdirSync(dir).sort()).toEqual(['file', 'taken.json'])
  })

  it('checkWritable refuses beforehand what the write would refuse, in the same words, and writes nothing', () => {
    const dir = tempDir()
    const missing = join(dir, 'nope', 'out.json')
    expect(() => checkWritable(missing)).toThrow(new UserError(`Cannot write ${missing}: its directory does not exist.`))
    mkdirSync(join(dir, 'taken.json'))
    expect(() => checkWritable(join(dir, 'taken.json'))).toThrow(new UserError(`Cannot write ${join(dir, 'taken.json')}: it is a directory.`))
    writeFileSync(join(dir, 'file'), 'kept')
    expect(() => checkWritable(join(dir, 'file', 'out.csv'))).toThrow(new UserError(`Cannot write ${join(dir, 'file', 'out.csv')}: a part of its path is not a directory.`))

    // A directory that takes no new files, whatever the permission bits say (to root, among others).
    expect(() => checkWritable('/proc/out.json')).toThrow(new UserError('Cannot write /proc/out.json: files cannot be created in its directory.'))

    expect(() => checkWritable(join(dir, 'new.json'))).not.toThrow()
    expect(() => checkWritable(join(dir, 'file'))).not.toThrow()
    expect(readdirSync(dir).sort()).toEqual(['file', 'taken.json'])
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('kept')
  })

  it('writes through a symbolic link to its target, and to a device as it is, never replacing either', () => {
    const dir = tempDir()
    const target = join(dir, 'real.json')
    writeFileSync(target, 'old')
    symlinkSync(target, join(dir, 'link.json'))
    expect(writeFileAtomically(join(dir, 'link.json'), 'new')).toBe(join(dir, 'link.json'))
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('new')

    // Renaming a file over /dev/null would replace the device (for root, who may).
    expect(() => checkWritable('/dev/null')).not.toThrow()
    writeFileAtomically('/dev/null', 'discarded')
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'real.json'])
  })

  it('checkExportFile names the extensions an export takes, then checks the file can be written', () => {
    const dir = tempDir()
    expect(() => checkExportFile(join(dir, 'out.txt'), ['json', 'md', 'csv'])).toThrow(new UserError(`--export needs a .json, .md or .csv file name, got "${join(dir, 'out.txt')}".`))
    expect(() => checkExportFile('out.txt', ['json', 'csv'])).toThrow(new UserError('--export needs a .json or .csv file name, got "out.txt".'))
    expect(() => checkExportFile(join(dir, 'missing', 'out.JSON'), ['json'])).toThrow(new UserError(`Cannot write ${join(dir, 'missing', 'out.JSON')}: its directory does not exist.`))
    expect(() => checkExportFile(join(dir, 'out.csv'), ['json', 'csv'])).not.toThrow()
    expect(readdirSync(dir)).toEqual([])
  })
})
