#!/usr/bin/env python3
"""Write tiny Gadget-format HDF5 snapshots and group catalogues (IllustrisTNG
and EAGLE/BAHAMAS layouts) with h5py, an HDF5 writer independent of the
toolkit's reader (h5wasm), plus `expected.json`: for every group and each of
the paper's four projection axes, sums over the particles that the importer's
documented selection rules keep, computed here with numpy:

  - stellar mass [g] (TNG: only PartType4 with GFM_StellarFormationTime > 0),
  - Upsilon [cm^2] = sigma_T k T / (m_e c^2) m / (mu_e m_H), mu_e = 1.14 (paper eq. 1),
  - bolometric X-ray luminosity [erg/s] = n_e n_H Lambda(T) m / rho with
    Lambda from Tozzi & Norman (2001) eq. 7 (Z = 0.3 Zsun), X = 0.752,
    n_e = rho / (mu_e m_p), n_H = X rho / m_H; gas below 1e5 K or with
    StarFormationRate > 0 emits nothing.

Selection rules (lib/import/snapshot_import.ts): positions relative to the
group centre by the minimal periodic image; with line-of-sight structure,
projection k keeps particles with |d . n_k| <= min(50 cMpc, L/2) (physical);
without, particles within 3 r200 of the centre. The fixture places every
particle either within 0.3 physical Mpc of some projection axis of a group
(inside the field at every redshift 0.03-0.07 and azimuth) or farther than
1.3 Mpc from all of them (outside the field), so the image totals equal these
sums exactly.

Usage: make_hdf5_fixtures.py --out DIR [--format tng|eagle|both]
"""
import argparse
import json
import os

import h5py
import numpy as np

MPC_CM = 3.085677581491367e24
MSUN_G = 1.98841e33
K_B_ERG = 1.380649e-16
K_B_KEV = 8.617333262e-8
M_P_G = 1.67262192369e-24
M_H_G = 1.6735575e-24
SIGMA_T = 6.6524587321e-25
ME_C2_KEV = 510.99895
MU_E = 1.14
X_H_XRAY = 0.752
X_H_TNG = 0.76
GAMMA = 5.0 / 3.0

H = 0.7
OMEGA_M = 0.2793
OMEGA_L = 0.7207
OMEGA_B = 0.0463
BOX_MPC_H = 40.0  # comoving Mpc/h
BOX = BOX_MPC_H / H  # physical Mpc at a = 1
A = 1.0
NGROUPS = 20
R_IN = 0.3
R_OUT = 1.3
AXES = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [np.sqrt(0.5), -np.sqrt(0.5), 0]])


def minimal(d):
    return d - BOX * np.round(d / BOX)


def perp_along(d, n):
    along = d @ n
    perp = np.sqrt(np.maximum(np.sum(d * d, axis=1) - along * along, 0))
    return perp, along


def lambda_bol(kt):
    return (8.6e-3 * kt ** -1.7 + 5.8e-2 * np.sqrt(kt) + 6.3e-2) * 1e-22


