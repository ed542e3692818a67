/**
 * Loaded first by `cdk8s-progressive-delivery/terraform`: fails with the install command when the optional peer
 * dependencies are missing, instead of Node's bare "Cannot find module 'cdktf'".
 */
const PEERS = ['cdktf', '@cdktf/provider-kubernetes'];

const missing = PEERS.filter(p => {
  try {
    require.resolve(p);
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  throw new Error(
    `cdk8s-progressive-delivery/terraform needs the optional peer dependencies ${missing.join(' and ')}, which are not installed. ` +
    'Fix: npm install cdktf@^0.21.0 @cdktf/provider-kubernetes@^12.1.1 (CDK for Terraform is archived upstream; see the README), ' +
    'or register the clusters without it (the README shows plain Terraform).');
}

export {};
