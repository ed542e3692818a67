#!/usr/bin/env bash
# The README's "Use it in your app", run as written: a new cdk8s app installs the packed library (dist/js/*.jsii.tgz)
# with its peers, TypeScript ~6.0, ts-node 10 and cdk8s-cli, takes tsconfig.json, cdk8s.yaml and main.ts (the Usage
# example) from the README, type-checks main.ts against the package's declarations and runs `cdk8s synth`, which must
# write the GitOps tree and ROLLOUT-PLAN.md. Needs the npm registry.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tgz=$(ls "$root"/dist/js/cdk8s-progressive-delivery@*.jsii.tgz | head -1)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
npm init -y >/dev/null
# the README's files: the Usage example is the app, tsconfig.json and cdk8s.yaml are the blocks after their names
node - "$root/README.md" <<'JS'
const fs = require('fs');
const readme = fs.readFileSync(process.argv[2], 'utf8');
const block = (lang, after) => {
  const from = after ? readme.indexOf(after) : 0;
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(from));
  if (!m) throw new Error(`README: no ${lang} block${after ? ` after ${after}` : ''}`);
  return m[1];
};
fs.writeFileSync('main.ts', block('ts'));
fs.writeFileSync('tsconfig.json', block('json', '`tsconfig.json`:'));
fs.writeFileSync('cdk8s.yaml', block('yaml', '`cdk8s.yaml` ('));
const install = block('sh', '### Use it in your app').split('\n').filter(l => l.startsWith('npm install'));
fs.writeFileSync('install.sh', install.join('\n') + '\n');
JS
# the README's install lines, with the packed tarball instead of the registry's release
sed -i "s#npm install cdk8s-progressive-delivery #npm install $tgz #" install.sh
sed -i 's#^npm install#npm install --no-audit --no-fund --loglevel=error#' install.sh
bash install.sh >/dev/null
echo "consumer app: typescript $(node -p 'require("typescript/package.json").version'), ts-node $(node -p 'require("ts-node/package.json").version')"
npx tsc --noEmit -p tsconfig.json
npx cdk8s synth --no-check-upgrade >/dev/null
for f in ROLLOUT-PLAN.md applicationsets/kustomization.yaml platform/my-service/kustomization.yaml k8s/base/kustomization.yaml \
  k8s/overlays/canary/seoul-1/kustomization.yaml k8s/overlays/production/seoul-2/kustomization.yaml; do
  [ -s "dist/gitops/$f" ] || { echo "cdk8s synth did not write dist/gitops/$f" >&2; exit 1; }
done
echo "consumer app: cdk8s synth wrote $(find dist/gitops -type f | wc -l) files; $(grep -m1 'Total' dist/gitops/ROLLOUT-PLAN.md)"
