import {type IncomingMessage, type ServerResponse, createServer, request} from 'node:http'
import type {AddressInfo} from 'node:net'

/** A fault the proxy injects for one service instead of forwarding. */
export type Fault = 'access_denied' | 'throttle' | 'server_error' | 'drop' | 'delay'

export interface FaultRule {
  /** SigV4 signing name of the service (`ec2`, `s3`, `iam`, `lambda`, `sts` …). */
  service: string
  fault: Fault
  /** Only requests signed for this region (default: any). */
  region?: string
  /** Only this operation of a JSON-protocol service, matched against the end of `X-Amz-Target` (e.g. `BatchGetResourceConfig`). */
  operation?: string
  /** Inject this many times, then forward (default: always). */
  times?: number
  /** With `delay`: how long to hold each request before forwarding it. */
  delayMs?: number
  /** The error message to answer with (default: one per fault). */
  message?: string
}

/** One request the proxy saw. */
export interface SeenRequest {
  service: string
  region: string
  /** The operation of JSON-protocol services (`X-Amz-Target`, e.g. `StarlingDoveService.ListDiscoveredResources`). */
  target: string | undefined
  /** The request body of JSON-protocol services (those with an `X-Amz-Target`), once it has been received. */
  body?: string
}

/** Rewrites the body of a forwarded response (e.g. to correct an emulator's answer). */
export type ResponseTransform = (request: SeenRequest, body: Buffer) => Buffer

export interface FaultProxy {
  url: string
  rules: FaultRule[]
  /** Requests seen per service. */
  seen: Map<string, number>
  /** Every request seen, in order. */
  requests: SeenRequest[]
  close(): Promise<void>
}

/** Which service and region a request is signed for, from its SigV4 credential scope. */
function scopeOf(req: IncomingMessage): {service: string; region: string} {
  const auth = req.headers.authorization ?? ''
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth)
  return match ? {region: match[1]!, service: match[2]!} : {region: '', service: ''}
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`
// EC2 uses its own error envelope.
const ec2Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>`
const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`

function inject(res: ServerResponse, service: string, fault: Fault, customMessage?: string): void {
  if (fault === 'drop') {
    res.socket?.destroy()
    return
  }

  const [status, code, defaultMessage] =
    fault === 'access_denied'
      ? [403, service === 'ec2' ? 'UnauthorizedOperation' : 'AccessDenied', `User is not authorized to perform: ${service}:Describe*`]
      : fault === 'throttle'
        ? [400, service === 'ec2' ? 'RequestLimitExceeded' : 'Throttling', 'Rate exceeded']
        : [500, 'InternalError', 'Injected server error']
  const message = customMessage ?? defaultMessage
  const lambdaLike = service === 'lambda'
  if (lambdaLike) {
    const type = fault === 'access_denied' ? 'AccessDeniedException' : fault === 'throttle' ? 'TooManyRequestsException' : 'ServiceException'
    res.writeHead(fault === 'throttle' ? 429 : status, {'content-type': 'application/json', 'x-amzn-errortype': type})
    res.end(JSON.stringify({Type: 'User', message}))
    return
  }

  // AWS Config and Cost Explorer speak the JSON 1.1 protocol: the error type is in the body's __type.
  if (service === 'config' || service === 'ce') {
    const type = fault === 'access_denied' ? 'AccessDeniedException' : fault === 'throttle' ? 'ThrottlingException' : 'InternalFailure'
    res.writeHead(status, {'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type})
    res.end(JSON.stringify({__type: type, message}))
    return
  }

  const body = service === 'ec2' ? ec2Error(code, message) : service === 's3' ? s3Error(code, message) : xmlError(code, message)
  res.writeHead(status, {'content-type': 'text/xml'})
  res.end(body)
}

/**
 * An HTTP proxy between the CLI (pointed at it with --endpoint-url) and the emulator that injects
 * faults for chosen services and forwards everything else untouched.
 */
export async function startFaultProxy(target: string, rules: FaultRule[] = [], options: {transform?: ResponseTransform} = {}): Promise<FaultProxy> {
  const targetUrl = new URL(target)
  const seen = new Map<string, number>()
  const requests: SeenRequest[] = []
  const server = createServer((req, res) => {
    const {service, region} = scopeOf(req)
    const amzTarget = req.headers['x-amz-target']
    const seenRequest: SeenRequest = {service, region, target: Array.isArray(amzTarget) ? amzTarget[0] : amzTarget}
    requests.push(seenRequest)
    seen.set(service, (seen.get(service) ?? 0) + 1)
    const rule = rules.find(
      (r) =>
        r.service === service &&
        (!r.region || r.region === region) &&
        (!r.operation || Boolean(seenRequest.target?.endsWith(`.${r.operation}`))) &&
        (r.times === undefined || r.times > 0),
    )
    if (rule) {
      if (rule.times !== undefined) rule.times--
      if (rule.fault === 'delay') {
        setTimeout(() => forward(req, res, seenRequest), rule.delayMs ?? 1000)
        return
      }

      req.resume()
      inject(res, service, rule.fault, rule.message)
      return
    }

    forward(req, res, seenRequest)
  })
  const forward = (req: IncomingMessage, res: ServerResponse, seenRequest: SeenRequest) => {
    const upstream = request(
      {host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: req.headers},
      (upstreamRes) => {
        const {transform} = options
        if (!transform) {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
          upstreamRes.pipe(res)
          return
        }

        const chunks: Buffer[] = []
        upstreamRes.on('data', (c: Buffer) => chunks.push(c))
        upstreamRes.on('end', () => {
          const body = transform(seenRequest, Buffer.concat(chunks))
          const headers = {...upstreamRes.headers, 'content-length': String(body.length)}
          delete headers['transfer-encoding']
          res.writeHead(upstreamRes.statusCode ?? 502, headers)
          res.end(body)
        })
      },
    )
    upstream.on('error', () => res.socket?.destroy())
    if (seenRequest.target) {
      // Read alongside the pipe to the emulator (both see every chunk), so tests can check what was asked.
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => (seenRequest.body = Buffer.concat(chunks).toString('utf8')))
    }

    req.pipe(upstream)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    rules,
    seen,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
