/**
 * The cosmology of LSSTDESC/CCL's halo-model benchmarks (`benchmarks/hmf_bm.py`,
 * `hbf_tinker10.txt`: colossus with Om 0.3, Ob 0.05, h 0.7, sigma8 0.8,
 * ns 0.96, EH98), shared by the tests that compare against them.
 *
 * @module
 */
import type { Cosmology } from "../cosmology/mod.ts";

/** CCL halo-model benchmark cosmology. */
export const CCL_HMF: Cosmology = {
  name: "CCL-hmf",
  h: 0.7,
  omegaM: 0.3,
  omegaB: 0.05,
  omegaC: 0.25,
  omegaL: 0.7,
  sigma8: 0.8,
  ns: 0.96,
  tcmbK: 2.7255,
};
