import * as YAML from 'yaml';
import { buildApp, describeFleet } from '../examples/fleet/app';

test('the example fleet app synthesizes valid objects', () => {
  // synthYaml is wrapped by the harness: every object is schema-checked
  const docs = YAML.parseAllDocuments(buildApp('/tmp/unused').synthYaml()).map(d => d.toJSON());
  expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual([expect.stringMatching(/^Deployment\/my-service-web-/)]);
  expect(describeFleet().split('\n')).toHaveLength(3);
});
