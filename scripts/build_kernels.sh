#!/usr/bin/env bash
# Build lib/backend/kernels/conv.wasm from conv.c (hand-written WASM SIMD
# convolution kernels for the tfjs WASM backend) and record the source's
# and the binary's SHA-256 in conv.wasm.sha256, which a test checks, so the
# committed binary cannot drift from its source. KERNELS_OUT=dir writes the
# .wasm there instead and records nothing (the test that rebuilds uses it). Needs clang >= 16 and wasm-ld (Debian:
# apt-get install -y clang-16 lld-16). Users and CI need neither: the built
# .wasm is committed.
set -euo pipefail
cd "$(dirname "$0")/../lib/backend/kernels"
CLANG=${CLANG:-}
if [ -z "$CLANG" ]; then
  for c in clang-16 /usr/lib/llvm-16/bin/clang clang-17 clang-18 clang-19 clang; do
    if command -v "$c" >/dev/null 2>&1; then CLANG=$c; break; fi
  done
fi
[ -n "$CLANG" ] || { echo "build_kernels.sh: no clang found (apt-get install -y clang-16 lld-16)" >&2; exit 1; }
# wasm-ld of the same LLVM: put its folder first on PATH.
PATH="$(dirname "$(command -v "$CLANG")"):/usr/lib/llvm-16/bin:$PATH"
# --import-memory: the kernels work on the tfjs module's memory. No libc, no
# static data (a data segment would be written into the tfjs heap); the shadow
# stack pointer is exported so the loader can point it at a block it owns.
"$CLANG" --target=wasm32 -O3 -msimd128 -mrelaxed-simd -nostdlib -ffreestanding \
  -fno-builtin -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--import-memory -Wl,--export=__stack_pointer \
  -Wl,--export=conv2d_forward -Wl,--export=conv2d_backprop_input \
  -Wl,--export=conv2d_backprop_filter -Wl,--export=avg_pool_grad_tiled \
  -Wl,--export=sum_rows -Wl,--export=matmul_nn -Wl,--export=matmul_nt -Wl,--strip-all \
  -o "${KERNELS_OUT:-.}/conv.wasm" conv.c
if [ -z "${KERNELS_OUT:-}" ]; then
  echo "$(sha256sum conv.c | cut -d' ' -f1) $(sha256sum conv.wasm | cut -d' ' -f1)" > conv.wasm.sha256
  echo "built $(pwd)/conv.wasm ($(wc -c < conv.wasm) bytes) with $("$CLANG" --version | head -1)"
fi
