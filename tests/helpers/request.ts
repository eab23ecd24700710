/**
 * The request a test pretends to be in: who is signed in and which host was asked for.
 * Server actions read these through the two seams mocked in setup.ts.
 */
export const fakeRequest = { userId: null as number | null, host: "localhost", ip: "203.0.113.1" };

export function actAs(userId: number | null, host = "localhost") {
  fakeRequest.userId = userId;
  fakeRequest.host = host;
}