def make_universe(rng):
    # Group centres: pairwise far from each other's axes; one near a corner (periodic wrap).
    centres = [np.array([0.05, 0.1, BOX - 0.08])]
    while len(centres) < NGROUPS:
        c = rng.uniform(0, BOX, 3)
        ok = True
        for o in centres:
            for n in AXES:
                for (p, q) in ((c, o), (o, c)):
                    perp, _ = perp_along(minimal(p - q)[None, :], n)
                    if perp[0] < R_OUT + R_IN + 0.4:
                        ok = False
        if ok:
            centres.append(c)
    centres = np.array(centres)
    m200 = 10 ** np.linspace(13.0, 14.8, NGROUPS)  # Msun
    r200 = 1.2 * (m200 / 1e14) ** (1 / 3)  # physical Mpc (label only)

    pos, mass, rho, temp, sfr, kind = [], [], [], [], [], []
    # Cluster gas: within R_IN of the centre (3D), hot, some cold, some star-forming.
    for g in range(NGROUPS):
        n = 120
        r = R_IN * rng.uniform(0, 1, n) ** (1 / 3) * 0.95
        u = rng.normal(size=(n, 3))
        u /= np.linalg.norm(u, axis=1)[:, None]
        pos.append(centres[g] + r[:, None] * u)
        mass.append(rng.uniform(0.8e9, 1.2e9, n))
        rho.append(10 ** rng.uniform(13.5, 15.5, n))  # Msun / Mpc^3 physical
        t = 10 ** rng.uniform(6.5, 8, n)
        t[:10] = 10 ** rng.uniform(4, 4.9, 10)  # cold: Y only
        s = np.zeros(n)
        s[10:18] = rng.uniform(0.01, 1, 8)  # star-forming but hot: Y only
        temp.append(t)
        sfr.append(s)
        kind.append(np.zeros(n))
    # Line-of-sight clumps: on a group's projection axis, 4-9 Mpc away (outside 3 r200).
    def far_from_other_axes(point, g_own, k_own, margin):
        for h, c in enumerate(centres):
            d = minimal(point - c)[None, :]
            for j, n in enumerate(AXES):
                if h == g_own and j == k_own:
                    continue
                perp, along = perp_along(d, n)
                if perp[0] < margin and abs(along[0]) <= min(50.0 * A, BOX / 2):
                    return False
        return True

    for g in range(NGROUPS):
        k = g % 4
        n = 30
        while True:
            along = rng.choice([-1, 1]) * rng.uniform(4, 9)
            if far_from_other_axes(centres[g] + along * AXES[k], g, k, R_OUT + 0.3):
                break
        off = rng.normal(size=(n, 3)) * 0.05
        p = centres[g] + along * AXES[k] + off
        pos.append(p)
        mass.append(rng.uniform(0.8e9, 1.2e9, n))
        rho.append(10 ** rng.uniform(12.5, 13.5, n))
        temp.append(10 ** rng.uniform(5.5, 7, n))
        sfr.append(np.zeros(n))
        kind.append(np.ones(n))
    # Background: uniform, rejected within R_OUT of every group's axes.
    bg = []
    while len(bg) < 700:
        p = rng.uniform(0, BOX, 3)
        ok = True
        for c in centres:
            d = minimal(p - c)[None, :]
            for n in AXES:
                perp, _ = perp_along(d, n)
                if perp[0] < R_OUT:
                    ok = False
        if ok:
            bg.append(p)
    bg = np.array(bg)
    pos.append(bg)
    mass.append(rng.uniform(0.8e9, 1.2e9, len(bg)))
    rho.append(10 ** rng.uniform(10, 12, len(bg)))
    temp.append(10 ** rng.uniform(4, 6, len(bg)))
    sfr.append(np.zeros(len(bg)))
    kind.append(2 * np.ones(len(bg)))
    gas = dict(
        pos=np.mod(np.concatenate(pos), BOX),
        mass=np.concatenate(mass),
        rho=np.concatenate(rho),
        temp=np.concatenate(temp),
        sfr=np.concatenate(sfr),
    )
    # Stars: 40 per group within R_IN, the first 5 of each are wind particles (formation time < 0),
    # plus 100 background stars far from every axis.
    spos, smass, sform = [], [], []
    for g in range(NGROUPS):
        n = 40
        r = R_IN * rng.uniform(0, 1, n) ** (1 / 3) * 0.95
        u = rng.normal(size=(n, 3))
        u /= np.linalg.norm(u, axis=1)[:, None]
        spos.append(centres[g] + r[:, None] * u)
        smass.append(10 ** rng.uniform(8, 9.5, n))
        f = rng.uniform(0.1, 0.9, n)
        f[:5] = -rng.uniform(0.1, 0.9, 5)
        sform.append(f)
    sbg = bg[:100] + 0.01
    spos.append(sbg)
    smass.append(10 ** rng.uniform(8, 9, len(sbg)))
    sform.append(rng.uniform(0.1, 0.9, len(sbg)))
    stars = dict(
        pos=np.mod(np.concatenate(spos), BOX),
        mass=np.concatenate(smass),
        form=np.concatenate(sform),
    )
    return centres, m200, r200, gas, stars


