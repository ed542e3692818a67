// Run by package-smoke.sh inside a scratch project where only the packed library and its peers are installed.
const assert = require('assert');
const { App, Chart } = require('cdk8s');
const lib = require('cdk8s-progressive-delivery');

assert.ok(typeof lib.Fleet === 'function', 'Fleet is exported');
const fleet = new lib.Fleet({ clusters: [{ name: 'seoul-1', server: 'https://seoul-1.example.com' }] });
assert.deepStrictEqual(fleet.clusters.map(c => c.name), ['seoul-1']);
// the bundled PromQL grammar loads from the package
const { analyzePromQL } = require('cdk8s-progressive-delivery/lib/src/core/promql');
assert.deepStrictEqual(analyzePromQL('rate(http_requests_total[5m])').errors, []);
const app = new App({ outdir: require('os').tmpdir() });
new Chart(app, 'smoke');
app.synthYaml();
console.log(`package smoke test passed: ${Object.keys(lib).length} exports (${Object.keys(lib).join(', ')})`);
