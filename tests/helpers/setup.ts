import { afterAll, beforeAll, vi } from "vitest";
import { fakeRequest } from "./request";
import { closeTestDb, openTestDb } from "./db";

// The two seams between the app and the HTTP request: the session cookie and the headers.
vi.mock("@/lib/auth/session", () => ({ sessionUserId: async () => fakeRequest.userId }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: fakeRequest.host, "x-forwarded-for": fakeRequest.ip }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));

beforeAll(openTestDb);
afterAll(closeTestDb);
