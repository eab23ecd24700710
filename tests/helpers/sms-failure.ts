import { expect } from "vitest";
import { SmsSendError } from "@/lib/sms/transport";

/** The SmsSendError a send ends with (the test fails if it succeeds or throws anything else). */
export async function smsFailure(promise: Promise<unknown>): Promise<SmsSendError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmsSendError);
  return err as SmsSendError;
}
