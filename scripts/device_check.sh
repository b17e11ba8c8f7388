#!/usr/bin/env bash
# scripts/device_check.sh: the GPU checks of training, as one prepared run for
# whoever has a machine with a real GPU. Total runtime about 3-8 minutes.
#
#   scripts/device_check.sh            # from anywhere; writes under $OUT or a temp dir
#
# What it does, in order (each step under its own time limit):
#   1. Tools: ./bin/deno (the pinned Deno, installed from the npm registry into
#      .tools/ on first use) and the npm packages of deno.lock (node_modules/).
#      With no network both must already be there; it says so and stops if not.
#      On a bare NVIDIA machine it unpacks Vulkan loader .debs from .gl/ when
#      present (see the device notes) so that Deno's WebGPU finds the driver.
#   2. Adapter: probes WebGPU. No adapter, or a software one (llvmpipe/lavapipe,
#      isFallbackAdapter): it says so and exits with status 3, because GPU
#      timings would mean nothing there. DEVICE_CHECK_ALLOW_SOFTWARE=1 runs the
#      checks anyway on a tiny dataset (very slow: the first WebGPU step alone
#      compiles shaders for minutes on llvmpipe), to test this script; with
#      DEVICE_CHECK_GPU_BACKEND=cpu as well, the "GPU" runs use tfjs' cpu
#      backend, which tests the script's flow here in about 2 minutes.
#   3. Data: a small quick-profile dataset (CLUSTERS, default 200 clusters).
#   4. Agreement: the ypar network on WebGPU and on WASM, same data and seed,
#      one shard per batch, one epoch at lr 1e-7 (weights barely move, so the
#      losses are those of the same weights): train and validation losses must
#      agree to 1e-3 relative. (At the paper's lr the runs separate within
#      epochs: RMSprop turns rounding-level differences in near-zero gradients
#      into full-size updates; step 5 prints those curves side by side.)
#   5. Speed: the paper's settings (`--profile paper`: RMSprop lr 0.01, decay
#      1e-4, batch 50) for EPOCHS (default 3) epochs on WebGPU, and on WASM
#      with one worker per core; images/s of each.
#   6. Paper profile: the full catalogue and its first PAPER_EPOCHS (default 1)
#      epochs of the ypar network on WebGPU, with the time per epoch and what
#      1000 epochs would take.
# Exit status: 0 all ran and agreed; 1 a step failed; 3 no real GPU adapter.
# Outputs: $OUT/device_check.log and $OUT/device_check.json (or under the
# temporary folder it prints when OUT is unset).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1
out="${OUT:-$(mktemp -d /tmp/device_check.XXXXXX)}"
mkdir -p "$out"
work="$(mktemp -d /tmp/device_check_work.XXXXXX)"
log="$out/device_check.log"
clusters="${CLUSTERS:-200}"
epochs="${EPOCHS:-3}"
paper_epochs="${PAPER_EPOCHS:-1}"
deno="$root/bin/deno"
gpu="${DEVICE_CHECK_GPU_BACKEND:-webgpu}"
t_start=$(date +%s)
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d /tmp/xdg.XXXXXX)}"
exec > >(tee -a "$log") 2>&1

say() { echo "device_check: $*"; }
die() {
  say "FAILED: $*"
  say "log: $log"
  exit 1
}
elapsed() { echo $(($(date +%s) - t_start)); }
# run LIMIT_S NAME CMD...: a step under a time limit (and within the whole run's
# TOTAL_S, default 480 s), its output kept in $work/NAME.log.
total_s="${TOTAL_S:-480}"
run() {
  local limit=$1 name=$2 left rc
  shift 2
  left=$((total_s - $(elapsed)))
  [ "$left" -lt "$limit" ] && limit=$left
  [ "$limit" -le 0 ] && die "$name: the run's ${total_s} s (TOTAL_S) are used up"
  say "[$(elapsed) s] $name (limit $limit s): $*"
  timeout "$limit" "$@" >"$work/$name.log" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -20 "$work/$name.log"
    [ "$rc" -eq 124 ] && die "$name ran past its $limit s"
    die "$name (exit status $rc)"
  fi
  grep -E "^train: |^Wrote " "$work/$name.log" | grep -v "\[" || true
}

say "started $(date -u +%FT%TZ) in $root; outputs in $out, scratch in $work"
command -v nvidia-smi >/dev/null &&
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true

