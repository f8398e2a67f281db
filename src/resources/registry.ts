import type {ResourceSpec} from './types.js'
import {vpc} from './ec2/vpc.js'

/** Every resource type awsinv knows, listed explicitly. */
export const specs: readonly ResourceSpec[] = [
  vpc,
] as ResourceSpec[]
