// Validates Kubernetes objects against their schemas: a JSON array of objects on stdin (the rendered kustomize
// output, converted by the Java test), one JSON report on stdout, exit 0 when every object is valid, 1 when not,
// 2 when the input cannot be read.
//
// Two checks per object:
// - types, required fields and enums: the validate() of the maintained models, kubernetes-models (built-in kinds)
//   and @kubernetes-models/prometheus-operator (ServiceMonitor, PrometheusRule); OpenShift's Route has no such
//   package, so route-v1.schema.json (written from the route.openshift.io/v1 API reference) checks it with ajv;
// - unknown fields, which those validators let through (Kubernetes drops them silently on apply, so a misspelt
//   `readOnlyRootFilesystem` would be lost without a word): the object is handed to the validator behind a proxy
//   that records every field the validator looks at, and a field it never looked at is not in the schema. Maps
//   (labels, data, ...) are read as a whole by the validator, so their keys count as known.
//
// Run by dev.prowctl.deploy.ManifestSchemaTest with node_modules from the cache .ci/run fills (deploy/validate/
// package.json and package-lock.json pin every version).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";

const here = dirname(fileURLToPath(import.meta.url));

async function modelClass(apiVersion, kind) {
  const module = apiVersion.startsWith("monitoring.coreos.com/")
    ? `@kubernetes-models/prometheus-operator/${apiVersion}`
    : `kubernetes-models/${apiVersion}`;
  let exports;
  try {
    exports = await import(module);
  } catch {
    return null;
  }
  const cls = exports[kind];
  return typeof cls === "function" && typeof cls.prototype.validate === "function" ? cls : null;
}

const routeSchema = JSON.parse(readFileSync(join(here, "route-v1.schema.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateRoute = ajv.compile(routeSchema);

/** The value behind a proxy that records, per JSON path, which fields were read and whether all keys were listed. */
function tracked(value, path, reads) {
  if (value === null || typeof value !== "object") return value;
  const seen = { keys: new Set(), all: false };
  reads.set(path, seen);
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      const field = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || !Object.prototype.hasOwnProperty.call(target, key)) return field;
      seen.keys.add(key);
      if (field === null || typeof field !== "object") return field;
      if (!children.has(key)) children.set(key, tracked(field, `${path}/${key}`, reads));
      return children.get(key);
    },
    has(target, key) {
      if (typeof key === "string") seen.keys.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      seen.all = true;
      return Reflect.ownKeys(target);
    },
  });
}

/** JSON paths of the fields the validator never read. */
function unread(value, path, reads, found) {
  if (value === null || typeof value !== "object") return found;
  const seen = reads.get(path);
  for (const key of Object.keys(value)) {
    const child = `${path}/${key}`;
    if (Array.isArray(value)) {
      unread(value[key], child, reads, found);
    } else if (!seen || (!seen.all && !seen.keys.has(key))) {
      found.push(child);
    } else {
      unread(value[key], child, reads, found);
    }
  }
  return found;
}

function ajvMessages(errors) {
  return (errors ?? []).map((e) =>
    e.keyword === "additionalProperties"
      ? `${e.instancePath || "/"}/${e.params.additionalProperty}: unknown field`
      : `${e.instancePath || "/"}: ${e.message}`);
}

async function check(object) {
  const apiVersion = object?.apiVersion;
  const kind = object?.kind;
  const name = `${kind}/${object?.metadata?.name ?? "?"}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return { name, validator: "none", problems: ["no apiVersion and kind"] };
  }
  if (apiVersion === "route.openshift.io/v1" && kind === "Route") {
    const valid = validateRoute(object);
    return { name, validator: "route-v1.schema.json", problems: valid ? [] : ajvMessages(validateRoute.errors) };
  }
  const cls = await modelClass(apiVersion, kind);
  if (!cls) {
    return { name, validator: "none", problems: [`no schema for ${apiVersion} ${kind}`] };
  }
  const problems = [];
  const reads = new Map();
  try {
    cls.prototype.validate.call(tracked(object, "", reads));
  } catch (e) {
    problems.push(...String(e.message).split("\n").filter((line) => line.trim() !== ""));
  }
  if (problems.length === 0) {
    for (const path of unread(object, "", reads, [])) problems.push(`${path}: unknown field`);
  }
  const validator = apiVersion.startsWith("monitoring.coreos.com/")
    ? "@kubernetes-models/prometheus-operator" : "kubernetes-models";
  return { name, validator, problems };
}

let objects;
try {
  objects = JSON.parse(readFileSync(0, "utf8"));
  if (!Array.isArray(objects)) throw new Error("expected a JSON array of objects");
} catch (e) {
  process.stderr.write(`validate.mjs: cannot read the objects on stdin: ${e.message}\n`);
  process.exit(2);
}
const results = [];
for (const object of objects) results.push(await check(object));
process.stdout.write(JSON.stringify({ results }) + "\n");
process.exit(results.some((r) => r.problems.length > 0) ? 1 : 0);
