/**
 * The files a patch in Codex's apply_patch format touches:
 *
 *   *** Begin Patch
 *   *** Update File: src/a.ts
 *   *** Move to: src/b.ts
 *   *** Add File: src/c.ts
 *   *** Delete File: src/d.ts
 *   *** End Patch
 *
 * Codex sends it as the body of a shell call (`apply_patch <<'EOF' ... EOF`) or
 * as a tool's raw input; either way the headers are lines of their own.
 */
const HEADER = /^\*\*\* (?:Update File|Add File|Delete File|Move to): (.+)$/;

/** Whether text is a patch itself (apply_patch's raw input), not a shell command that holds one. */
export function isRawPatch(text: string): boolean {
  return /^\s*\*\*\* Begin Patch\s*(\r?\n|$)/.test(text);
}

/** The files a patch's headers name; a header is a line of its own, so a context line that quotes one is not. */
export function patchTargets(text: string): string[] {
  const files: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = HEADER.exec(line.trimEnd());
    if (match) files.push(match[1]!.trim());
  }
  return files;
}
