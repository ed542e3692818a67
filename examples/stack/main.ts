import { buildStack } from './app';

const stack = buildStack(process.env.CDK8S_OUTDIR ?? 'dist/gitops');
stack.synth();
console.log(`synthesized the GitOps tree of ${stack.serviceName} into ${stack.outdir}/\n`);
console.log(stack.releasePlan());
