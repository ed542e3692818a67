#!/usr/bin/env bash
# Installs the packed library (dist/js/*.tgz) into a scratch project with only its peer dependencies, the way a user
# installs it from npm, and checks that it loads and synthesizes without any of this repo's dev dependencies.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tgz=$(ls "$root"/dist/js/cdk8s-progressive-delivery@*.jsii.tgz | head -1)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
npm init -y >/dev/null
# required peers only: a user without the optional ones (cdktf, @cdktf/provider-kubernetes) must be able to load the library
peers=$(node -e 'const p=require(process.argv[1]); const opt=p.peerDependenciesMeta||{}; console.log(Object.entries(p.peerDependencies).filter(([k])=>!(opt[k]&&opt[k].optional)).map(([k,v])=>k+"@"+v).join(" "))' "$root/package.json")
optional_peers=$(node -e 'const p=require(process.argv[1]); const opt=p.peerDependenciesMeta||{}; console.log(Object.entries(p.peerDependencies).filter(([k])=>opt[k]&&opt[k].optional).map(([k,v])=>k+"@"+v).join(" "))' "$root/package.json")
npm install --no-audit --no-fund --loglevel=error "$tgz" $peers >/dev/null
if tar tzf "$tgz" | grep -E '^package/(\.cache|imports/.*\.ts$|test/|src/|crds/)' ; then
  echo "package contains files it should not (listed above)" >&2
  exit 1
fi
cp "$root/scripts/package-smoke.js" ./smoke.js
node ./smoke.js
# cdk8s-progressive-delivery/terraform: without its optional peers it names them; with them it synthesizes
cp "$root/scripts/package-smoke-terraform.js" ./smoke-terraform.js
node ./smoke-terraform.js missing
npm install --no-audit --no-fund --loglevel=error $optional_peers >/dev/null
node ./smoke-terraform.js installed
bash "$root/scripts/package-smoke-app.sh"
