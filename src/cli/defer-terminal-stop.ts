import { signalRunningHooks } from "../hooks/running-hooks.js";

/**
 * Ctrl-Z (SIGTSTP) stops a process wherever it is. If that is inside a write
 * transaction, the process keeps the database's write lock while stopped, and
 * every other agent's write waits on it (and then fails with store_stalled).
 *
 * With a handler, Node only queues the signal: the handler runs on the event
 * loop, after the synchronous code in progress. Every write transaction is
 * synchronous (BEGIN IMMEDIATE to COMMIT in one call, Connection.write), so the
 * handler runs once the transaction has ended, and then stops the process for
 * real with SIGSTOP, which cannot be caught. The shell sees its job stopped as
 * usual, and `fg` (SIGCONT) resumes it. A stop a user asks for comes at most one
 * transaction late, i.e. milliseconds.
 *
 * SIGSTOP itself and a debugger cannot be deferred; a waiting writer detects
 * those (retryWhileBusy) and says who holds the lock.
 */
export function deferTerminalStop(): void {
  process.on("SIGTSTP", () => {
    // Hooks run in their own session, out of the terminal's reach: they stop and go on with baton.
    signalRunningHooks("SIGSTOP");
    process.kill(process.pid, "SIGSTOP");
    // Runs once baton is continued (`fg`, SIGCONT).
    signalRunningHooks("SIGCONT");
  });
}
