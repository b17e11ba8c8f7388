#!/usr/bin/env bash
# What `deno task bench` needs beyond the toolkit: Debian's PyTorch (the
# reference network) and Mesa's Vulkan drivers (WebGPU on the lavapipe
# software adapter when there is no GPU). Run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
/usr/bin/python3 -c "import torch" 2>/dev/null || need+=(python3-torch)
dpkg -s mesa-vulkan-drivers >/dev/null 2>&1 || need+=(mesa-vulkan-drivers)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
echo "bench dependencies present: python3-torch, mesa-vulkan-drivers"
