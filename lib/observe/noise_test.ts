import assert from "node:assert/strict";
import { Rng } from "../random/mod.ts";
import { addGaussianNoise, erf, instrumentsFor, smoothGaussianBeam } from "./noise.ts";

Deno.test("addGaussianNoise() adds noise of the requested rms (Table 1 Ypar: 1e-8)", () => {
  const img = new Float64Array(120 * 120);
  addGaussianNoise(img, 1e-8, new Rng(3));
  const mean = img.reduce((s, v) => s + v, 0) / img.length;
  const sd = Math.sqrt(img.reduce((s, v) => s + (v - mean) ** 2, 0) / img.length);
  // 14400 samples: the sample sd is within ~1.2% (2 sigma) of the truth.
  assert.ok(Math.abs(sd / 1e-8 - 1) < 0.02, `sd ${sd}`);
  assert.ok(Math.abs(mean) < 3e-8 / 120);
});

Deno.test("smoothGaussianBeam() turns a point source into a Gaussian of the beam's FWHM", () => {
  const npix = 120;
  const fwhmPix = 1.4 / (20 / 120); // Ypar beam, 1.4 arcmin in 10 arcsec pixels = 8.4 px
  const img = new Float64Array(npix * npix);
  img[60 * npix + 60] = 1;
  smoothGaussianBeam(img, npix, fwhmPix);
  let sum = 0, mx = 0, vx = 0, vy = 0;
  for (let r = 0; r < npix; r++) {
    for (let c = 0; c < npix; c++) {
      const v = img[r * npix + c];
      sum += v;
      mx += v * c;
    }
  }
  mx /= sum;
  for (let r = 0; r < npix; r++) {
    for (let c = 0; c < npix; c++) {
      vx += img[r * npix + c] * (c - 60) ** 2;
      vy += img[r * npix + c] * (r - 60) ** 2;
    }
  }
  const sigma = fwhmPix / (2 * Math.sqrt(2 * Math.LN2));
  // Pixel-integrated kernel: variance = sigma^2 + 1/12 (pixel window).
  const expected = sigma * sigma + 1 / 12;
  assert.ok(Math.abs(sum - 1) < 1e-9, `flux ${sum}`);
  assert.ok(Math.abs(mx - 60) < 1e-9);
  assert.ok(Math.abs(vx / sum / expected - 1) < 0.005, `var ${vx / sum} vs ${expected}`);
  assert.ok(Math.abs(vy / sum / expected - 1) < 0.005);
  // Peak over half-peak: the value at +FWHM/2 (4.2 px) is about half the peak.
  const peak = img[60 * npix + 60];
  const half = 0.5 * (img[60 * npix + 64] + img[60 * npix + 65]) / peak;
  assert.ok(Math.abs(half - 0.5) < 0.05, `half ${half}`);
});

Deno.test("instrumentsFor() reproduces Table 1 and the Planck-like and noiseless options", () => {
  const p = instrumentsFor("paper");
  assert.equal(p.star.rms, 2.14e11);
  assert.equal(p.star.beamFwhmArcmin, 0);
  assert.equal(p.fxs.rms, 9e-16);
  assert.ok(Math.abs(p.fxb.beamFwhmArcmin - 4 / 60) < 1e-15);
  assert.equal(p.ypar.rms, 1e-8);
  assert.equal(p.ypar.beamFwhmArcmin, 1.4);
  const pl = instrumentsFor("planck");
  assert.equal(pl.ypar.rms, 1e-6);
  assert.equal(pl.ypar.beamFwhmArcmin, 9.66);
  assert.equal(pl.fxs.rms, 9e-16);
  const n = instrumentsFor("none");
  for (const t of ["star", "fxs", "fxb", "ypar"] as const) {
    assert.equal(n[t].rms, 0);
    assert.equal(n[t].beamFwhmArcmin, 0);
  }
  assert.throws(() => instrumentsFor("act" as "paper"), /Unknown noise setting "act"/);
});

Deno.test("erf() matches tabulated values (Abramowitz & Stegun Table 7.1)", () => {
  assert.ok(Math.abs(erf(0.5) - 0.5204998778) < 2e-7);
  assert.ok(Math.abs(erf(1) - 0.8427007929) < 2e-7);
  assert.ok(Math.abs(erf(-2) + 0.995322265) < 2e-7);
});
