import {fail, pass, unknown} from '../evaluate.js'
import {perSetting} from '../account-settings.js'
import type {Check} from '../types.js'

export const ec2EbsDefaultEncryptionOff: Check = {
  id: 'ec2-ebs-default-encryption-off',
  title: 'EBS encryption by default is on in every region',
  severity: 'high',
  cis: {v4: '5.1.1', v7: '6.1.1'},
  resourceTypes: ['Account::EC2::EbsEncryptionByDefault'],
  risk: 'Without encryption by default, anyone creating a volume or copying a snapshot in the region can leave data unencrypted at rest.',
  remediation: {
    text: 'Turn on EBS encryption by default in every region (it applies to new volumes; existing ones stay as they are).',
    cli: 'aws ec2 enable-ebs-encryption-by-default --region <region>',
  },

  evaluate(snapshot) {
    return perSetting(snapshot, 'Account::EC2::EbsEncryptionByDefault', (setting) => {
      const {EbsEncryptionByDefault: on, KmsKeyId: key} = setting.configuration as {EbsEncryptionByDefault?: boolean; KmsKeyId?: string | null}
      if (on === true) return pass(`EBS encryption by default is on in ${setting.region}${key ? ` (default key ${key})` : ''}`)
      if (on !== false) return unknown(`the EBS encryption by default setting of ${setting.region} was not recorded`)
      return fail(`EBS encryption by default is off in ${setting.region}`, `aws ec2 enable-ebs-encryption-by-default --region ${setting.region}`)
    })
  },
}
