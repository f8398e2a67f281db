import type {Resource} from '../../resources/types.js'
import {fail, pass, perCell} from '../evaluate.js'
import type {Check} from '../types.js'

// Analyzers of external access; the unused-access and internal-access kinds do not find what CIS asks for.
const externalAccess = new Set(['ACCOUNT', 'ORGANIZATION'])

const typeOf = (analyzer: Resource) => String(analyzer.configuration.type)
const statusOf = (analyzer: Resource) => String(analyzer.configuration.status)

export const accessanalyzerAnalyzerMissing: Check = {
  id: 'accessanalyzer-analyzer-missing',
  title: 'Every region has an active IAM Access Analyzer for external access',
  severity: 'low',
  cis: {v4: '1.20', v7: '2.18'},
  resourceTypes: ['AWS::AccessAnalyzer::Analyzer'],
  satisfiedBy: ['AWS::AccessAnalyzer::Analyzer'],
  risk: 'Without an external access analyzer, buckets, keys, roles and queues shared outside the account or organization in that region go unnoticed.',
  remediation: {
    text: 'Create an account (or organization) analyzer in every region in use.',
    cli: 'aws accessanalyzer create-analyzer --analyzer-name <name> --type ACCOUNT --region <region>',
  },

  evaluate(snapshot) {
    return perCell(snapshot, 'AWS::AccessAnalyzer::Analyzer', (cell, analyzers) => {
      const external = analyzers.filter((a) => externalAccess.has(typeOf(a)))
      const active = external.filter((a) => statusOf(a) === 'ACTIVE')
      if (active.length > 0) return {verdict: pass(`active external access analyzer: ${active.map((a) => `${a.name} (${typeOf(a)})`).join(', ')}`)}
      const fix = `aws accessanalyzer create-analyzer --analyzer-name account-analyzer --type ACCOUNT --region ${cell.region}`
      if (external.length > 0) {
        return {verdict: fail(`no active external access analyzer: ${external.map((a) => `${a.name} is ${statusOf(a)}`).join(', ')}`, fix)}
      }

      const others = analyzers.map((a) => `${a.name} (${typeOf(a)})`)
      return {verdict: fail(`no external access analyzer in ${cell.region}${others.length > 0 ? `; only ${others.join(', ')}` : ''}`, fix)}
    })
  },
}
