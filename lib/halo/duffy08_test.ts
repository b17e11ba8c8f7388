import assert from "node:assert/strict";
import { WMAP9_BAHAMAS } from "../cosmology/mod.ts";
import { duffy08Concentration } from "./duffy08.ts";

const C = WMAP9_BAHAMAS;

Deno.test("duffy08Concentration() matches 5.71 (M / 2e12 Msun/h)^-0.084 (1+z)^-0.47 by hand", () => {
  // Duffy et al. 2008 Table 1 (full, 200c); numbers from lib/halo/testdata/ref_halo.py.
  const ref: [number, number, number][] = [
    [1e12, 6.052330393198479, 4.369568277843716],
    [1e14, 4.110764788859799, 2.9678266472802672],
    [1e15, 3.3878379443527376, 2.4458990587749176],
  ];
  for (const [mh, c0, c1] of ref) {
    const m = mh / C.h; // Msun/h -> Msun
    assert.ok(Math.abs(duffy08Concentration(m, 0, C) / c0 - 1) < 1e-12, `c(${mh}, 0)`);
    assert.ok(Math.abs(duffy08Concentration(m, 1, C) / c1 - 1) < 1e-12, `c(${mh}, 1)`);
  }
});

Deno.test("duffy08Concentration() rejects bad input with RangeError", () => {
  assert.throws(() => duffy08Concentration(0, 0, C), RangeError);
  assert.throws(() => duffy08Concentration(1e14, -0.2, C), RangeError);
});
