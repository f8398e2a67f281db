import type {FlowLog, Vpc} from '@aws-sdk/client-ec2'

import {fail, missingData, pass, perResource, unknown} from '../evaluate.js'
import type {Check} from '../types.js'

const flowLogType = 'AWS::EC2::FlowLog'

export const ec2VpcFlowLogsMissing: Check = {
  id: 'ec2-vpc-flow-logs-missing',
  title: 'Every VPC has an active flow log capturing rejected traffic',
  severity: 'medium',
  cis: {v4: '3.7', v7: '4.7'},
  resourceTypes: ['AWS::EC2::VPC', flowLogType],
  satisfiedBy: [flowLogType],
  risk: 'Without flow logs there is no record of who tried to reach what in the VPC: scans, blocked intrusion attempts and exfiltration leave no trace to investigate.',
  remediation: {
    text: 'Create a flow log for the VPC capturing at least REJECT traffic, delivered to S3 or CloudWatch Logs with a retention that covers your investigation window.',
    cli: 'aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type REJECT --log-destination-type s3 --log-destination arn:aws:s3:::<flow-log-bucket> --region <region>',
  },

  evaluate(snapshot) {
    const flowLogs = snapshot.resources(flowLogType)
    return perResource(snapshot, 'AWS::EC2::VPC', (resource) => {
      // A VPC whose region's flow logs were not collected cannot be judged: its flow log may exist.
      const gap = missingData(snapshot, flowLogType, resource.accountId, resource.region)
      if (gap !== undefined) return unknown(gap)
      const vpcId = (resource.configuration as Vpc).VpcId ?? resource.id
      const own = flowLogs
        .filter((f) => f.accountId === resource.accountId && f.region === resource.region)
        .map((f) => f.configuration as FlowLog)
        .filter((f) => f.ResourceId === vpcId)
      // A flow log whose delivery fails (its role, the bucket policy) captures nothing anyone can read.
      const capturing = own.find((f) => f.FlowLogStatus === 'ACTIVE' && (f.TrafficType === 'REJECT' || f.TrafficType === 'ALL') && f.DeliverLogsStatus !== 'FAILED')
      if (capturing !== undefined) return pass(`flow log ${capturing.FlowLogId} captures ${capturing.TrafficType} traffic to ${capturing.LogDestination ?? capturing.LogGroupName ?? capturing.LogDestinationType}`)
      const delivery = (f: FlowLog) => (f.DeliverLogsStatus === 'FAILED' ? `, delivery FAILED${f.DeliverLogsErrorMessage ? `: ${f.DeliverLogsErrorMessage}` : ''}` : '')
      const seen = own.map((f) => `${f.FlowLogId} (${f.FlowLogStatus ?? 'status unknown'}, ${f.TrafficType ?? '?'} traffic${delivery(f)})`)
      return fail(
        `VPC ${vpcId}${(resource.configuration as Vpc).IsDefault ? ' (default VPC)' : ''} has ${seen.length === 0 ? 'no flow log' : `no active flow log capturing rejected traffic: ${seen.join(', ')}`}`,
        `aws ec2 create-flow-logs --resource-type VPC --resource-ids ${vpcId} --traffic-type REJECT --log-destination-type s3 --log-destination arn:aws:s3:::<flow-log-bucket> --region ${resource.region}`,
      )
    })
  },
}
