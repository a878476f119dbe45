// The house's one rule for imports (README, "Layout"): src/ is built in floors, and a file imports
// only its own folder or a floor below its own, never one above and never a neighbour on its own
// floor; and no files import each other round in a circle, not even for types only. Read from
// the source text, so `import type` and `import("...")` types count like any other import.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../scripts/local-service.mjs";

/**
 * From the ground up. A folder of src/ (or a file at its top) may import what is on a lower floor;
 * folders on the same floor may not import each other.
 */
const FLOORS: string[][] = [
  ["base"], // small pure helpers that import nothing of the project
  ["domain"], // the rules, pure
  ["images"], // the Image Delivery API, pure
  ["config.ts"], // [vars] parsed once
  ["http"], // errors, schemas and JSON views shared by the Workers
  ["delivery"], // the public URLs' HTTP logic and I/O
  ["content-delivery"], // the Content Delivery API: its routes, access checks and D1 reads
  ["objects"], // the Durable Objects: where every write happens
  ["auth", "upload"], // credentials; streaming uploads
  ["routes", "maintenance"], // the management API's routes; the hourly sweep
  ["console", "home"], // the web pages
  ["openapi"], // the API's OpenAPI document, built from the routes' schemas
  ["reference"], // the /reference page, rendered from that document
  ["management-app.ts"], // the management app
  ["management-worker.ts", "delivery-worker.ts", "content-delivery-worker.ts"], // the entry points
];

const SRC = join(ROOT, "src");
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

/** A file's place: the folder under src/ it is in, or its own name at src/'s top. */
const placeOf = (file: string) => file.split("/")[0] ?? file;

/** src/'s files (relative to it) and each one's project imports, resolved to files. */
function importGraph(): Map<string, string[]> {
  const files = (readdirSync(SRC, { recursive: true }) as string[])
    .map((f) => f.split("\\").join("/"))
    .filter((f) => /\.tsx?$/.test(f));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(SRC, file), "utf8");
    const targets = [...text.matchAll(IMPORT)].map((m) => {
      const target = normalize(join(dirname(file), m[1] ?? ""));
      const found = [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`].find((t) =>
        known.has(t),
      );
      if (!found) throw new Error(`${file}: cannot resolve ${m[1]}`);
      return found;
    });
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every import that goes up a floor or sideways to a neighbour, as "from -> to". */
function wrongWayImports(graph: Map<string, string[]>, floors = FLOORS): string[] {
  const floorOf = new Map(
    floors.flatMap((places, i) => places.map((p): [string, number] => [p, i])),
  );
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    const from = placeOf(file);
    const fromFloor = floorOf.get(from);
    if (fromFloor === undefined) {
      wrong.push(`${file}: ${from} is on no floor`);
      continue;
    }
    for (const target of targets) {
      const to = placeOf(target);
      if (to === from) continue;
      const toFloor = floorOf.get(to) ?? Number.POSITIVE_INFINITY;
      if (toFloor >= fromFloor) wrong.push(`${file} -> ${target}`);
    }
  }
  return wrong;
}

/** Every circle of files, each as the files along it (the first repeated at the end). */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return found;
}

describe("the import graph of src/", () => {
  const graph = importGraph();

  it("runs downward only: no import goes up a floor or across to a neighbour", () => {
    expect(graph.size).toBeGreaterThan(100);
    const places = new Set([...graph.keys()].map(placeOf));
    expect([...places].filter((p) => !FLOORS.flat().includes(p))).toEqual([]);
    expect(wrongWayImports(graph)).toEqual([]);
  });

  it("has no circle of files, type-only imports included", () => {
    expect(circles(graph)).toEqual([]);
  });

  it("base/ imports nothing of the project, domain/ nothing but base/", () => {
    for (const [file, targets] of graph) {
      const allowed = placeOf(file) === "base" ? ["base"] : ["base", "domain"];
      if (placeOf(file) === "base" || placeOf(file) === "domain") {
        expect(
          targets.filter((t) => !allowed.includes(placeOf(t))),
          file,
        ).toEqual([]);
      }
    }
  });

  it("names every file of src/ and strict/ once: no two files share a name", () => {
    const strict = readdirSync(join(ROOT, "strict")).map((f) => `../strict/${f}`);
    const byName = new Map<string, string[]>();
    for (const file of [...graph.keys(), ...strict]) {
      const name = file.split("/").pop() ?? file;
      byName.set(name, [...(byName.get(name) ?? []), file]);
    }
    expect([...byName.values()].filter((files) => files.length > 1)).toEqual([]);
  });

  it("keeps every file of src/ under 300 lines", () => {
    const long = [...graph.keys()]
      .map((file) => [file, readFileSync(join(SRC, file), "utf8").split("\n").length - 1] as const)
      .filter(([, lines]) => lines >= 300);
    expect(long).toEqual([]);
  });

  it("finds a planted upward import, a sideways one and a type-only circle", () => {
    const planted = new Map([
      ["domain/slug.ts", ["base/field-errors.ts", "http/errors.ts"]],
      ["auth/management-auth.ts", ["objects/stubs.ts", "upload/checksum.ts"]],
      ["routes/stacks.ts", ["management-app.ts"]],
      ["base/a.ts", ["base/b.ts"]],
      ["base/b.ts", ["base/a.ts"]],
    ]);
    expect(wrongWayImports(planted)).toEqual([
      "domain/slug.ts -> http/errors.ts",
      "auth/management-auth.ts -> upload/checksum.ts",
      "routes/stacks.ts -> management-app.ts",
    ]);
    expect(circles(planted)).toEqual([["base/a.ts", "base/b.ts", "base/a.ts"]]);
    // The planted edges come from the parser too: a type-only import and an import() type.
    const text = 'import type { A } from "../http/errors";\nlet b: import("./b").B;';
    expect([...text.matchAll(IMPORT)].map((m) => m[1])).toEqual(["../http/errors", "./b"]);
  });
});