# 1. Tools ------------------------------------------------------------------
if ! ldconfig -p 2>/dev/null | grep -q libvulkan && ls .gl/*.deb >/dev/null 2>&1; then
  say "no libvulkan: unpacking the loader packages in .gl/"
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nv_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$nv_icd" ]; then export VK_DRIVER_FILES="$nv_icd"; fi
if ! "$deno" --version >"$work/deno_version.log" 2>&1; then
  cat "$work/deno_version.log"
  die "./bin/deno could not run or install Deno 2.9.6 (it needs the npm registry the first time; \
offline, copy .tools/ from a machine where ./bin/deno ran)"
fi
head -1 "$work/deno_version.log"
if ! timeout 300 "$deno" install >"$work/install.log" 2>&1; then
  tail -5 "$work/install.log"
  die "the npm packages of deno.lock are not installed and could not be fetched \
(offline: copy node_modules/ from a machine where \`./bin/deno install\` ran)"
fi

# 2. Adapter -----------------------------------------------------------------
cat >"$work/probe.ts" <<EOF
import { probeWebGpu } from "$root/lib/backend/mod.ts";
const p = await probeWebGpu();
console.log(JSON.stringify(p ?? null));
EOF
probe=$(timeout 120 "$deno" run -A --config "$root/deno.json" "$work/probe.ts" 2>"$work/probe.log" | tail -1)
say "WebGPU adapter: ${probe:-none}"
tiny=0
if [ -z "$probe" ] || [ "$probe" = "null" ] || echo "$probe" | grep -q '"isFallbackAdapter":true'; then
  if [ "${DEVICE_CHECK_ALLOW_SOFTWARE:-0}" != "1" ]; then
    say "no real GPU adapter here (none, or a software one such as llvmpipe/lavapipe):"
    say "WebGPU timings would be meaningless. Run this on a machine with a GPU and its Vulkan"
    say "driver, or set DEVICE_CHECK_ALLOW_SOFTWARE=1 to run the checks on a tiny dataset anyway."
    echo "{\"adapter\": ${probe:-null}, \"result\": \"no real GPU adapter\"}" >"$out/device_check.json"
    exit 3
  fi
  say "software adapter: DEVICE_CHECK_ALLOW_SOFTWARE=1, running on a tiny dataset with $gpu (slow)"
  tiny=1
  clusters=6
  epochs=1
  paper_epochs=0
fi

# 3. Data --------------------------------------------------------------------
run 120 simulate "$deno" task simulate --profile quick --clusters "$clusters" --seed 3 \
  --out "$work/data"

# 4. Agreement: same weights on both backends ---------------------------------
agree=(--data "$work/data" --tracer ypar --profile paper --epochs 1 --lr 1e-7 --decay 0
  --schedule none --patience 0 --seed 5 --workers 1 --gradient-shards 1 --fresh)
run 240 agree_webgpu "$deno" task train "${agree[@]}" --backend "$gpu" --out "$work/agree_webgpu"
run 240 agree_wasm "$deno" task train "${agree[@]}" --backend wasm --out "$work/agree_wasm"

# 5. Speed at the paper's settings ---------------------------------------------
paper=(--data "$work/data" --tracer ypar --profile paper --epochs "$epochs" --seed 1 --fresh)
run 300 paper_webgpu "$deno" task train "${paper[@]}" --backend "$gpu" --out "$work/paper_webgpu"
run 300 paper_wasm "$deno" task train "${paper[@]}" --backend wasm --out "$work/paper_wasm"

# 6. The paper profile's first epoch(s) on the full catalogue -------------------
if [ "$paper_epochs" -gt 0 ]; then
  run 180 simulate_paper "$deno" task simulate --profile paper --out "$work/paper_data"
  run 300 paper_profile "$deno" task train --data "$work/paper_data" --tracer ypar \
    --profile paper --epochs "$paper_epochs" --backend "$gpu" --fresh --out "$work/paper_profile"
fi

# Summary ----------------------------------------------------------------------
cat >"$work/summary.ts" <<EOF
import { readCsv } from "$root/lib/io/mod.ts";
const w = "$work";
const hist = async (d: string) => await readCsv(\`\${w}/\${d}/history.csv\`);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const [gw, gc] = [await hist("agree_webgpu"), await hist("agree_wasm")];
const agreement = {
  trainLoss: { webgpu: gw[0].loss, wasm: gc[0].loss, rel: rel(gw[0].loss as number, gc[0].loss as number) },
  valLoss: { webgpu: gw[0].val_loss, wasm: gc[0].val_loss, rel: rel(gw[0].val_loss as number, gc[0].val_loss as number) },
};
const ok = agreement.trainLoss.rel < 1e-3 && agreement.valLoss.rel < 1e-3;
const speed = async (d: string) => {
  const h = await hist(d);
  const later = h.length > 1 ? h.slice(1) : h; // epoch 1 includes warm-up and compilation
  return later.reduce((a, r) => a + (r.images_per_s as number), 0) / later.length;
};
const [pw, pc] = [await hist("paper_webgpu"), await hist("paper_wasm")];
console.log("epoch  loss(webgpu)  loss(wasm)  val(webgpu)  val(wasm)   [paper lr 0.01; curves separate, see header]");
for (let i = 0; i < pw.length; i++) {
  console.log([pw[i].epoch, pw[i].loss, pc[i].loss, pw[i].val_loss, pc[i].val_loss]
    .map((x) => Number(x).toPrecision(5).padStart(11)).join(" "));
}
let paperProfile = null;
try {
  const h = await hist("paper_profile");
  const s = h.reduce((a, r) => a + (r.seconds as number), 0) / h.length;
  paperProfile = { epochs: h.length, secondsPerEpoch: s, imagesPerS: await speed("paper_profile"),
    hoursFor1000Epochs: (1000 * s) / 3600, valLoss: h.map((r) => r.val_loss) };
} catch { /* not run */ }
const summary = {
  adapter: $probe,
  gpuBackend: "$gpu",
  softwareAdapter: $tiny === 1,
  clusters: $clusters,
  agreement,
  agreementOk: ok,
  imagesPerS: { webgpu: await speed("paper_webgpu"), wasmAllCores: await speed("paper_wasm"),
    cores: navigator.hardwareConcurrency },
  paperProfile,
};
console.log(JSON.stringify(summary, null, 2));
await Deno.writeTextFile("$out/device_check.json", JSON.stringify(summary, null, 2) + "\n");
if (!ok) {
  console.error("device_check: FAILED: WebGPU and WASM losses differ by more than 1e-3 relative");
  Deno.exit(1);
}
EOF
if ! timeout 120 "$deno" run -A --config "$root/deno.json" "$work/summary.ts"; then
  die "summary or agreement (see above)"
fi
say "done in $(elapsed) s; $out/device_check.json, $log"
