#!/usr/bin/env bash
# The Python package, checked the way a Python user gets it:
#  1. builds the wheel with jsii-pacmak (`npx projen package:python`) from the compiled library;
#  2. pip-installs it into a fresh venv with cdk8s, cdk8s-plus-28 and constructs from PyPI, at the versions npm
#     installed here (and the jsii runtime matching jsii-pacmak);
#  3. runs test/python/readme_example.py and its TypeScript twin test/python/readme_example.ts (against the same
#     compiled lib/), each in its own empty directory, and compares the GitOps tree they write (every file under
#     dist/gitops: YAML, kustomization.yaml files, ROLLOUT-PLAN.md) byte for byte, and the release plan they print;
#  4. runs the bad props of test/python/bad_props.{ts,py}: each Python exception must carry the TypeScript message;
#  5. checks that the README's Python section shows readme_example.py as it is, that readme_example.ts is the README's
#     TypeScript usage block as it is (with the package import), and that its TypeScript → Python name table matches
#     the Python module.
# To swap the example: replace the README's usage block, readme_example.ts and readme_example.py (both write into the
# directory they run in: the stack's outdir is the relative 'dist/gitops', as in the README).
# Needs python3 (≥ 3.10, with venv) and PyPI; PYTHON=... picks another interpreter.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
python=${PYTHON:-python3}
start=$SECONDS
log() { echo "python-check: $*"; }
fail() { echo "python-check: FAILED: $*" >&2; exit 1; }

work=$(mktemp -d)
venv_pid=""
trap 'if [ -n "$venv_pid" ]; then kill "$venv_pid" 2>/dev/null || true; wait "$venv_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

# --- 0. the compiled library ---------------------------------------------------------------------------------------
# jsii-pacmak packages the compiled assembly (.jsii + lib/): compile first when it is missing, stale or was compiled
# before the Python target existed.
if [ ! -f .jsii ] || ! node -e 'process.exit(JSON.parse(require("fs").readFileSync(".jsii", "utf8")).targets?.python ? 0 : 1)' \
  || [ -n "$(find src imports -name '*.ts' -newer .jsii -print -quit)" ]; then
  log "compiled library missing or older than src/: npx projen compile"
  npx projen compile >/dev/null
fi