def expected(centres, m200, r200, gas, stars, fmt):
    depth = min(50.0 * A, BOX / 2)
    upsilon = SIGMA_T * (K_B_KEV * gas["temp"] / ME_C2_KEV) * gas["mass"] * MSUN_G / (MU_E * M_H_G)
    rho_cgs = gas["rho"] * MSUN_G / MPC_CM ** 3
    m_g = gas["mass"] * MSUN_G
    lbol = (rho_cgs / (MU_E * M_P_G)) * (X_H_XRAY * rho_cgs / M_H_G) * (m_g / rho_cgs) * lambda_bol(
        K_B_KEV * gas["temp"]
    )
    lbol[(gas["temp"] < 1e5) | (gas["sfr"] > 0)] = 0
    is_star = stars["form"] > 0 if fmt == "tng" else np.ones(len(stars["form"]), bool)
    out = []
    # The construction's promise, checked: no particle in the slab lies between R_IN and R_OUT
    # of any group's projection axis (it would be in the field at some redshifts only).
    for g in range(NGROUPS):
        for n in AXES:
            for pos in (gas["pos"], stars["pos"]):
                perp, along = perp_along(minimal(pos - centres[g]), n)
                bad = (np.abs(along) <= depth) & (perp > R_IN) & (perp < R_OUT)
                if np.any(bad):
                    raise SystemExit(f"fixture broken: {int(np.sum(bad))} particles near group {g}")
    for g in range(NGROUPS):
        dg = minimal(gas["pos"] - centres[g])
        ds = minimal(stars["pos"] - centres[g])
        rec = {"m200_g": float(m200[g] * MSUN_G), "los": [], "nolos": []}
        for n in AXES:
            pg, ag = perp_along(dg, n)
            ps, as_ = perp_along(ds, n)
            for mode in ("los", "nolos"):
                if mode == "los":
                    kg = (np.abs(ag) <= depth) & (pg <= R_IN)
                    ks = (np.abs(as_) <= depth) & (ps <= R_IN) & is_star
                else:
                    kg = (np.linalg.norm(dg, axis=1) <= 3 * r200[g]) & (pg <= R_IN)
                    ks = (np.linalg.norm(ds, axis=1) <= 3 * r200[g]) & (ps <= R_IN) & is_star
                rec[mode].append({
                    "star_mass_g": float(np.sum(stars["mass"][ks]) * MSUN_G),
                    "upsilon_cm2": float(np.sum(upsilon[kg])),
                    "lbol_erg_s": float(np.sum(lbol[kg])),
                    "n_gas": int(np.sum(kg)),
                })
        out.append(rec)
    return out


