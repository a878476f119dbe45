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

export function Prose({ text }: { text: string }) {
  const blocks = text.split(/\n\s*\n/).map((block) => block.trim());
  return (
    <>
      {blocks.map((block) => {
        const lines = block.split("\n");
        if (lines.every((line) => line.startsWith("- "))) {
          return (
            <ul>
              {lines.map((line) => (
                <li>{inline(line.slice(2))}</li>
              ))}
            </ul>
          );
        }
        return <p>{inline(block)}</p>;
      })}
    </>
  );
}
