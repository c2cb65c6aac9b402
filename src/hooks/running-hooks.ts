import { sleepSync } from "../util/sleep.js";
import type { HookProcesses } from "./hook-processes.js";

/**
 * The hooks running in this process, so that they end with it. A hook runs in
 * its own session (it must not get the terminal's Ctrl-C before baton decides),
 * so when baton is interrupted nothing else would stop it, and nobody would
 * enforce its timeout any more. While a hook runs, SIGINT, SIGTERM and SIGHUP
 * first end every hook's processes (SIGTERM, SIGKILL after the grace), then take
 * their usual course: the default action (baton ends), or the command's own
 * handler if it has one. On a plain exit the hooks get SIGKILL. Only kill -9 of
 * baton leaves them to their fate.
 */
const running = new Set<HookProcesses>();
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

let graceMs = 0;

function onSignal(signal: NodeJS.Signals): void {
  // Ours runs first (prepended), so this counts every other listener, none of them called yet.
  const othersListen = process.listenerCount(signal) > 1;
  endAll(graceMs);
  listen(false);
  // Nobody else listens: the signal's default action, as if baton had never caught it.
  if (!othersListen) process.kill(process.pid, signal);
}

function onExit(): void {
  endAll(0);
}

function listen(on: boolean): void {
  listening = on;
  for (const signal of FORWARDED) {
    if (on) process.prependListener(signal, onSignal);
    else process.off(signal, onSignal);
  }
  if (on) process.on("exit", onExit);
  else process.off("exit", onExit);
}

/** Hooks about to start: the listeners are on before the spawn, so no signal falls between it and trackHook. */
let starting = 0;

function relisten(): void {
  const want = running.size + starting > 0;
  if (want !== listening) listen(want);
}
let listening = false;

/**
 * Call before spawning a hook: a signal that arrives between the spawn and
 * trackHook (the spawned process may already run) is then handled once
 * trackHook has run, in the same tick, instead of killing baton with the hook
 * left running. Returns the call that ends the reservation.
 */
export function reserveHook(): () => void {
  starting++;
  relisten();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    starting--;
    relisten();
  };
}

/** Counts a hook as running until the returned function is called; `grace` is between SIGTERM and SIGKILL. */
export function trackHook(processes: HookProcesses, grace: number): () => void {
  graceMs = grace;
  running.add(processes);
  relisten();
  return () => {
    if (!running.delete(processes)) return;
    relisten();
  };
}

/** Synchronous: a signal handler or an exit handler has no later. */
function endAll(grace: number): void {
  for (const processes of running) {
    processes.signal("SIGTERM");
    processes.signal("SIGCONT");
  }
  const deadline = performance.now() + grace;
  while (performance.now() < deadline && [...running].some((processes) => processes.alive())) sleepSync(20);
  for (const processes of running) processes.signal("SIGKILL");
  running.clear();
}

/** Sends `signal` to every running hook's processes: a stop and a continue of baton reach its hooks too. */
export function signalRunningHooks(signal: NodeJS.Signals): void {
  for (const processes of running) processes.signal(signal);
}
