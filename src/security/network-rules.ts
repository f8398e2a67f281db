import type {IpPermission, NetworkAclEntry, SecurityGroup} from '@aws-sdk/client-ec2'

import type {Resource} from '../resources/types.js'
import {type Verdict, fail, pass} from './evaluate.js'
import {shellQuote} from './policy-document.js'

/** Address families of "the whole internet" sources. */
export type Family = 'ipv4' | 'ipv6'

/** The source that means "anyone", per family. */
export const anywhere: Readonly<Record<Family, string>> = {ipv4: '0.0.0.0/0', ipv6: '::/0'}

/** Whether a CIDR block is the whole internet: any address with a prefix length of 0 (`0.0.0.0/0`, `0::/0`). */
export function isAnywhere(cidr: string | undefined): boolean {
  return cidr !== undefined && /\/0+$/.test(cidr.trim())
}

/** Remote server administration ports the benchmark names (SSH, RDP). */
export const adminPorts: readonly number[] = [22, 3389]

/** Transport protocols a port can be reached over, as checks name them. */
export type Transport = 'tcp' | 'udp'

/** An EC2 protocol value (`-1`, `tcp`, `6`, `udp`, `17`, …) as `all`, a transport, or undefined for others (ICMP…). */
function protocolOf(value: string | undefined): 'all' | Transport | undefined {
  switch (value) {
    case '-1':
    case 'all':
      return 'all'
    case 'tcp':
    case '6':
      return 'tcp'
    case 'udp':
    case '17':
      return 'udp'
    default:
      return undefined
  }
}

/** `22`, `1000-2000`, or `all ports`. */
function portText(from: number, to: number): string {
  if (from <= 0 && to >= 65_535) return 'all ports'
  return from === to ? String(from) : `${from}-${to}`
}

/** The port range a rule covers: everything for protocol -1 or when the API gives no range. */
function rangeOf(protocol: 'all' | Transport, from: number | undefined, to: number | undefined): [number, number] {
  if (protocol === 'all' || from === undefined || to === undefined || from < 0 || to < 0) return [0, 65_535]
  return [from, to]
}

/** `all traffic`, `tcp 22`, `udp 1000-2000` or `protocol 50`: what a rule lets through. */
function trafficText(value: string | undefined, from: number | undefined, to: number | undefined): string {
  const protocol = protocolOf(value)
  if (protocol === 'all') return 'all traffic'
  if (protocol === undefined) return `protocol ${value ?? '?'}`
  return `${protocol} ${portText(...rangeOf(protocol, from, to))}`
}

/** A security group rule open to the whole internet on some of the ports a check looks for. */
export interface OpenRule {
  /** The rule, narrowed to its internet-wide source (what revoking it removes). */
  permission: IpPermission
  /** Which of the looked-for ports it reaches. */
  ports: number[]
  /** All traffic (protocol -1) or every port of a transport. */
  allPorts: boolean
  /** E.g. `tcp 22 from 0.0.0.0/0 (office ssh)`. */
  text: string
}

/**
 * The ingress rules of a security group that let anyone (`0.0.0.0/0` or `::/0`, per `families`) reach
 * one of `ports` over one of `transports` (protocol -1 reaches every port over every protocol).
 */
export function openIngress(group: SecurityGroup, families: readonly Family[], ports: readonly number[], transports: readonly Transport[]): OpenRule[] {
  const open: OpenRule[] = []
  for (const permission of group.IpPermissions ?? []) {
    const protocol = protocolOf(permission.IpProtocol)
    if (protocol === undefined || (protocol !== 'all' && !transports.includes(protocol))) continue
    const [from, to] = rangeOf(protocol, permission.FromPort, permission.ToPort)
    const reached = ports.filter((p) => from <= p && p <= to)
    if (reached.length === 0) continue
    for (const family of families) {
      const ranges =
        family === 'ipv4'
          ? (permission.IpRanges ?? []).map((r) => ({cidr: r.CidrIp, description: r.Description}))
          : (permission.Ipv6Ranges ?? []).map((r) => ({cidr: r.CidrIpv6, description: r.Description}))
      // The block as the rule writes it (`0::/0` too): revoking needs it exactly.
      const source = ranges.find((r) => isAnywhere(r.cidr))
      if (source?.cidr === undefined) continue
      const {IpProtocol, FromPort, ToPort} = permission
      const cidr = source.cidr
      const sources = family === 'ipv4' ? {IpRanges: [{CidrIp: cidr}]} : {Ipv6Ranges: [{CidrIpv6: cidr}]}
      open.push({
        permission: {IpProtocol, FromPort, ToPort, ...sources},
        ports: reached,
        allPorts: protocol === 'all' || (from <= 0 && to >= 65_535),
        text: `${trafficText(permission.IpProtocol, from, to)} from ${cidr}${source.description ? ` (${source.description})` : ''}`,
      })
    }
  }

  return open
}

