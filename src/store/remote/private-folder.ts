import { lstatSync } from "node:fs";

/**
 * Whether `path` (the hub's socket, or its folder) belongs to this user and no
 * one else may write it. The folder is in the shared temp directory under a
 * name anyone can compute: a socket planted there by another user would
 * receive every operation of the store, decisions included, and answer them.
 */
export function ownedByMe(path: string, kind: "folder" | "socket"): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true; // no Unix users to tell apart (Windows has no such sockets anyway)
  try {
    const stat = lstatSync(path);
    const rightKind = kind === "folder" ? stat.isDirectory() : stat.isSocket();
    return rightKind && stat.uid === uid && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
