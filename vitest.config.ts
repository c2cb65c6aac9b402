import { defineConfig } from "vitest/config";

/**
 * Files that must have the machine to themselves: they start many processes at
 * once (concurrency, the Node 24 pass, the real agent hosts), kill or stall a
 * process on purpose and time how fast the others notice (hub, store-stall,
 * hook-tree), or time a wake-up. Beside another file on a 2-core machine they
 * would measure the scheduler, not baton. They run one at a time, after the rest.
 */
const SERIAL = [
  "test/concurrency.test.ts",
  "test/node24.test.ts",
  "test/store-stall.e2e.test.ts",
  "test/hub.e2e.test.ts",
  "test/serve.e2e.test.ts",
  "test/after-commit.e2e.test.ts",
  "test/hook-tree.e2e.test.ts",
  "test/store-errors.e2e.test.ts",
];
/**
 * The real agent hosts: each file starts a few host processes against its own fake model and
 * waits on them, timing nothing. Two at a time, apart from the rest: beside the end-to-end suites
 * their start-ups (a few seconds of CPU each) slowed both; beside each other they overlap waits.
 * The web app's files (test/web: a real chromium against a real hub) are of the same kind.
 */
const HOSTS = ["test/hosts/**/*.test.ts", "test/web/**/*.test.ts"];
const ALL = ["src/**/*.test.ts", "test/**/*.test.ts"];

export default defineConfig({
  test: {
    // End-to-end tests run dozens of CLI processes; beside another file they take up to twice as long.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        // Everything else runs two files at a time (the machines have 2 cores): each file
        // makes its own temp repositories, ports and key prefixes, so files share nothing.
        test: {
          name: "parallel",
          include: ALL,
          exclude: [...SERIAL, ...HOSTS],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "hosts", include: HOSTS, maxWorkers: 2, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: "serial", include: SERIAL, fileParallelism: false, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
