// Docs that stand alone: every repository path a comment or a doc names exists, and nothing cites
// a document the repository does not hold (the project's contract is docs/CONTRACT.md). A
// person who clones the repository can follow every pointer in it.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../scripts/local-service.mjs";

/** Tracked files that are read for references: code, configs, docs. Generated files are not. */
const SCANNED = /\.(ts|tsx|mjs|mts|md|toml|sh|sql|css|js)$|^\.ci\/run$/;
const GENERATED = new Set([
  "client/schema.d.ts",
  "worker-configuration.d.ts",
  "public/openapi.json",
  "public/reference.html",
]);
/** Bare file names with these endings must be some tracked file's name. */
const PROJECT_FILE = /\.(ts|tsx|mjs|mts|md|toml|sql|sh)$/;
/** A path is the repository's when it starts at one of its folders (or src/'s, as code says). */
const SRC_FOLDERS = ["src", "test", "e2e", "scripts", "docs", "strict", "public", "client"];
/** Documents that are not in the repository: citing them leaves a reader with nothing. */
const OUTSIDE = /\bAPI\.md\b|(?:\.\.\/)+shared\/|\bshared\/\w|\bDESIGN\.md\b|\bSTYLE\.md\b/;

const PATH =
  /(?<![\w@./:*-])((?:\.\.\/)*(?:[\w.-]+\/)*[\w-]+(?:\.[\w-]+)*\.(?:tsx|ts|mjs|mts|md|toml|json|sql|css|js|sh|html))(?![\w/])/g;

interface Finding {
  file: string;
  line: number;
  text: string;
}

/** The parts of a file that are prose: comments of code and configs, the whole of a doc. */
function* prose(file: string, text: string): Generator<[number, string]> {
  const lines = text.split("\n");
  if (file.endsWith(".md")) {
    yield* lines.map((line, i): [number, string] => [i + 1, line]);
    return;
  }
  const hashComments = /\.(toml|sh)$/.test(file) || file === ".ci/run";
  let inBlock = false;
  for (const [i, line] of lines.entries()) {
    if (hashComments) {
      const at = line.indexOf("#");
      if (at >= 0) yield [i + 1, line.slice(at)];
    } else if (inBlock) {
      yield [i + 1, line];
      if (line.includes("*/")) inBlock = false;
    } else if (line.includes("/*")) {
      const rest = line.slice(line.indexOf("/*"));
      yield [i + 1, rest];
      inBlock = !rest.includes("*/");
    } else {
      const comment = /(?<![:"'`\\])\/\/(.*)$/.exec(line);
      if (comment?.[1]) yield [i + 1, comment[1]];
    }
  }
}

/** Every pointer in `text` (the content of `file`) to a path that does not exist. */
function danglingReferences(
  file: string,
  text: string,
  exists: (path: string) => boolean,
  names: Set<string>,
): Finding[] {
  const findings: Finding[] = [];
  for (const [line, part] of prose(file, text)) {
    if (OUTSIDE.test(part)) findings.push({ file, line, text: part.trim() });
    for (const match of part.matchAll(PATH)) {
      const ref = (match[1] ?? "").replace(/^\.\//, "");
      if (/^(API|DESIGN|STYLE)\.md$/.test(ref)) continue; // reported above
      if (!ref.includes("/")) {
        if (PROJECT_FILE.test(ref) && !names.has(ref)) findings.push({ file, line, text: ref });
        continue;
      }
      const first = ref.split("/")[0] ?? "";
      const relative = first === "..";
      const repository =
        relative ||
        first === "node_modules" ||
        SRC_FOLDERS.includes(first) ||
        exists(join("src", first)) ||
        exists(join("test", first));
      if (!repository) continue; // a path inside some package, or a URL's
      const candidates = [
        ref,
        normalize(join(dirname(file), ref)),
        join("src", ref),
        join("test", ref),
        join("docs", ref),
      ];
      if (!candidates.some(exists)) findings.push({ file, line, text: ref });
    }
  }
  return findings;
}

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => f !== "");
}

describe("paths named in comments and docs", () => {
  const tracked = trackedFiles();
  const onDisk = (path: string) => existsSync(join(ROOT, path));
  const names = new Set(tracked.map((f) => basename(f)));

  it("all exist, and nothing cites API.md, ../shared or another document outside the repository", () => {
    const scanned = tracked.filter((f) => SCANNED.test(f) && !GENERATED.has(f));
    expect(scanned.length).toBeGreaterThan(250);
    const findings = scanned.flatMap((file) =>
      danglingReferences(file, readFileSync(join(ROOT, file), "utf8"), onDisk, names),
    );
    expect(findings).toEqual([]);
  });

  it("finds a planted pointer to a missing file, a renamed one and a citation of API.md", () => {
    const planted = [
      "// The I/O is in routes/delivery.ts (moved long ago).",
      `/${"*"} The schema: objects/catalog-schema.ts *${"/"}`,
      "const url = 'https://example.com/a/b.ts'; // a URL is not a path",
      "// Kept as API.md asks.",
      "// See delivery/range.ts and src/domain/slug.ts, which exist.",
    ].join("\n");
    const found = danglingReferences("src/x.ts", planted, onDisk, names);
    expect(found.map((f) => [f.line, f.text])).toEqual([
      [1, "routes/delivery.ts"],
      [2, "objects/catalog-schema.ts"],
      [4, "Kept as API.md asks."],
    ]);
    const doc = "See [the notes](../docs/NOTES.md) and `serve-everything.ts`.";
    expect(danglingReferences("docs/X.md", doc, onDisk, names).map((f) => f.text)).toEqual([
      "../docs/NOTES.md",
      "serve-everything.ts",
    ]);
  });
});
