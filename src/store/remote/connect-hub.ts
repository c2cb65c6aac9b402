import { existsSync } from "node:fs";
import { dirname } from "node:path";
import type { Store } from "../port.js";
import { ownedByMe } from "./private-folder.js";
import { hubSocketPath } from "./protocol.js";
import { RemoteStore } from "./remote-store.js";

/**
 * The hub serving the store at `location`, if one answers on its socket:
 * a RemoteStore that falls back to `direct` should the hub go away later.
 * Undefined when none answers (no socket file: the common case costs one stat),
 * or when the one answering serves another store.
 */
export async function connectHub(location: string, direct: () => Store): Promise<RemoteStore | undefined> {
  const socketPath = hubSocketPath(location);
  if (!existsSync(socketPath)) return undefined;
  // Not ours: never talk to it (private-folder.ts); the file is opened directly instead.
  if (!ownedByMe(dirname(socketPath), "folder") || !ownedByMe(socketPath, "socket")) return undefined;
  const remote = await RemoteStore.connect({ socketPath, fallback: direct });
  if (remote && remote.location !== location) {
    await remote.close();
    return undefined;
  }
  return remote;
}
