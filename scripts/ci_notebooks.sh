#!/usr/bin/env bash
# Run every notebook in notebooks/ top to bottom on the Deno kernel, headless,
# as CI does. Installs what is missing (Debian's nbclient; the Deno kernelspec
# pointing at the pinned ./bin/deno), then runs scripts/run_notebooks.py.
#
#   scripts/ci_notebooks.sh [--save DIR] [notebooks/NN_name.ipynb ...]
#
# Arguments are passed to run_notebooks.py (e.g. --timeout 600, --save DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
export DENO_NO_UPDATE_CHECK=1

# Debian's python has the apt-installed nbclient; a pyenv/venv python3 first on
# PATH would not see it.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if ! "$py" -c "import nbclient, nbformat, jupyter_client" 2>/dev/null; then
  echo "ci_notebooks: installing python3-nbclient python3-nbformat (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-nbclient python3-nbformat >/dev/null
fi

# The pinned Deno (bin/deno installs it on first use) and the binary it runs.
./bin/deno --version >/dev/null
deno_bin="$(readlink -f .tools/node_modules/.bin/deno)"

# Install the kernelspec, then make sure it runs that binary: `deno jupyter
# --install` writes the path of the deno that ran it, which is what we want,
# but a kernelspec left by another Deno would silently run other code.
./bin/deno jupyter --install --force >/dev/null 2>&1 || ./bin/deno jupyter --install --force
spec_dir="$("$py" -c "from jupyter_client.kernelspec import KernelSpecManager as K; print(K().get_kernel_spec('deno').resource_dir)")"
"$py" - "$spec_dir/kernel.json" "$deno_bin" <<'PY'
import json, os, sys
path, deno = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
if os.path.realpath(spec["argv"][0]) != os.path.realpath(deno):
    print(f"ci_notebooks: kernelspec ran {spec['argv'][0]}; pointing it at {deno}", file=sys.stderr)
    spec["argv"][0] = deno
    json.dump(spec, open(path, "w"), indent=2)
env = spec.setdefault("env", {})
if env.get("DENO_NO_UPDATE_CHECK") != "1":
    env["DENO_NO_UPDATE_CHECK"] = "1"
    json.dump(spec, open(path, "w"), indent=2)
PY

exec "$py" scripts/run_notebooks.py "$@"
