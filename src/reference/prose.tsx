// The small part of CommonMark the document's descriptions use: paragraphs, "- " lists,
// `code` and **strong**. Everything else is text; Hono's JSX escapes it.

import type { Child } from "hono/jsx";

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*)/;

function inline(text: string): Child[] {
  return text
    .split(INLINE)
    .filter((piece) => piece !== "")
    .map((piece) => {
      if (piece.startsWith("`") && piece.endsWith("`")) return <code>{piece.slice(1, -1)}</code>;
      if (piece.startsWith("**") && piece.endsWith("**")) {
        return <strong>{piece.slice(2, -2)}</strong>;
      }
      return piece;
    });
}

/** Splits a block into runs of paragraph lines and of "- " list items (a list may follow a line). */
function runs(block: string): { list: boolean; lines: string[] }[] {
  const out: { list: boolean; lines: string[] }[] = [];
  for (const line of block.split("\n")) {
    const list = line.startsWith("- ");
    const last = out.at(-1);
    if (last && last.list === list) last.lines.push(list ? line.slice(2) : line);
    else out.push({ list, lines: [list ? line.slice(2) : line] });
  }
  return out;
}

export function Prose({ text }: { text: string }) {
  const blocks = text.split(/\n\s*\n/).map((block) => block.trim());
  return (
    <>
      {blocks.flatMap(runs).map((run) =>
        run.list ? (
          <ul>
            {run.lines.map((line) => (
              <li>{inline(line)}</li>
            ))}
          </ul>
        ) : (
          <p>{inline(run.lines.join(" "))}</p>
        ),
      )}
    </>
  );
}
