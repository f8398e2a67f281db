import type {UserItem} from '../../resources/iam/user.js'
import {fail, pass, perResource} from '../evaluate.js'
import type {Check} from '../types.js'

export const iamUserConsoleWithoutMfa: Check = {
  id: 'iam-user-console-without-mfa',
  title: 'Every IAM user with a console password has an MFA device',
  severity: 'high',
  cis: {v4: '1.10', v7: '2.10'},
  resourceTypes: ['AWS::IAM::User'],
  risk: 'A console password alone is one phished, reused or guessed secret away from an attacker signing in with all of the user\'s permissions.',
  remediation: {
    text: 'Assign an MFA device to the user (a virtual device, a security key or a hardware token), or remove the console password if the user does not need the console.',
    cli: 'aws iam create-virtual-mfa-device --virtual-mfa-device-name <user> --outfile <user>-mfa.png --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name <user> --serial-number arn:aws:iam::<account>:mfa/<user> --authentication-code1 <code1> --authentication-code2 <code2>',
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::IAM::User', (resource) => {
      const user = resource.configuration as Partial<UserItem>
      if (user.LoginProfile === undefined) return pass('no console password')
      const devices = user.MFADevices ?? []
      if (devices.length > 0) return pass(`console password with MFA device ${devices.map((d) => d.SerialNumber).join(', ')}`)
      const since = user.LoginProfile.CreateDate === undefined ? '' : ` (set ${String(user.LoginProfile.CreateDate).slice(0, 10)})`
      const partition = resource.arn.split(':')[1] || 'aws'
      const name = resource.id
      return fail(
        `user ${name} has a console password${since} and no MFA device`,
        // The two codes are read from the device once its QR code is scanned: they cannot be filled in here.
        `aws iam create-virtual-mfa-device --virtual-mfa-device-name ${name} --outfile ${name}-mfa.png --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name ${name} --serial-number arn:${partition}:iam::${resource.accountId}:mfa/${name} --authentication-code1 <code1> --authentication-code2 <code2>`,
      )
    })
  },
}