def write_tng(out, centres, m200, r200, gas, stars):
    os.makedirs(out, exist_ok=True)
    n = len(gas["mass"])
    ns = len(stars["mass"])
    split_g = [0, n // 2, n]
    split_s = [0, ns // 2, ns]
    xe = np.random.default_rng(5).uniform(1.0, 1.2, n)
    mu = 4.0 / (1 + 3 * X_H_TNG + 4 * X_H_TNG * xe)  # in units of m_p
    u_cgs = gas["temp"] * K_B_ERG / ((GAMMA - 1) * mu * M_P_G)
    for i in range(2):
        a, b = split_g[i], split_g[i + 1]
        c, d = split_s[i], split_s[i + 1]
        with h5py.File(os.path.join(out, f"snap_099.{i}.hdf5"), "w") as f:
            hd = f.create_group("Header")
            hd.attrs["BoxSize"] = BOX_MPC_H * 1000.0
            hd.attrs["HubbleParam"] = H
            hd.attrs["Omega0"] = OMEGA_M
            hd.attrs["OmegaLambda"] = OMEGA_L
            hd.attrs["OmegaBaryon"] = OMEGA_B
            hd.attrs["Redshift"] = 1 / A - 1
            hd.attrs["Time"] = A
            hd.attrs["NumFilesPerSnapshot"] = 2
            hd.attrs["NumPart_ThisFile"] = np.array([b - a, 0, 0, 0, d - c, 0], "i4")
            hd.attrs["NumPart_Total"] = np.array([n, 0, 0, 0, ns, 0], "u4")
            p0 = f.create_group("PartType0")
            p0["Coordinates"] = (gas["pos"][a:b] * H / A * 1000.0).astype("f8")
            p0["Masses"] = (gas["mass"][a:b] * H / 1e10).astype("f4")
            p0["Density"] = (gas["rho"][a:b] / (1e10 * H ** 2 * 1e9 / A ** 3)).astype("f4")
            p0["InternalEnergy"] = (u_cgs[a:b] / 1e10).astype("f4")
            p0["ElectronAbundance"] = xe[a:b].astype("f4")
            p0["StarFormationRate"] = gas["sfr"][a:b].astype("f4")
            p4 = f.create_group("PartType4")
            p4["Coordinates"] = (stars["pos"][c:d] * H / A * 1000.0).astype("f8")
            p4["Masses"] = (stars["mass"][c:d] * H / 1e10).astype("f4")
            p4["GFM_StellarFormationTime"] = stars["form"][c:d].astype("f4")
    gsplit = [0, 3, NGROUPS]
    for i in range(2):
        a, b = gsplit[i], gsplit[i + 1]
        with h5py.File(os.path.join(out, f"fof_subhalo_tab_099.{i}.hdf5"), "w") as f:
            hd = f.create_group("Header")
            hd.attrs["Ngroups_ThisFile"] = b - a
            hd.attrs["Ngroups_Total"] = NGROUPS
            hd.attrs["NumFiles"] = 2
            hd.attrs["Redshift"] = 1 / A - 1
            hd.attrs["Time"] = A
            hd.attrs["HubbleParam"] = H
            gr = f.create_group("Group")
            gr["GroupPos"] = (centres[a:b] * H / A * 1000.0).astype("f4")
            gr["Group_M_Crit200"] = (m200[a:b] * H / 1e10).astype("f4")
            gr["Group_R_Crit200"] = (r200[a:b] * H / A * 1000.0).astype("f4")


def eagle_ds(group, name, data, cgs, hexp, aexp):
    d = group.create_dataset(name, data=data)
    d.attrs["CGSConversionFactor"] = cgs
    d.attrs["h-scale-exponent"] = float(hexp)
    d.attrs["aexp-scale-exponent"] = float(aexp)
    return d


def write_eagle(out, centres, m200, r200, gas, stars):
    os.makedirs(out, exist_ok=True)
    n = len(gas["mass"])
    ns = len(stars["mass"])
    split_g = [0, n // 2, n]
    split_s = [0, ns // 2, ns]
    cm = 3.085678e24  # EAGLE's Mpc in cm, as its files state
    mg = 1.989e43  # EAGLE's 1e10 Msun in g
    rho_cgs = 6.769911178294543e-31  # EAGLE's 1e10 Msun / Mpc^3 in g cm^-3
    def raw_pos(p):
        return p * MPC_CM / (cm * H ** -1 * A)
    def raw_mass(m):
        return m * MSUN_G / (mg * H ** -1)
    for i in range(2):
        a, b = split_g[i], split_g[i + 1]
        c, d = split_s[i], split_s[i + 1]
        with h5py.File(os.path.join(out, f"snap_028_z000p000.{i}.hdf5"), "w") as f:
            hd = f.create_group("Header")
            hd.attrs["BoxSize"] = BOX_MPC_H
            hd.attrs["HubbleParam"] = H
            hd.attrs["Omega0"] = OMEGA_M
            hd.attrs["OmegaLambda"] = OMEGA_L
            hd.attrs["OmegaBaryon"] = OMEGA_B
            hd.attrs["Redshift"] = 1 / A - 1
            hd.attrs["ExpansionFactor"] = A
            hd.attrs["NumFilesPerSnapshot"] = 2
            hd.attrs["NumPart_ThisFile"] = np.array([b - a, 0, 0, 0, d - c, 0], "i4")
            p0 = f.create_group("PartType0")
            eagle_ds(p0, "Coordinates", raw_pos(gas["pos"][a:b]).astype("f8"), cm, -1, 1)
            eagle_ds(p0, "Mass", raw_mass(gas["mass"][a:b]).astype("f4"), mg, -1, 0)
            dens = gas["rho"][a:b] * MSUN_G / MPC_CM ** 3 / (rho_cgs * H ** 2 * A ** -3)
            eagle_ds(p0, "Density", dens.astype("f4"), rho_cgs, 2, -3)
            eagle_ds(p0, "Temperature", gas["temp"][a:b].astype("f4"), 1.0, 0, 0)
            eagle_ds(p0, "StarFormationRate", gas["sfr"][a:b].astype("f4"), 6.30e25, 0, 0)
            p4 = f.create_group("PartType4")
            eagle_ds(p4, "Coordinates", raw_pos(stars["pos"][c:d]).astype("f8"), cm, -1, 1)
            eagle_ds(p4, "Mass", raw_mass(stars["mass"][c:d]).astype("f4"), mg, -1, 0)
    gsplit = [0, 3, NGROUPS]
    for i in range(2):
        a, b = gsplit[i], gsplit[i + 1]
        with h5py.File(os.path.join(out, f"eagle_subfind_tab_028_z000p000.{i}.hdf5"), "w") as f:
            hd = f.create_group("Header")
            hd.attrs["NumFilesPerSnapshot"] = 2
            hd.attrs["HubbleParam"] = H
            hd.attrs["ExpansionFactor"] = A
            hd.attrs["Redshift"] = 1 / A - 1
            fof = f.create_group("FOF")
            eagle_ds(fof, "GroupCentreOfPotential", raw_pos(centres[a:b]).astype("f8"), cm, -1, 1)
            eagle_ds(fof, "Group_M_Crit200", raw_mass(m200[a:b]).astype("f4"), mg, -1, 0)
            eagle_ds(fof, "Group_R_Crit200", raw_pos(r200[a:b]).astype("f4"), cm, -1, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--format", default="both", choices=["tng", "eagle", "both"])
    args = ap.parse_args()
    rng = np.random.default_rng(20200)
    centres, m200, r200, gas, stars = make_universe(rng)
    fmts = ["tng", "eagle"] if args.format == "both" else [args.format]
    for fmt in fmts:
        d = os.path.join(args.out, fmt)
        (write_tng if fmt == "tng" else write_eagle)(d, centres, m200, r200, gas, stars)
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump({
                "source": "scripts/make_hdf5_fixtures.py (h5py " + h5py.__version__ + ", numpy)",
                "groups": expected(centres, m200, r200, gas, stars, fmt),
            }, f)


if __name__ == "__main__":
    main()
