import { App, Testing } from 'cdk8s';
import { assertValidObjects } from './schema';

/**
 * Every object a test synthesizes goes through the strict schema check: `Testing.synth()` and `App.synthYaml()` are
 * wrapped so that a schema violation fails the test that synthesized it. Tests of the harness itself call
 * `validateObjects()` directly.
 */
const originalSynth = Testing.synth.bind(Testing);
(Testing as any).synth = (chart: any) => {
  const objs = originalSynth(chart);
  assertValidObjects(objs);
  return objs;
};

const originalSynthYaml = App.prototype.synthYaml;
App.prototype.synthYaml = function synthYaml(this: App): string {
  const yaml = originalSynthYaml.call(this);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const docs = require('yaml').parseAllDocuments(yaml).map((d: any) => d.toJSON()).filter(Boolean);
  assertValidObjects(docs);
  return yaml;
};

// Every expected rejection is a ValidationError in the one shape.
import './error-shape';
// Every synthesized object is also recorded for the conformance harness (Argo's own validation in the global teardown).
import './conformance-collector';
