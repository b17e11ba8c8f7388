/**
 * Validation at the door of `importSnapshot`: every value it uses (group
 * centres, M200, r200; particle positions, masses, densities, temperatures)
 * must be finite. A non-finite one is refused with the file, the dataset and
 * the row, and the fix; with `dropNonFinite` the group or particle is left
 * out instead and counted, in the log and in the manifest.
 *
 * @module
 */

const FLAG = "--drop-nonfinite";

/** What was left out for non-finite values (recorded in the manifest's `source.dropped`). */
export interface DroppedCounts {
  /** Groups with a non-finite centre, M200 or r200. */
  groups: number;
  /** Particles (gas and stars) with a non-finite position. */
  positions: number;
  /** Gas particles with a non-finite or non-positive mass, density or temperature. */
  gas: number;
  /** Star particles with a non-finite or non-positive mass. */
  stars: number;
}

/** Counts of dropped values and the policy: refuse (default) or drop and count. */
export class NonFiniteGuard {
  readonly dropped: DroppedCounts = { groups: 0, positions: 0, gas: 0, stars: 0 };
  readonly #seen = new Set<string>();
  constructor(readonly drop: boolean) {}

  /**
   * Refuse (throw) or count a bad value of kind `kind`; `what` says where and
   * what it is; `key` identifies the row, so that one seen again (a later
   * pass, another group's region) is counted once.
   */
  bad(kind: keyof DroppedCounts, key: string, what: string, skipped: string): void {
    if (!this.drop) {
      throw new RangeError(
        `Cannot import: ${what}. Fix the file, or pass ${FLAG} to leave out such ${skipped} ` +
          "(counted in the log and in manifest.json)",
      );
    }
    if (this.#seen.has(`${kind}:${key}`)) return;
    this.#seen.add(`${kind}:${key}`);
    this.dropped[kind]++;
  }

  /** Total dropped. */
  total(): number {
    const d = this.dropped;
    return d.groups + d.positions + d.gas + d.stars;
  }

  /** One log line, or null when nothing was dropped. */
  summary(): string | null {
    if (this.total() === 0) return null;
    const d = this.dropped;
    return `import: left out for non-finite values (${FLAG}): ${d.groups} group(s), ` +
      `${d.positions} particle(s) with a non-finite position, ${d.gas} gas particle(s) with a ` +
      `bad mass, density or temperature, ${d.stars} star particle(s) with a bad mass`;
  }
}

/** "[NaN, 1.5, 2]" */
export function formatTriple(a: ArrayLike<number>, at: number): string {
  return `[${a[at]}, ${a[at + 1]}, ${a[at + 2]}]`;
}
