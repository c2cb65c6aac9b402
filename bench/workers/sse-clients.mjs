/**
 * Live event streams of the hub (GET /api/v1/events, Server-Sent Events), one
 * per key, each its own HTTP connection, all in this process. Records, per
 * event and stream, the time from the event's commit until the chunk carrying
 * it arrived here (taken before the chunk is parsed, so parsing the other
 * streams' copies is not counted).
 *
 *   node sse-clients.mjs BASE KEYS   (KEYS comma-separated; streams ?type=bench.)
 *
 * When the event was committed, by its type:
 *   bench.tick  the committer's stamp in the summary: its clock just before the commit
 *               (performance.timeOrigin + now(), the same wall clock as here)
 *   bench.cli   the event's own `at`: the hub's Date.now() as it committed (whole ms)
 *   others      warm-up, not measured
 *
 * Protocol (IPC): "ready" once every stream answered 200; then {id, type, count}
 * starts a round: once every stream has `count` events of `type` it reports
 * {id, latencies, slowest (per event seq: its slowest stream here), missing: 0}; {stop: id} reports what came so far (with
 * missing) if that round is still on; "close" ends the streams and exits.
 */
import { request } from "node:http";

const [base, keyList] = process.argv.slice(2);
const { hostname, port } = new URL(base);
const now = () => performance.timeOrigin + performance.now();

let round; // {id, type, count, latencies, seen: Map<stream, n>}
const streams = [];

function received(stream, frames, at) {
  if (!round) return;
  for (const event of frames) {
    if (event.type !== round.type) continue;
    const committed = event.type === "bench.tick" ? Number(event.summary) : event.at;
    round.latencies.push(at - committed);
    round.slowest[event.seq] = Math.max(round.slowest[event.seq] ?? 0, at - committed);
    round.seen.set(stream, (round.seen.get(stream) ?? 0) + 1);
  }
  if (round.seen.size === streams.length && [...round.seen.values()].every((n) => n >= round.count)) finish();
}

function finish() {
  const { id, latencies, slowest, seen, count } = round;
  round = undefined;
  const missing = streams.length * count - [...seen.values()].reduce((a, b) => a + b, 0);
  process.send({ id, latencies, slowest, missing });
}

function open(key, index) {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const req = request(
      {
        host: hostname,
        port,
        path: "/api/v1/events?type=bench.",
        headers: { accept: "text/event-stream", authorization: `Bearer ${key}` },
        agent: false,
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream ${index}: HTTP ${res.statusCode}`));
          return;
        }
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          const at = now();
          buffer += chunk;
          const frames = [];
          for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split("\n").find((line) => line.startsWith("data: "));
            if (data) frames.push(JSON.parse(data.slice(6)));
          }
          received(index, frames, at);
        });
        res.on("close", () => {
          if (!closing) {
            process.stderr.write(`sse-clients: stream ${index} ended\n`);
            process.exit(1);
          }
        });
        resolve({ req, res });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

let closing = false;
const keys = keyList.split(",");
streams.push(...(await Promise.all(keys.map((key, i) => open(key, i)))));

process.on("message", (message) => {
  if (message?.stop !== undefined) {
    if (round?.id === message.stop) finish();
  } else if (message === "close") {
    closing = true;
    for (const { req, res } of streams) {
      res.destroy();
      req.destroy();
    }
    process.exit(0);
  } else if (message?.type) {
    round = {
      id: message.id,
      type: message.type,
      count: message.count,
      latencies: [],
      slowest: {},
      seen: new Map(),
    };
  }
});
process.send("ready");
