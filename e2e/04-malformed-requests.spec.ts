import type { APIRequestContext } from "@playwright/test";
import { expect, signIn, submitSignIn, superuser, test } from "./support";

/**
 * Malformed requests are the client's fault: the answer may be a 3xx, 4xx or a page, never a
 * 500. Redirects are not followed unless said, so each status is the app's own answer.
 */

const noFollow = { maxRedirects: 0, failOnStatusCode: false } as const;

test("garbage posted to the Auth.js credentials callback", async ({ request }) => {
  const url = "/api/auth/callback/credentials";
  const bodies: { name: string; headers?: Record<string, string>; data?: string | Buffer }[] = [
    { name: "empty body" },
    { name: "urlencoded junk", headers: { "content-type": "application/x-www-form-urlencoded" }, data: "%%%&&&==email&password" },
    { name: "urlencoded without csrf", headers: { "content-type": "application/x-www-form-urlencoded" }, data: "email=a%40b.c&password=x" },
    { name: "broken JSON", headers: { "content-type": "application/json" }, data: '{"email": [1, ' },
    { name: "JSON of the wrong shape", headers: { "content-type": "application/json" }, data: '{"email": {"$ne": null}, "password": 42}' },
    { name: "multipart without boundary", headers: { "content-type": "multipart/form-data" }, data: "junk" },
    { name: "binary", headers: { "content-type": "application/octet-stream" }, data: Buffer.from([0, 255, 1, 254, 2, 253]) },
    { name: "huge field", headers: { "content-type": "application/x-www-form-urlencoded" }, data: `email=${"a".repeat(200_000)}&password=x` },
  ];
  for (const body of bodies) {
    const response = await request.post(url, { ...noFollow, headers: body.headers, data: body.data });
    expect(response.status(), body.name).toBeLessThan(500);
  }
  const get = await request.get("/api/auth/callback/credentials?email=x", noFollow);
  expect(get.status(), "GET").toBeLessThan(500);
});

test("a bogus server action posted to /fr/sign-in", async ({ request }) => {
  const cases: { name: string; headers: Record<string, string>; data: string | Buffer }[] = [
    { name: "unknown action id, text", headers: { "next-action": "not-an-action", "content-type": "text/plain;charset=UTF-8" }, data: "junk" },
    { name: "unknown hex id, JSON junk", headers: { "next-action": "7f".repeat(21), "content-type": "text/plain;charset=UTF-8" }, data: '["$K1",{"x":' },
    { name: "multipart junk", headers: { "next-action": "0".repeat(42), "content-type": "multipart/form-data; boundary=----x" }, data: "------x\r\nnot a part\r\n" },
    { name: "urlencoded junk", headers: { "next-action": "abc", "content-type": "application/x-www-form-urlencoded" }, data: "%%%" },
    { name: "empty action id", headers: { "next-action": "", "content-type": "text/plain" }, data: "" },
  ];
  for (const c of cases) {
    const response = await request.post("/fr/sign-in", { ...noFollow, headers: c.headers, data: c.data });
    expect(response.status(), c.name).toBeLessThan(500);
  }
});

