#!/usr/bin/env python3
"""Training throughput of the paper's CNNs in PyTorch (CPU).

The same networks as lib/model (Yan et al. 2020, Sec. 2.4). Single channel
(--network single): 3x3 conv 16/32/64 with "same" padding and ReLU, each
followed by 2x2 stride-2 average pooling, flatten, dense 200-100-100-20 with
ReLU and 20% dropout between them, one linear output. Multichannel
(--network multi): four such convolution towers, one per tracer image, their
flattened features concatenated, dense 200-200-100-100-20 (dropout between)
and one linear output. RMSprop (lr 0.01, rho 0.9 as in Keras), batch 50, MSE
on the target log10(M/Msun) - 14. Inputs are random (throughput only).

Prints one JSON line: {"images_per_s": ..., "images_per_cpu_s": ..., ...}, where
images_per_cpu_s divides by the process's CPU time (all threads), a measure
that a busy machine disturbs less than wall-clock time.
Used by lib/train/backends_bench.ts; run directly with
    python3 scripts/bench_torch.py --batches 5 --threads 2
"""

import argparse
import json
import sys
import time


def tower():
    import torch.nn as nn

    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2, 2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2, 2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2, 2),
        nn.Flatten(),
    )


def head(features: int, units, dropout: float):
    import torch.nn as nn

    layers = []
    for i, n in enumerate(units):
        if i > 0:
            layers.append(nn.Dropout(dropout))
        layers += [nn.Linear(features, n), nn.ReLU()]
        features = n
    layers.append(nn.Linear(features, 1))
    return nn.Sequential(*layers)


def build(size: int, dropout: float, network: str):
    import torch
    import torch.nn as nn

    feat = (size // 8) * (size // 8) * 64
    if network == "single":
        return nn.Sequential(tower(), head(feat, [200, 100, 100, 20], dropout))

    class Multi(nn.Module):
        def __init__(self):
            super().__init__()
            self.towers = nn.ModuleList([tower() for _ in range(4)])
            self.head = head(4 * feat, [200, 200, 100, 100, 20], dropout)

        def forward(self, xs):
            return self.head(torch.cat([t(x) for t, x in zip(self.towers, xs)], dim=1))

    return Multi()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batches", type=int, default=5, help="timed batches (default 5)")
    p.add_argument("--warmup", type=int, default=2, help="untimed batches first (default 2)")
    p.add_argument("--batch-size", type=int, default=50)
    p.add_argument("--size", type=int, default=120, help="image side in pixels")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--network", choices=["single", "multi"], default="single",
                   help="single-channel CNN or the four-tower multichannel CNN")
    a = p.parse_args()
    if a.batches < 1 or a.batch_size < 1 or a.size < 8 or a.threads < 1:
        print("bench_torch.py: --batches, --batch-size, --threads must be >= 1 and --size >= 8",
              file=sys.stderr)
        return 2
    import torch

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = build(a.size, 0.2, a.network)
    model.train()
    opt = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.MSELoss()
    x = torch.randn(a.batch_size, 1, a.size, a.size)
    if a.network == "multi":
        x = [torch.randn(a.batch_size, 1, a.size, a.size) for _ in range(4)]
    y = torch.randn(a.batch_size, 1) * 0.3

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return float(loss)

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(a.batches):
        step()
    dt = time.perf_counter() - t0
    dc = time.process_time() - c0
    print(json.dumps({
        "images_per_s": a.batches * a.batch_size / dt,
        "images_per_cpu_s": a.batches * a.batch_size / dc,
        "seconds_per_batch": dt / a.batches,
        "batches": a.batches,
        "batch_size": a.batch_size,
        "threads": torch.get_num_threads(),
        "network": a.network,
        "torch": torch.__version__,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
