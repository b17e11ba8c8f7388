/**
 * Issue 20, end to end through the tasks as a user runs them: one writer per
 * output folder (a real race of two processes), a killed run cleaned up by
 * its re-run (a real SIGKILL), stopping the parent stops the task, and the
 * messages of the defects the issue lists.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const decoder = new TextDecoder();

function task(name: string, args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "tasks", `${name}.ts`), ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { DENO_NO_UPDATE_CHECK: "1" },
  });
}

async function run(name: string, args: string[]) {
  const r = await task(name, args).output();
  return { code: r.code, stdout: decoder.decode(r.stdout), stderr: decoder.decode(r.stderr) };
}

async function filesOf(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile) out.set(e.name, await Deno.readFile(join(dir, e.name)));
  }
  return out;
}

Deno.test("two simulate runs started together into one folder: one writes, the other refuses naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "race_" });
  try {
    const out = join(dir, "data");
    const args = ["--out", out, "--clusters", "40", "--workers", "0", "--quiet"];
    const [a, b] = [task("simulate", args).spawn(), task("simulate", args).spawn()];
    const [ra, rb] = await Promise.all([a.output(), b.output()]);
    const codes = [ra.code, rb.code].sort();
    const err = [decoder.decode(ra.stderr), decoder.decode(rb.stderr)];
    assert.deepEqual(codes, [0, 1], err.join("\n"));
    const [winner, loser] = ra.code === 0 ? [a, 1] : [b, 0];
    assert.match(
      err[loser],
      new RegExp(
        `^simulate: Cannot write to ${out}: simulate \\(pid ${winner.pid} on .*, started .*\\) ` +
          `is writing there\\. Wait for it to finish or stop it \\(kill ${winner.pid}\\)`,
      ),
    );
    const files = [...(await filesOf(out)).keys()].sort();
    assert.deepEqual(files, [
      "catalog.csv",
      "galaxies.csv",
      "images_fxb.npy",
      "images_fxs.npy",
      "images_star.npy",
      "images_ypar.npy",
      "manifest.json",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("simulate killed with SIGKILL mid-write: the re-run removes its .partial files and writes the same bytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kill_" });
  try {
    const out = join(dir, "data");
    const args = (o: string) => ["--out", o, "--clusters", "40", "--workers", "0", "--quiet"];
    const child = task("simulate", args(out)).spawn();
    // Wait for the first streamed image to be on disk, then kill without warning.
    const t0 = Date.now();
    let partial: string[] = [];
    while (Date.now() - t0 < 60_000) {
      partial = (await Array.fromAsync(Deno.readDir(out)).catch(() => []))
        .map((e) => e.name).filter((n) => n.includes(".partial-"));
      if (partial.length >= 4) {
        const size = (await Deno.stat(join(out, partial[0]))).size;
        if (size > 200_000) break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    const status = await child.status;
    await child.stdout.cancel();
    await child.stderr.cancel();
    assert.equal(status.signal, "SIGKILL");
    assert.ok(partial.length >= 4, `no .partial files appeared: ${partial}`);
    assert.ok(partial.every((n) => n.endsWith(`.partial-${child.pid}`)));
    // The killed run left its lock and its partial files behind.
    const left = (await Array.fromAsync(Deno.readDir(out))).map((e) => e.name);
    assert.ok(left.includes(".lock"));

    const again = await run("simulate", args(out));
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stderr,
      new RegExp(`simulate: took over the lock of ${out} from simulate \\(pid ${child.pid} on `),
    );
    assert.match(
      again.stderr,
      new RegExp(`simulate: removed \\d+ temporary file\\(s\\) that killed runs left in ${out}: `),
    );
    const fresh = join(dir, "fresh");
    const clean = await run("simulate", args(fresh));
    assert.equal(clean.code, 0, clean.stderr);
    const [x, y] = [await filesOf(out), await filesOf(fresh)];
    assert.deepEqual([...x.keys()].sort(), [...y.keys()].sort());
    assert.ok(![...x.keys()].some((n) => n.includes(".partial-") || n === ".lock"));
    for (const [name, bytes] of x) assert.deepEqual(bytes, y.get(name), name);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
