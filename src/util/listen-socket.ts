import { unlinkSync } from "node:fs";
import type { Server } from "node:net";

/**
 * Listens on the Unix socket `path`. A socket file already there that nobody
 * listens on (left by a process that was killed) is replaced; the caller has
 * made sure that no live process owns that name.
 */
export async function listenOnSocket(server: Server, path: string): Promise<void> {
  const attempt = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    });
  try {
    await attempt();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    unlinkSync(path);
    await attempt();
  }
}
