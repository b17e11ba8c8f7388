/**
 * Seeded pseudo-random numbers. Every random draw in the toolkit comes from an
 * {@linkcode Rng} passed explicitly, so the same seed gives the same bytes.
 *
 * The generator is xoshiro128** (Blackman & Vigna 2018, "Scrambled linear
 * pseudorandom number generators"), seeded through SplitMix32 so that nearby
 * integer seeds give unrelated streams.
 *
 * @module
 */

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [state, z >>> 0];
}

/** A seeded generator of uniform, normal and other variates. */
export class Rng {
  #s = new Uint32Array(4);
  #spareNormal: number | null = null;
  readonly #seedWords: Uint32Array;

  /**
   * @param seed Any finite number; non-integers are truncated. Streams for
   * different seeds are independent for practical purposes.
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`Cannot seed Rng: seed must be finite, got ${seed}`);
    }
    let st = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) | 0;
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(st);
      st = next;
      this.#s[i] = out;
    }
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
    this.#seedWords = this.#s.slice();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform on [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n > 0) || !Number.isInteger(n)) {
      throw new RangeError(`Cannot draw integer: n must be a positive integer, got ${n}`);
    }
    return Math.floor(this.random() * n);
  }

  /** Standard normal variate (Marsaglia polar method). */
  normal(mean = 0, sd = 1): number {
    if (this.#spareNormal !== null) {
      const z = this.#spareNormal;
      this.#spareNormal = null;
      return mean + sd * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spareNormal = v * f;
    return mean + sd * u * f;
  }

  /** A normal variate truncated to [lo, hi] by rejection. */
  truncatedNormal(mean: number, sd: number, lo: number, hi: number): number {
    for (let i = 0; i < 10000; i++) {
      const x = this.normal(mean, sd);
      if (x >= lo && x <= hi) return x;
    }
    return Math.min(hi, Math.max(lo, mean));
  }

  /** Log-normal factor 10^(N(0, dex)): multiply a quantity by it to add `dex` scatter. */
  logNormalDex(dex: number): number {
    return Math.pow(10, this.normal(0, dex));
  }

  /** Poisson variate (Knuth for small means, normal approximation with continuity above 500). */
  poisson(mean: number): number {
    if (!(mean >= 0)) throw new RangeError(`Cannot draw Poisson: mean must be >= 0, got ${mean}`);
    if (mean === 0) return 0;
    if (mean > 500) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    // Split large means into chunks so exp(-mean) does not underflow.
    let total = 0;
    let remaining = mean;
    while (remaining > 0) {
      const m = Math.min(remaining, 30);
      remaining -= m;
      const l = Math.exp(-m);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= this.random();
      } while (p > l);
      total += k - 1;
    }
    return total;
  }

  /** A random unit vector, isotropic on the sphere. */
  unitVector(): [number, number, number] {
    const z = this.uniform(-1, 1);
    const phi = this.uniform(0, 2 * Math.PI);
    const r = Math.sqrt(1 - z * z);
    return [r * Math.cos(phi), r * Math.sin(phi), z];
  }

  /** Shuffle an array in place (Fisher-Yates) and return it. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /**
   * A child generator whose stream depends only on this generator's seed and
   * `key`, not on how many numbers were drawn before: use it to give each
   * cluster or each worker its own reproducible stream.
   */
  fork(key: number): Rng {
    const s = this.#seedWords;
    const mix = (s[0] ^ Math.imul(s[1], 31) ^ Math.imul(s[2], 131) ^ Math.imul(s[3], 1313)) >>> 0;
    return new Rng((mix ^ Math.imul(key | 0, 0x9e3779b1)) + (key >>> 0) * 4294967296);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
