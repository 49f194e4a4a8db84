/**
 * Code blocks of the project's Markdown, with where they stand, so a test can compile each one
 * and point at the document line when one does not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One fenced block. */
export interface CodeBlock {
  /** Document path relative to the repository root. */
  file: string;
  /** 1-based line of the block's first code line in the document. */
  line: number;
  /** The fence's info string's first word (`ts`, `tsx`, `vue`, …). */
  lang: string;
  code: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;

/** True when `line` closes a block opened with `fence` (same character, at least as long). */
function closes(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && /^(`+|~+)$/.test(trimmed) && trimmed[0] === fence[0];
}

/** Every fenced block of `markdown` (indented blocks are not used in these docs). */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j += 1) {
      const line = lines[j]!;
      if (closes(line, fence!)) break;
      body.push(line.startsWith(indent!) ? line.slice(indent!.length) : line);
    }
    blocks.push({ file, line: i + 2, lang: lang ?? '', code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** README.md and docs/*.md of the repository at `root`. */
export function projectDocuments(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name));
  return [join(root, 'README.md'), ...docs];
}

/** The code blocks of every project document. */
export function projectCodeBlocks(root: string): CodeBlock[] {
  return projectDocuments(root).flatMap((path) =>
    codeBlocks(relative(root, path), readFileSync(path, 'utf8')),
  );
}

/** The document without its fenced code blocks (links in code are not links). */
export function prose(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .filter((line) => {
      if (/^\s*(`{3,}|~{3,})/.test(line)) {
        fenced = !fenced;
        return false;
      }
      return !fenced;
    })
    .join('\n');
}
