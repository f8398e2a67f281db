import {ageInDays, fail, pass, perResource, unknown} from '../evaluate.js'
import type {Check} from '../types.js'
import {counted} from '../../words.js'

export const iamServerCertificateExpired: Check = {
  id: 'iam-server-certificate-expired',
  title: 'No expired SSL/TLS certificates are stored in IAM',
  severity: 'medium',
  cis: {v4: '1.19', v7: '2.17'},
  resourceTypes: ['AWS::IAM::ServerCertificate'],
  risk: 'An expired certificate can still be attached to a load balancer or CloudFront distribution by mistake, breaking clients or teaching them to click through certificate warnings.',
  remediation: {
    text: 'Make sure nothing uses the expired certificate any more (replace it on load balancers and distributions), then delete it from IAM.',
    cli: 'aws iam delete-server-certificate --server-certificate-name <certificate-name>',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::IAM::ServerCertificate', (resource) => {
      // The stored ListServerCertificates metadata, dates as ISO strings.
      const {Expiration} = resource.configuration as {Expiration?: string}
      const expiredFor = ageInDays(Expiration, snapshot)
      if (Expiration === undefined || expiredFor === undefined) return unknown('the stored certificate has no readable expiration date')
      if (Date.parse(Expiration) > snapshot.capturedAt.getTime()) return pass(`valid until ${Expiration}`)
      return fail(
        `certificate ${resource.name} expired on ${Expiration}, ${counted(expiredFor, 'day')} before capture`,
        `aws iam delete-server-certificate --server-certificate-name ${resource.id}`,
      )
    })
  },
}
