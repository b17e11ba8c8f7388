import assert from "node:assert/strict";
import { planSteps } from "./steps.ts";

Deno.test("planSteps({ shards }) makes shard steps that simulate merges", () => {
  const steps = planSteps({ profile: "smoke", outDir: "/o", shards: 3 });
  const names = steps.map((s) => s.name);
  assert.deepEqual(names.slice(0, 4), [
    "simulate-shard-0",
    "simulate-shard-1",
    "simulate-shard-2",
    "simulate",
  ]);
  const merge = steps[3];
  assert.equal(merge.task, "merge");
  assert.deepEqual(merge.args, [
    "--out",
    "/o/data",
    "/o/data-shards/0",
    "/o/data-shards/1",
    "/o/data-shards/2",
  ]);
  assert.deepEqual(steps[1].args.slice(-2), ["--shard", "1/3"]);
  assert.ok(steps[1].args.includes("/o/data-shards/1"));
  // Without shards the graph is the one-process one.
  assert.equal(planSteps({ profile: "smoke", outDir: "/o" })[0].task, "simulate");
});

Deno.test("planSteps({ folds, members }) adds fold x member training and evaluate-sets", () => {
  const steps = planSteps({ profile: "smoke", outDir: "/o", folds: 3, members: 2 });
  const train = steps.filter((s) => s.task === "train");
  assert.equal(train.length, 5 + 5 * 3 * 2);
  const t = steps.find((s) => s.name === "train-ypar-f2-m1")!;
  assert.ok(t.args.includes("/o/runs/folds/ypar/fold2-member1"));
  assert.deepEqual(t.args.slice(-4), ["--fold", "2/3", "--seed", String(Number(t.args.at(-1)))]);
  const sets = steps.find((s) => s.name === "evaluate-sets")!;
  assert.equal(sets.dependsOn.length, 30);
  assert.ok(sets.args.join(" ").endsWith("--folds 3 --members 2"));
  // Ensembles on the dataset's split: the plain run is member 0.
  const ens = planSteps({ profile: "smoke", outDir: "/o", members: 3 });
  assert.deepEqual(
    ens.filter((s) => s.name.startsWith("train-star")).map((s) => s.name),
    ["train-star", "train-star-m1", "train-star-m2"],
  );
  assert.equal(ens.find((s) => s.name === "evaluate-sets")!.dependsOn.length, 15);
  assert.throws(() => planSteps({ profile: "smoke", outDir: "/o", folds: 2 }), /folds >= 3/);
});