/** A rule as the `--ip-permissions` JSON of the AWS CLI: only the fields that identify it. */
function cliPermission(permission: IpPermission): Record<string, unknown> {
  const all = protocolOf(permission.IpProtocol) === 'all'
  const out: Record<string, unknown> = {IpProtocol: permission.IpProtocol}
  if (!all && permission.FromPort !== undefined) out.FromPort = permission.FromPort
  if (!all && permission.ToPort !== undefined) out.ToPort = permission.ToPort
  const ipv4 = (permission.IpRanges ?? []).map((r) => ({CidrIp: r.CidrIp}))
  const ipv6 = (permission.Ipv6Ranges ?? []).map((r) => ({CidrIpv6: r.CidrIpv6}))
  const prefixLists = (permission.PrefixListIds ?? []).map((p) => ({PrefixListId: p.PrefixListId}))
  const groups = (permission.UserIdGroupPairs ?? []).map((g) => (g.GroupId === undefined ? {GroupName: g.GroupName} : {GroupId: g.GroupId}))
  if (ipv4.length > 0) out.IpRanges = ipv4
  if (ipv6.length > 0) out.Ipv6Ranges = ipv6
  if (prefixLists.length > 0) out.PrefixListIds = prefixLists
  if (groups.length > 0) out.UserIdGroupPairs = groups
  return out
}

/** `aws ec2 revoke-security-group-<direction>` removing exactly these rules from the group. */
export function revokeCommand(direction: 'ingress' | 'egress', resource: Pick<Resource, 'id' | 'region'>, permissions: readonly IpPermission[]): string {
  const json = JSON.stringify(permissions.map((p) => cliPermission(p)))
  return `aws ec2 revoke-security-group-${direction} --group-id ${resource.id} --ip-permissions ${shellQuote(json)} --region ${resource.region}`
}

/** E.g. `tcp 443 from 10.0.0.0/8, sg-0abc` or `all traffic to 0.0.0.0/0`: every source of one rule. */
export function describePermission(permission: IpPermission, direction: 'ingress' | 'egress'): string {
  const what = trafficText(permission.IpProtocol, permission.FromPort, permission.ToPort)
  const peers = [
    ...(permission.IpRanges ?? []).map((r) => r.CidrIp),
    ...(permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6),
    ...(permission.PrefixListIds ?? []).map((p) => p.PrefixListId),
    ...(permission.UserIdGroupPairs ?? []).map((g) => g.GroupId ?? g.GroupName),
  ].filter((p): p is string => p !== undefined)
  return `${what} ${direction === 'ingress' ? 'from' : 'to'} ${peers.join(', ') || '(no peer)'}`
}

/**
 * The verdict of a "no security group lets the internet reach these ports" check. Rules reaching every
 * port (protocol -1, or 0-65535) make the finding critical.
 */
export function judgeOpenIngress(
  resource: Resource,
  families: readonly Family[],
  ports: readonly number[],
  transports: readonly Transport[],
  what: string,
): Verdict {
  const group = resource.configuration as SecurityGroup
  const sources = families.map((f) => anywhere[f]).join(' or ')
  const open = openIngress(group, families, ports, transports)
  if (open.length === 0) return pass(`no ingress from ${sources} to ${what} (${ports.join(', ')})`)
  const rules = open.map((o) => `${o.text} reaching ${o.ports.join(', ')}`).join('; ')
  return fail(
    `${resource.id} (${group.GroupName ?? resource.name}) allows ${rules}`,
    revokeCommand('ingress', resource, open.map((o) => o.permission)),
    open.some((o) => o.allPorts) ? 'critical' : undefined,
  )
}

/** A network ACL ingress entry that lets anyone reach a port. */
export interface NaclExposure {
  family: Family
  transport: Transport
  port: number
  /** The allow entry that decides it (the lowest-numbered entry matching the traffic). */
  entry: NetworkAclEntry
}

function entrySource(entry: NetworkAclEntry, family: Family): string | undefined {
  return family === 'ipv4' ? entry.CidrBlock : entry.Ipv6CidrBlock
}

function entryMatches(entry: NetworkAclEntry, family: Family, transport: Transport, port: number): boolean {
  return isAnywhere(entrySource(entry, family)) && entryCovers(entry, family, transport, port)
}

