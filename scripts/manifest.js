// Writes oclif.manifest.json so that `awsinv --help` and command lookup do not load every command file.
import {Plugin} from '@oclif/core'
import {writeFileSync} from 'node:fs'

const plugin = new Plugin({errorOnManifestCreate: true, ignoreManifest: true, isRoot: true, root: process.cwd(), type: 'core'})
await plugin.load()
writeFileSync('oclif.manifest.json', JSON.stringify(plugin.manifest, null, 2) + '\n')
