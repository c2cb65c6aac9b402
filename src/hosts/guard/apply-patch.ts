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

export function isApplyPatch(text: string): boolean {
  return /^\*\*\* Begin Patch\s*$/m.test(text);
}

export function patchTargets(text: string): string[] {
  const files: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = HEADER.exec(line.trim());
    if (match) files.push(match[1]!.trim());
  }
  return files;
}
