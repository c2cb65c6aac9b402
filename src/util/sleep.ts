const cell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the thread for `ms` milliseconds (fractions allowed). Used only for the
 * sub-millisecond back-off between retries of a busy SQLite write, where
 * setTimeout's 1 ms floor would double the wait of most retries.
 */
export function sleepSync(ms: number): void {
  Atomics.wait(cell, 0, 0, ms);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
