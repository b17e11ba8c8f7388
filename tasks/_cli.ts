/**
 * The command-line plumbing every task shares: parse `Deno.args` strictly,
 * print the usage for `--help`, and exit with status 2 and a message that
 * names the task, says what is wrong and repeats the usage on bad arguments.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { stopWithParent } from "../lib/io/lifeline.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Strict<O extends Options> = { options: O; strict: true; allowPositionals: false };

/** What {@linkcode parseTaskArgs} returns. */
export interface TaskArgs<O extends Options> {
  /** The parsed flags (`help` handled already). */
  values: ReturnType<typeof parseArgs<Strict<O>>>["values"];
  /** Print `task: message`, the usage, and exit with status 2. */
  fail: (message: string) => never;
  /**
   * An integer flag: `undefined` when absent; fails unless it is an integer
   * >= `min` (default 1).
   */
  int: (name: string, text: string | undefined, min?: number) => number | undefined;
}

/**
 * Parse this process's arguments for `task` with `options` (include a
 * `help: { type: "boolean", short: "h" }` entry to offer `--help`).
 */
export function parseTaskArgs<O extends Options>(
  task: string,
  usage: string,
  options: O,
): TaskArgs<O> {
  // Stop when whoever started this task (deno task, reproduce) is killed outright.
  stopWithParent();
  const fail = (message: string): never => {
    console.error(`${task}: ${message}\n\n${usage}`);
    Deno.exit(2);
  };
  let values: TaskArgs<O>["values"];
  try {
    ({ values } = parseArgs({ args: Deno.args, options, strict: true, allowPositionals: false }));
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  if ((values as Record<string, unknown>).help === true) {
    console.log(usage);
    Deno.exit(0);
  }
  const int = (name: string, text: string | undefined, min = 1): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) {
      fail(`--${name} must be an integer >= ${min}, got "${text}"`);
    }
    return n;
  };
  return { values, fail, int };
}