test("a real server action given a body its client never sends answers 4xx, not 500", async ({ page, request, baseURL }) => {
  // The id of a real action, as the browser posts it: the sign-in form's, with a wrong password.
  await page.goto("/en/sign-in");
  const posted = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await submitSignIn(page, "en", "nobody@example.org", "not the password");
  const id = (await posted).headers()["next-action"];
  expect(id).toMatch(/^[0-9a-f]{20,}$/);

  const origin = new URL(baseURL!).origin;
  const post = (data: string | Buffer, headers: Record<string, string> = {}) =>
    request.post("/en/sign-in", { ...noFollow, headers: { "next-action": id, origin, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8", ...headers }, data });
  const cases: [string, () => ReturnType<typeof post>][] = [
    ["broken JSON", () => post("[null,{bad")],
    ["empty body", () => post("")],
    ["not an array", () => post('"x"')],
    ["a Map part a text body cannot carry", () => post('[null,"$Q1"]')],
    ["a Blob part", () => post('[null,"$B0"]')],
    ["nesting that overflows the decoder", () => post(`[null,${"[".repeat(5000)}${"]".repeat(5000)}]`)],
    ["multipart with a boundary and garbage", () => post("garbage", { "content-type": "multipart/form-data; boundary=zz" })],
    ["multipart without a boundary", () => post("garbage", { "content-type": "multipart/form-data" })],
    ["over the size limit", () => post(`[null,"${"x".repeat(4_000_000)}"]`)],
    ["another origin", () => post("[null,{}]", { origin: "http://evil.example" })],
    ["a null origin", () => post("[null,{}]", { origin: "null" })],
  ];
  for (const [name, send] of cases) {
    const response = await send();
    expect(response.status(), name).toBeGreaterThanOrEqual(400);
    expect(response.status(), name).toBeLessThan(500);
  }
  // The same action, well formed, still answers (a refused sign-in, as the browser got it).
  const fine = await post(JSON.stringify([null, { email: "nobody@example.org", password: "x", locale: "en" }]));
  expect(fine.status()).toBeLessThan(400);
});

test("Auth.js's own endpoints and the first-visit redirect stay on the domain the visitor asked for", async ({ request }) => {
  // Behind a proxy the server sees itself as localhost; the visitor asked for news.example.org.
  const headers = { "x-forwarded-host": "news.example.org", "x-forwarded-proto": "https" };
  const signout = await request.get("/api/auth/signout", { ...noFollow, headers });
  expect(await signout.text()).toContain('action="https://news.example.org/api/auth/signout"');
  const providers = JSON.stringify(await (await request.get("/api/auth/providers", { ...noFollow, headers })).json());
  expect(providers).toContain("https://news.example.org/api/auth/callback/credentials");
  expect(providers).not.toContain("localhost");
  const signin = await request.get("/api/auth/signin", { ...noFollow, headers });
  expect(signin.headers().location ?? "").not.toContain("localhost");
  const first = await request.get("/api/locale?to=%2Fsign-in", { ...noFollow, headers: { ...headers, "accept-language": "en" } });
  expect(first.headers().location).toBe("/en/sign-in");
});

test("/api/locale only redirects within the site", async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  for (const to of ["//evil.example", "/\\evil.example", "https://evil.example/", "//evil.example/%2F..", "/%2F%2Fevil.example", "\\\\evil.example", "javascript:alert(1)", ""]) {
    const response = await request.get(`/api/locale?to=${encodeURIComponent(to)}`, noFollow);
    expect(response.status(), to).toBeGreaterThanOrEqual(300);
    expect(response.status(), to).toBeLessThan(400);
    const target = new URL(response.headers().location, origin);
    expect(target.origin, `${to} → ${response.headers().location}`).toBe(origin);
    expect(target.pathname, to).toMatch(/^\/(fr|en)(\/|$)/);
  }
});

/** Paths whose id or locale is nonsense. */
const oddPaths = [
  "/xx/unknown",
  "/fr/unknown/page",
  "/fr/manage/users/abc",
  "/fr/manage/users/1.5",
  "/fr/manage/users/-1",
  "/fr/manage/users/99999999999",
  "/fr/manage/sites/1.5",
  "/fr/manage/sites/abc",
  "/fr/manage/sites/99999999999",
];

async function expectNoServerError(request: APIRequestContext, path: string) {
  const response = await request.get(path, { failOnStatusCode: false });
  expect(response.status(), `${path} (followed to ${response.url()})`).toBeLessThan(500);
  return response;
}

test("odd paths signed out", async ({ request }) => {
  for (const path of oddPaths) await expectNoServerError(request, path);
  const unknown = await expectNoServerError(request, "/xx/unknown");
  expect(unknown.status()).toBe(404);
});

test("odd paths as the superuser reach the pages' own id handling", async ({ page }) => {
  await signIn(page, "fr", superuser());
  for (const path of oddPaths) {
    const response = await expectNoServerError(page.request, path);
    if (path.startsWith("/fr/manage/")) expect(response.status(), `${path} is not a record`).toBe(404);
  }
  // And the browser shows the translated not-found page, not an error screen.
  await page.goto("/fr/manage/sites/1.5");
  await expect(page.getByRole("heading", { level: 1, name: "Page introuvable" })).toBeVisible();
  // With a way back, as the forbidden page has.
  await page.getByRole("link", { name: "Retour à l’accueil" }).click();
  await expect(page).toHaveURL(/\/fr$/);
});

test("filters a list cannot read are named above it, and the list still shows", async ({ page }) => {
  await signIn(page, "en", superuser());
  const lists: [string, string][] = [
    ["/en/manage/queue?status=lost&channel=fax", "These filters were not understood and are ignored: Status, Channel."],
    ["/en/manage/users?role=king", "This filter was not understood and is ignored: Role."],
    // A site id that names no site: said so, and the list shows the superuser's own site.
    ["/en/manage/users?site=999999", "This filter was not understood and is ignored: Site."],
    ["/en/manage/sms-replies?kind=poem&answered=maybe&after=x", "These filters were not understood and are ignored: Kind, Answered, Page position."],
    ["/en/manage/subscriptions/sms-opt-outs?source=moon", "This filter was not understood and is ignored: Origin."],
    // A page number is only a label: a bad one is silently no number; a bad cursor is named.
    ["/en/manage/users?before=x&page=-3", "This filter was not understood and is ignored: Page position."],
  ];
  for (const [path, alert] of lists) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("main").getByRole("alert"), path).toHaveText(alert);
    await expect(page.getByRole("main").getByRole("heading", { level: 1 }), path).toBeVisible();
  }
});
