#!/usr/bin/env python3
"""Stellar mass that the line of sight adds to the star images (docs/results.md).

Compares two datasets made from the same catalogue and seeds, one with line-of-sight
structure and one without (`reproduce --no-los`): the noise and the cluster's own
particles are identical, so the difference of the two star images is the line of
sight's stellar mass in the field. Prints its mean per Mpc^2 at the cluster's distance
and, per mass bin, the ratio to the cluster's own stellar mass in the same field.

    /usr/bin/python3 scripts/los_stellar_mass.py --los out/q18/data --no-los out/nolos/data

Needs numpy only. Star images are surface densities [Msun / Mpc^2], so a pixel's mass
is its value times the pixel's physical area: (R200 [Mpc] / R200 [arcmin]) x the pixel's
side in arcmin, from the manifest's `pixelArcsec`.
"""
import argparse
import csv
import json
import os
import sys

import numpy as np

BINS = [(13.25, 13.75), (13.75, 14.25), (14.25, 14.5), (14.5, 15.5)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--los", required=True, help="dataset with line-of-sight structure")
    ap.add_argument("--no-los", required=True, help="the same dataset made with --no-los")
    ap.add_argument("--every", type=int, default=7, help="use every N-th image (default 7)")
    a = ap.parse_args()
    for d in (a.los, a.no_los):
        for f in ("manifest.json", "catalog.csv", "images_star.npy"):
            if not os.path.exists(os.path.join(d, f)):
                print(f"los_stellar_mass: {os.path.join(d, f)} is missing; give two dataset folders", file=sys.stderr)
                return 2
    man = json.load(open(os.path.join(a.los, "manifest.json")))
    man_b = json.load(open(os.path.join(a.no_los, "manifest.json")))
    if not man.get("los") or man_b.get("los"):
        print("los_stellar_mass: --los needs a dataset made with line-of-sight structure and --no-los one made "
              "without it (manifest.json \"los\")", file=sys.stderr)
        return 2
    cat = list(csv.DictReader(open(os.path.join(a.los, "catalog.csv"))))
    cat_b = list(csv.DictReader(open(os.path.join(a.no_los, "catalog.csv"))))
    if [r["m200_msun"] for r in cat] != [r["m200_msun"] for r in cat_b]:
        print("los_stellar_mass: the two catalogues differ; make both from the same seed and profile", file=sys.stderr)
        return 2
    img_a = np.load(os.path.join(a.los, "images_star.npy"), mmap_mode="r")
    img_b = np.load(os.path.join(a.no_los, "images_star.npy"), mmap_mode="r")
    pix_arcmin = man["pixelArcsec"] / 60
    mpc_per_pix = np.array([float(r["r200_mpc"]) / float(r["r200_arcmin"]) * pix_arcmin for r in cat])
    m200 = np.array([float(r["m200_msun"]) for r in cat])
    idx = np.arange(0, len(cat), a.every)
    added, own = [], []
    for i in idx:
        A = np.asarray(img_a[i], dtype=np.float64)
        B = np.asarray(img_b[i], dtype=np.float64)
        added.append((A - B).sum() * mpc_per_pix[i] ** 2)
        own.append(B.sum() * mpc_per_pix[i] ** 2)
    added, own = np.array(added), np.array(own)
    area = (man["npix"] * mpc_per_pix[idx]) ** 2
    print(f"{len(idx)} images; line-of-sight stellar mass per field: mean {added.mean():.3g} Msun, "
          f"median {np.median(added):.3g}, 90th percentile {np.percentile(added, 90):.3g}")
    print(f"per Mpc^2 of field at the cluster: mean {(added / area).mean():.3g} Msun")
    print("log10 M200 bin   n    added / own stellar mass in the field: median  mean  84th pct")
    for lo, hi in BINS:
        s = (np.log10(m200[idx]) > lo) & (np.log10(m200[idx]) < hi)
        if not s.any():
            continue
        r = added[s] / own[s]
        print(f"{lo:5.2f}-{hi:5.2f}  {s.sum():5d}   {np.median(r):.3f}  {r.mean():.3f}  {np.percentile(r, 84):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
