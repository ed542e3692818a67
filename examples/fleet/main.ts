import { buildApp, describePlan } from './app';

const built = buildApp();
built.app.synth();
console.log(`synthesized ${built.app.charts.length} charts into ${built.app.outdir}/\n`);
console.log(describePlan(built));
