/**
 * `deno task realism --strict` on the full catalogue (seed 1, the quick
 * profile's): every check of the mock against its published target passes
 * (docs/mock-universe.md, "What the mock gives"). This is the check that the
 * mock's physics still matches the literature after a change anywhere in
 * lib/particles, lib/observe or lib/halo; it renders the quick dataset for the
 * core-against-ring test too, so it takes about a minute on two cores.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

Deno.test("deno task realism --strict passes every check on the full catalogue", async () => {
  const out = await Deno.makeTempDir({ prefix: "realism-test-" });
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tasks/realism.ts", "--strict", "--no-figure", "--out", out],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
    const failing = text.split("\n").filter((l) => l.startsWith("FAIL"));
    assert.equal(
      run.code,
      0,
      `realism exited with ${run.code}:\n${failing.join("\n")}\n${text.slice(-2000)}`,
    );
    const report = JSON.parse(await Deno.readTextFile(join(out, "realism.json")));
    assert.equal(report.clusters, 1799, "the full catalogue");
    assert.equal(report.failed, 0);
    // The particle checks, the X-ray shape checks and the four core/ring checks.
    assert.ok(report.passed >= 44, `only ${report.passed} checks ran`);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
