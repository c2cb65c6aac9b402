const cell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the thread for `ms` milliseconds (fractions allowed). Used only for the
 * sub-millisecond back-off between retries of a busy SQLite write, where
 * setTimeout's 1 ms floor would double the wait of most retries.
 */
export function sleepSync(ms: number): void {
  Atomics.wait(cell, 0, 0, ms);
}

/**
 * The longest delay Node's timers take: a longer one (or a non-number) fires
 * after 1 ms instead, with only a warning. A guardian interval of 30 days
 * became a busy loop that way.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits `ms` milliseconds, however long: past the timer limit it waits in steps. */
export async function sleep(ms: number): Promise<void> {
  let left = Number.isFinite(ms) ? ms : MAX_TIMER_MS;
  do {
    const step = Math.min(Math.max(left, 0), MAX_TIMER_MS);
    await new Promise((resolve) => setTimeout(resolve, step));
    left -= step;
  } while (left > 0);
}
