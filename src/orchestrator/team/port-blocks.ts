import { createServer } from "node:net";
import { BatonError } from "../../errors.js";

export const PORTS_PER_AGENT = 10;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * `count` blocks of ten ports, one per agent (BATON_PORT … +9), so parallel dev
 * servers never clash: from `base` upwards, skipping any block with a port
 * something already listens on, or one another agent of this team was given
 * (`taken`: the first port of each block already handed out).
 */
export async function freePortBlocks(
  count: number,
  base: number,
  taken: ReadonlySet<number>,
): Promise<number[]> {
  const blocks: number[] = [];
  for (let start = base; blocks.length < count; start += PORTS_PER_AGENT) {
    if (start + PORTS_PER_AGENT - 1 > 65_535)
      throw new BatonError(
        "invalid_state",
        `no free block of ${PORTS_PER_AGENT} ports from ${base} up`,
        "stop what listens there, or start from another port (team.port_base in .baton/config.json)",
      );
    if (taken.has(start)) continue;
    let free = true;
    for (let port = start; port < start + PORTS_PER_AGENT && free; port++) free = await isFree(port);
    if (free) blocks.push(start);
  }
  return blocks;
}