# --- 1 and 2, side by side: the wheel, and a fresh venv with the cdk8s packages ------------------------------------
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "python-check needs Python >= 3.10, found " + sys.version)'
v() { node -p "require('./node_modules/$1/package.json').version"; }
# The versions npm installed here, and the jsii runtime of the jsii-pacmak that builds the wheel.
pins="cdk8s==$(v cdk8s) cdk8s-plus-28==$(v cdk8s-plus-28) constructs==$(v constructs) jsii==$(v jsii-pacmak)"
py="$work/venv/bin/python"
t=$SECONDS
(
  "$python" -m venv "$work/venv"
  # shellcheck disable=SC2086
  "$py" -m pip install --quiet $pins
  echo $((SECONDS - t)) >"$work/venv.seconds"
) >"$work/venv.log" 2>&1 &
venv_pid=$!
rm -rf dist/python
npx projen package:python >"$work/pacmak.log" 2>&1 || { cat "$work/pacmak.log" >&2; fail "npx projen package:python"; }
wheel=$(ls dist/python/*.whl)
wheel_s=$((SECONDS - t))
log "wheel built: ${wheel#"$root"/} ($(du -k "$wheel" | cut -f1) KiB) in ${wheel_s}s"
wait "$venv_pid" || { venv_pid=""; cat "$work/venv.log" >&2; fail "creating the venv and installing $pins"; }
venv_pid=""
venv_s=$(cat "$work/venv.seconds")
log "venv ready in ${venv_s}s (while the wheel was built): $(echo "$pins" | tr ' ' '\n' | paste -sd, - | sed 's/,/, /g')"
# The wheel's Requires-Dist beyond the pins: jsii lists every npm peer, the optional ones of the terraform/ subpath
# (cdktf, @cdktf/provider-kubernetes) included, so pip installs them too. Say what and how long.
t_wheel=$SECONDS
before=$("$py" -m pip freeze | sort)
"$py" -m pip install --quiet "$wheel"
extra=$(comm -13 <(echo "$before") <("$py" -m pip freeze | sort) | grep -v '^cdk8s-progressive-delivery\b' | paste -sd, - | sed 's/,/, /g')
log "wheel installed in $((SECONDS - t_wheel))s; its requirements beyond the pins: ${extra:-none}"
parallel_s=$((SECONDS - t))

# --- 3. the example: Python vs TypeScript ---------------------------------------------------------------------------
t=$SECONDS
# Runs a test/python/*.ts file against the compiled lib/ (the code the wheel bundles): transpiled, not type-checked
# (tsc checks it with the tests).
run_ts() {
  node - "$root" "$1" <<'JS'
const fs = require('fs');
const path = require('path');
const Module = require('module');
const [root, file] = process.argv.slice(2).map(p => path.resolve(p));
const ts = require(path.join(root, 'node_modules', 'typescript'));
const source = fs.readFileSync(file, 'utf8').replace(/from '\.\.\/\.\.\/src'/g, `from ${JSON.stringify(path.join(root, 'lib/src/index.js'))}`);
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
const m = new Module(file, undefined);
m.filename = file;
m.paths = Module._nodeModulePaths(path.dirname(file));
m._compile(js, file);
JS
}
mkdir -p "$work/ts" "$work/py"
(cd "$work/ts" && run_ts "$root/test/python/readme_example.ts" >"$work/ts.stdout")
(cd "$work/py" && "$py" "$root/test/python/readme_example.py" >"$work/py.stdout")
tree="dist/gitops"
files=$(cd "$work/ts" && find . -type f | sed 's|^\./||' | sort)
[ -n "$files" ] || fail "the TypeScript example wrote nothing"
outside=$(echo "$files" | grep -v "^$tree/" || true)
[ -z "$outside" ] || fail "the TypeScript example wrote outside $tree: $(echo "$outside" | head -3 | paste -sd' ' -)"
[ -f "$work/ts/$tree/ROLLOUT-PLAN.md" ] || fail "the TypeScript example wrote no $tree/ROLLOUT-PLAN.md"
diff -r "$work/ts" "$work/py" >&2 || fail "the Python example's GitOps tree differs from the TypeScript one (diff above: < TypeScript, > Python)"
diff "$work/ts.stdout" "$work/py.stdout" >&2 || fail "the Python example printed something else than the TypeScript one (diff above)"
# what both print is the plan they wrote
diff <(cat "$work/ts/$tree/ROLLOUT-PLAN.md"; echo) "$work/ts.stdout" >&2 || fail "the printed plan is not $tree/ROLLOUT-PLAN.md"
manifests=$(echo "$files" | grep '\.yaml$' | grep -v 'kustomization\.yaml$')
# shellcheck disable=SC2086 # the file lists are newline-separated paths without spaces
bytes=$(cd "$work/ts" && cat $files | wc -c)
# shellcheck disable=SC2086
objects=$(cd "$work/ts" && cat $manifests | grep -c '^kind:')
log "example GitOps tree identical: $(echo "$files" | wc -l) files under $tree ($(echo "$files" | grep -c 'kustomization\.yaml$') kustomization.yaml, $objects objects in $(echo "$manifests" | wc -l) manifests, ROLLOUT-PLAN.md; $bytes bytes): $(echo "$files" | sed "s|^$tree/||" | cut -d/ -f1 | sort -u | paste -sd, - | sed 's/,/, /g')"
log "printed release plan identical and equal to ROLLOUT-PLAN.md ($(wc -l <"$work/ts.stdout") lines)"

# --- 4. bad props ---------------------------------------------------------------------------------------------------
(cd "$work" && run_ts "$root/test/python/bad_props.ts" >"$work/bad.json")
(cd "$work" && "$py" "$root/test/python/bad_props.py" "$work/bad.json") | sed 's/^bad-prop/python-check: bad-prop/'
checks_s=$((SECONDS - t))

# --- 5. README ------------------------------------------------------------------------------------------------------
"$py" - "$root" <<'PY'
import pathlib, re, sys
import cdk8s_progressive_delivery as lib
root = pathlib.Path(sys.argv[1])
readme = (root / "README.md").read_text(encoding="utf-8")
section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
example = (root / "test/python/readme_example.py").read_text(encoding="utf-8")
if "```python\n" + example + "```" not in section:
    sys.exit("python-check: FAILED: README's Python example is not test/python/readme_example.py as it is")
ts = re.search(r"```ts\n(.*?)```", readme, re.S).group(1)
ts_file = (root / "test/python/readme_example.ts").read_text(encoding="utf-8").replace("from '../../src'", "from 'cdk8s-progressive-delivery'")
if ts != ts_file:
    sys.exit("python-check: FAILED: README's usage example is not test/python/readme_example.ts (with the package import)")
rows = re.findall(r"^\| `(\w+)\.(\w+)\(.*?\)` \| `(\w+)\.(\w+)\(.*?\)` \|$", section, re.M)
if not rows:
    sys.exit("python-check: FAILED: no TypeScript → Python name table in README's Python section")
for ts_cls, ts_name, py_cls, py_name in rows:
    snake = re.sub(r"(?<!^)([A-Z])", r"_\1", ts_name).lower()
    if not callable(getattr(getattr(lib, py_cls), py_name, None)):
        sys.exit(f"python-check: FAILED: README says {ts_cls}.{ts_name} is {py_cls}.{py_name} in Python, which does not exist")
    if hasattr(getattr(lib, ts_cls), snake):
        sys.exit(f"python-check: FAILED: README calls {ts_cls}.{ts_name} TypeScript-only, but Python has {ts_cls}.{snake}")
print(f"python-check: README Python section checked: example as tested, {len(rows)} TypeScript-only names mapped")
PY

log "time taken: $((SECONDS - start))s (wheel ${wheel_s}s and venv + pip ${venv_s}s side by side: ${parallel_s}s; example + bad props ${checks_s}s)"
