import { buildApp, describeFleet } from './app';

const app = buildApp();
app.synth();
console.log(`synthesized ${app.charts.length} chart(s) into ${app.outdir}`);
console.log(describeFleet());
