import { afterAll, beforeAll, vi } from "vitest";
import { fakeRequest, fakeSessionStamp } from "./request";
import { closeTestDb, openTestDb } from "./db";

// The seams between the app and the HTTP request: the session cookie and the headers.
vi.mock("@/lib/auth/session", () => ({
  sessionIdentity: async () => (fakeRequest.userId === null ? null : { userId: fakeRequest.userId, stamp: await fakeSessionStamp() }),
  renewSession: async (email: string, password: string) => {
    fakeRequest.renewed.push({ email, password });
    fakeRequest.stamp = undefined; // the browser now holds a session opened with the new password
    return true;
  },
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: fakeRequest.host, "x-forwarded-for": fakeRequest.ip }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));

beforeAll(openTestDb);
afterAll(closeTestDb);
