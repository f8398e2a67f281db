import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterEach, describe, expect, it, vi} from 'vitest'

import {AwsClients} from '../../../src/aws/clients.js'

describe('AwsClients with a custom endpoint', () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step()
  })

  it('sends S3 Control calls to the endpoint itself, not to <account>.<endpoint>, with the account in its header', async () => {
    const seen: Array<{host?: string; account?: string | string[]; path?: string}> = []
    const server = createServer((req, res) => {
      seen.push({host: req.headers.host, account: req.headers['x-amz-account-id'], path: req.url})
      res.writeHead(200, {'content-type': 'application/xml'})
      res.end('<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve())))
    const {port} = server.address() as AddressInfo
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing')
    cleanup.push(async () => {
      vi.unstubAllEnvs()
    })
    const clients = new AwsClients({endpointUrl: `http://127.0.0.1:${port}`, maxAttempts: 1}, 'us-east-1')
    cleanup.push(() => clients.destroy())

    const s3control = await clients.get('s3control')
    const out = await s3control.getPublicAccessBlock({AccountId: '123456789012'})

    expect(out.PublicAccessBlockConfiguration).toEqual({BlockPublicAcls: true})
    expect(seen).toEqual([{host: `127.0.0.1:${port}`, account: '123456789012', path: '/v20180820/configuration/publicAccessBlock'}])
  })
})
