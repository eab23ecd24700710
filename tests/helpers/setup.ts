import { afterAll, afterEach, beforeAll, vi } from "vitest";
import { afterResponse, fakeRequest, fakeSessionStamp, stampOfAccount } from "./request";
import { closeTestDb, openTestDb } from "./db";

// The seams between the app and the HTTP request: the session cookie and the headers.
vi.mock("@/lib/auth/session", () => ({
  sessionIdentity: async () =>
    fakeRequest.userId === null ? null : { userId: fakeRequest.userId, stamp: await fakeSessionStamp(), sid: fakeRequest.sid, expiresAt: fakeRequest.expiresAt },
  openSession: async (email: string, password: string) => {
    fakeRequest.opened.push({ email, password });
    if (fakeRequest.refuseSignIn) return false; // sign-in refused: the browser keeps its old cookie
    // The browser now holds a session opened with the password stored at this moment: one opened
    // before a new hash is written would keep the old stamp, and fail the next action.
    fakeRequest.stamp = await stampOfAccount(email);
    return true;
  },
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: fakeRequest.host, "x-forwarded-for": fakeRequest.ip }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));
// after() needs Next's request scope; here its work waits for the test's afterResponse().
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: Promise<unknown> | (() => unknown)) => void fakeRequest.afterResponse.push(task),
}));
// Whatever a test left for after the response runs before the next test, as it would on a server.
afterEach(afterResponse);

// refresh() only works inside a real server action request; here it is counted instead.
vi.mock("next/cache", async (original) => ({
  ...(await original<typeof import("next/cache")>()),
  refresh: () => {
    fakeRequest.refreshes++;
  },
}));

beforeAll(openTestDb);
afterAll(closeTestDb);
