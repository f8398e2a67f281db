#!/usr/bin/env node
// Runs the compiled CLI like bin/run.js but with oclif's development settings (no manifest cache).
import {execute, settings} from '@oclif/core'

settings.enableAutoTranspile = false
await execute({development: true, dir: import.meta.url})
