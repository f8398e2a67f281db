import {describe, expect, it} from 'vitest'

import {routeTable} from '../../../../src/resources/ec2/route-table.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::RouteTable', () => {
  const ctx = testContext()
  const item = {
    RouteTableId: 'rtb-1',
    VpcId: 'vpc-1',
    OwnerId: '123456789012',
    Associations: [
      {Main: false, RouteTableAssociationId: 'rtbassoc-1', RouteTableId: 'rtb-1', SubnetId: 'subnet-1'},
      {Main: false, RouteTableAssociationId: 'rtbassoc-2', RouteTableId: 'rtb-1', SubnetId: 'subnet-2'},
      {Main: false, RouteTableAssociationId: 'rtbassoc-3', RouteTableId: 'rtb-1', GatewayId: 'igw-1'},
    ],
    Routes: [
      {DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' as const},
      {DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' as const},
      {DestinationCidrBlock: '172.16.0.0/12', NatGatewayId: 'nat-1'},
      {DestinationCidrBlock: '192.168.0.0/16', NetworkInterfaceId: 'eni-1', InstanceId: 'i-1'},
      {DestinationCidrBlock: '10.9.0.0/16', GatewayId: 'vgw-1'},
      {DestinationPrefixListId: 'pl-s3', GatewayId: 'vpce-1'},
    ],
    Tags: [{Key: 'Name', Value: 'public'}],
  }

  it('builds the canonical resource from DescribeRouteTables output', async () => {
    const resource = await routeTable.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:route-table/rtb-1',
      type: 'AWS::EC2::RouteTable',
      id: 'rtb-1',
      name: 'public',
      createdAt: null,
      tags: {Name: 'public'},
      source: 'api',
    })
  })

  it('relates to its VPC, subnets and route targets; a gateway endpoint only by reference', async () => {
    const resource = await routeTable.toResource(item, ctx)
    expect(routeTable.relationships?.(resource)).toEqual([
      {type: 'AWS::EC2::VPC', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', id: 'vpc-1', kind: 'in'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1', id: 'subnet-1', kind: 'associated-with'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-2', id: 'subnet-2', kind: 'associated-with'},
      {type: 'AWS::EC2::InternetGateway', arn: 'arn:aws:ec2:us-east-1:123456789012:internet-gateway/igw-1', id: 'igw-1', kind: 'associated-with'},
      {type: 'AWS::EC2::NatGateway', arn: 'arn:aws:ec2:us-east-1:123456789012:natgateway/nat-1', id: 'nat-1', kind: 'associated-with'},
      {type: 'AWS::EC2::NetworkInterface', arn: 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-1', id: 'eni-1', kind: 'associated-with'},
      {type: 'AWS::EC2::VPCEndpoint', arn: 'arn:aws:ec2:us-east-1:123456789012:vpc-endpoint/vpce-1', id: 'vpce-1', kind: 'references'},
    ])
  })

  it('does not depend on VPC endpoints (they depend on it)', () => {
    expect(routeTable.dependsOn).not.toContain('AWS::EC2::VPCEndpoint')
  })
})

describe('AWS::EC2::RouteTable deleter', () => {
  const [, mainTable, sandboxTable] = currentItems['AWS::EC2::RouteTable']!

  it('disassociates each subnet by its association id, then deletes the table and its routes', async () => {
    expect(routeTable.deleter!.steps(await collected(routeTable.type, sandboxTable))).toEqual([
      {
        action: 'disassociate-route-table',
        description: 'Disassociate route table sbx-rtb (rtb-498dc43707080f720) from subnet-69a648a085f465748 (rtbassoc-9f3ee970af9e26b59)',
        params: {routeTableId: 'rtb-498dc43707080f720', associationId: 'rtbassoc-9f3ee970af9e26b59'},
      },
      {action: 'delete-route-table', description: 'Delete route table sbx-rtb (rtb-498dc43707080f720)', params: {routeTableId: 'rtb-498dc43707080f720'}},
    ])
  })

  it('never removes a main association (a main table goes only with its VPC)', async () => {
    expect(routeTable.deleter!.steps(await collected(routeTable.type, mainTable)).map((s) => s.action)).toEqual(['delete-route-table'])
  })
})
