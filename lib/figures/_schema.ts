/**
 * Validation of specs against the Vega-Lite JSON schema shipped in the npm
 * package (`vega-lite/build/vega-lite-schema.json`, draft-07), with Ajv.
 * Used by the tests; the schema is loaded on first use.
 *
 * @module
 */
import { Ajv, type ValidateFunction } from "ajv";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));
let validator: ValidateFunction | undefined;

/** Errors of `spec` against the Vega-Lite schema (empty when valid). */
export async function vegaLiteSchemaErrors(spec: unknown): Promise<string[]> {
  if (!validator) {
    const path = join(ROOT, "node_modules", "vega-lite", "build", "vega-lite-schema.json");
    const schema = JSON.parse(await Deno.readTextFile(path));
    const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
    validator = ajv.compile(schema);
  }
  if (validator(spec)) return [];
  return (validator.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || "/"} ${e.message}`);
}
