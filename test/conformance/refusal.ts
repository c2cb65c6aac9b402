import { expect } from "vitest";
import { BatonError } from "../../src/errors.js";

/** The BatonError a store operation was refused with; fails the test if it succeeded or threw anything else. */
export async function refusal(promise: Promise<unknown>): Promise<BatonError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a refusal").toBeInstanceOf(BatonError);
  return error as BatonError;
}

/** A refusal with this code and a hint. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<BatonError> {
  const error = await refusal(promise);
  expect(error.code, `expected ${code}`).toBe(code);
  expect(error.hint.length).toBeGreaterThan(0);
  return error;
}