/** Whether the entry applies to the port from some source of the family (the whole internet or less). */
function entryCovers(entry: NetworkAclEntry, family: Family, transport: Transport, port: number): boolean {
  if (entrySource(entry, family) === undefined) return false
  const protocol = protocolOf(entry.Protocol)
  if (protocol !== 'all' && protocol !== transport) return false
  const [from, to] = rangeOf(protocol, entry.PortRange?.From, entry.PortRange?.To)
  return from <= port && port <= to
}

/**
 * What the ingress entries of a network ACL let anyone reach, evaluated as AWS does: entries in rule
 * number order, the first entry matching the traffic decides. An entry only decides for "anyone" when
 * its source is the whole internet: a deny on a narrower range still lets the rest of the internet on
 * to a later allow. `shadowed` lists the internet-wide allows that lower-numbered denies override.
 */
export function naclIngress(entries: readonly NetworkAclEntry[], ports: readonly number[]): {open: NaclExposure[]; shadowed: NetworkAclEntry[]} {
  const ingress = entries.filter((e) => e.Egress !== true).sort((a, b) => (a.RuleNumber ?? 0) - (b.RuleNumber ?? 0))
  const open: NaclExposure[] = []
  const shadowed = new Set<NetworkAclEntry>()
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const port of ports) {
      for (const transport of ['tcp', 'udp'] as const) {
        const matching = ingress.filter((e) => entryMatches(e, family, transport, port))
        const decisive = matching[0]
        if (decisive === undefined) continue
        if (decisive.RuleAction === 'allow') open.push({family, transport, port, entry: decisive})
        else for (const later of matching) if (later.RuleAction === 'allow') shadowed.add(later)
      }
    }
  }

  return {open, shadowed: [...shadowed]}
}

/** E.g. `rule 100 (allow all traffic from 0.0.0.0/0)`. */
export function describeNaclEntry(entry: NetworkAclEntry): string {
  const what = trafficText(entry.Protocol, entry.PortRange?.From, entry.PortRange?.To)
  return `rule ${entry.RuleNumber ?? '?'} (${entry.RuleAction ?? '?'} ${what} from ${entry.CidrBlock ?? entry.Ipv6CidrBlock ?? '?'})`
}

/**
 * Commands that close the exposures: a deny entry for each, numbered below the allow entry that lets the
 * traffic in, and above any narrower allow of the same traffic (an office's range), so that everything
 * else the ACL allows keeps working. Where no free rule number lies between them, nothing is deleted: the
 * comment at the end says which entries need renumbering first.
 */
export function naclRemediation(resource: Pick<Resource, 'id' | 'region'>, entries: readonly NetworkAclEntry[], open: readonly NaclExposure[]): string {
  const ingress = entries.filter((e) => e.Egress !== true)
  const taken = new Set(ingress.map((e) => e.RuleNumber ?? 0))
  const commands: string[] = []
  const crowded: string[] = []
  for (const exposure of open) {
    const allowNumber = exposure.entry.RuleNumber ?? 0
    const {family, transport, port} = exposure
    const narrower = ingress.filter((e) => e.RuleAction === 'allow' && (e.RuleNumber ?? 0) < allowNumber && entryCovers(e, family, transport, port))
    const floor = Math.max(0, ...narrower.map((e) => e.RuleNumber ?? 0))
    let free = allowNumber - 1
    while (free > floor && taken.has(free)) free--
    if (free <= floor) {
      crowded.push(`${transport}/${port} from ${anywhere[family]} before rule ${allowNumber}${floor > 0 ? ` and after rule ${floor}` : ''}`)
      continue
    }

    taken.add(free)
    const source = exposure.family === 'ipv4' ? `--cidr-block ${anywhere.ipv4}` : `--ipv6-cidr-block ${anywhere.ipv6}`
    commands.push(
      `aws ec2 create-network-acl-entry --network-acl-id ${resource.id} --ingress --rule-number ${free} --protocol ${exposure.transport} --port-range From=${exposure.port},To=${exposure.port} ${source} --rule-action deny --region ${resource.region}`,
    )
  }

  if (crowded.length === 0) return commands.join(' && ')
  // Last, so that it hides no command: a shell comment ends the line.
  const room = `  # no free rule number for a deny of ${crowded.join('; ')}: renumber the entries there (replace-network-acl-entry, or delete and re-create them) to make room`
  return `${commands.length > 0 ? commands.join(' && ') : `aws ec2 describe-network-acls --network-acl-ids ${resource.id} --region ${resource.region}`}${room}`
}
