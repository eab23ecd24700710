import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test as base, type Browser, type Page } from "@playwright/test";
import { simpleParser, type ParsedMail } from "mailparser";

/**
 * Shared by every spec: the base URL the global setup actually served on (it may have moved
 * off 3210), the first superuser's printed credentials, and a few UI steps written once.
 */
export const test = base.extend({
  baseURL: async ({ baseURL }, provide) => {
    await provide(process.env.E2E_BASE_URL ?? baseURL);
  },
  // What the browser saw (errors thrown in the page, console errors, navigations, a crash),
  // printed when a test fails: a screenshot alone does not say why a page went blank.
  page: async ({ page }, provide, testInfo) => {
    const seen: string[] = [];
    const note = (what: string) => seen.push(`${new Date().toISOString().slice(11, 23)} ${what}`);
    page.on("pageerror", (error) => note(`page error: ${error.message}`));
    page.on("console", (message) => message.type() === "error" && note(`console error: ${message.text()}`));
    page.on("framenavigated", (frame) => frame === page.mainFrame() && note(`navigated to ${frame.url()}`));
    page.on("crash", () => note("the page crashed"));
    await provide(page);
    if (testInfo.status !== testInfo.expectedStatus && seen.length) {
      console.error(`[browser] ${testInfo.title}\n${seen.map((line) => `  ${line}`).join("\n")}`);
    }
  },
});
export { expect };

export type Locale = "fr" | "en";

/** The first superuser, as `npm start` printed it (see e2e/global-setup.ts). */
export function superuser() {
  const email = process.env.E2E_ADMIN_EMAIL;
  const password = process.env.E2E_ADMIN_PASSWORD;
  if (!email || !password) throw new Error("E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD missing: run through playwright.config.ts (global setup)");
  return { email, password };
}

let counter = 0;
/** An address no other test (or earlier run on a reused database) has used. */
export function uniqueEmail(prefix: string) {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@e2e.example.org`;
}

/** The texts a person reads, as the message files promise them (checked, not imported). */
export const text = {
  fr: {
    signInTitle: "Connexion",
    email: "Adresse email",
    password: "Mot de passe",
    signInButton: "Se connecter",
    invalidCredentials: "Adresse email ou mot de passe incorrect.",
    home: "Bienvenue sur chora",
    forbidden: "Accès refusé",
    languageNav: "Langue",
    checkFields: "Veuillez corriger les champs signalés.",
    emailInvalid: "Saisissez une adresse email valide.",
    tooShort10: "Au moins 10 caractères.",
    name: "Nom",
    locale: "Langue",
    role: "Rôle",
    confirmPassword: "Confirmez le mot de passe",
    createUser: "Créer l’utilisateur",
    usersTitle: "Comptes d’utilisateurs",
  },
  en: {
    signInTitle: "Sign in",
    email: "Email",
    password: "Password",
    signInButton: "Sign in",
    invalidCredentials: "Wrong email or password.",
    home: "Welcome to chora",
    forbidden: "Access denied",
    languageNav: "Language",
    checkFields: "Please correct the highlighted fields.",
    emailInvalid: "Enter a valid email address.",
    tooShort10: "At least 10 characters.",
    name: "Name",
    locale: "Language",
    role: "Role",
    confirmPassword: "Confirm the password",
    createUser: "Create the user",
    usersTitle: "Users",
  },
} as const;

/**
 * The page's own content. Scoping to it keeps locators off the header (whose language
 * navigation is labelled "Langue", like the user form's language field) and off Next's
 * route announcer (an empty role="alert" on every page).
 */
export const main = (page: Page) => page.getByRole("main");

/** The sign-in form of the page (the header also has a "Sign in" link, never a button). */
export function signInForm(page: Page, locale: Locale) {
  const t = text[locale];
  return {
    email: main(page).getByLabel(t.email, { exact: true }),
    password: main(page).getByLabel(t.password, { exact: true }),
    submit: main(page).getByRole("button", { name: t.signInButton, exact: true }),
    alert: main(page).getByRole("alert"),
  };
}

/** Fills and submits the sign-in form; the caller asserts where it lands. */
export async function submitSignIn(page: Page, locale: Locale, email: string, password: string) {
  const form = signInForm(page, locale);
  await form.email.fill(email);
  await form.password.fill(password);
  await form.submit.click();
}

/** Signs in from /{locale}/sign-in and waits to leave the sign-in page. */
export async function signIn(page: Page, locale: Locale, who: { email: string; password: string }) {
  await page.goto(`/${locale}/sign-in`);
  // toHaveText rather than a name filter: a failure then shows the heading actually there.
  await expect(main(page).getByRole("heading", { level: 1 })).toHaveText(text[locale].signInTitle);
  await submitSignIn(page, locale, who.email, who.password);
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** A second, independent browser session (own cookies) on the same server. */
export async function newSession(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL, locale: "en-GB" });
  return { context, page: await context.newPage() };
}

/**
 * Creates a member through /fr/manage/users/new; the page must be signed in as an admin (as a
 * superuser to give another `role`). Returns the new user's id (from the edit screen the form
 * redirects to).
 */
export async function createMember(page: Page, member: { name: string; email: string; password: string }, role: "member" | "admin" = "member") {
  await page.goto("/fr/manage/users/new");
  const form = main(page);
  await expect(form.getByRole("heading", { level: 1, name: "Nouvel utilisateur" })).toBeVisible();
  await form.getByLabel("Nom", { exact: true }).fill(member.name);
  await form.getByLabel("Adresse email", { exact: true }).fill(member.email);
  await expect(form.getByLabel("Rôle", { exact: true })).toHaveValue("member");
  if (role !== "member") await form.getByLabel("Rôle", { exact: true }).selectOption(role);
  await form.getByLabel("Mot de passe", { exact: true }).fill(member.password);
  await form.getByLabel("Confirmez le mot de passe", { exact: true }).fill(member.password);
  await form.getByRole("button", { name: "Créer l’utilisateur" }).click();
  await expect(page).toHaveURL(/\/fr\/manage\/users\/\d+\?created=1$/);
  await expect(form.getByRole("status")).toHaveText("Utilisateur créé.");
  await expect(form.getByRole("heading", { level: 1, name: member.email })).toBeVisible();
  return Number(/\/users\/(\d+)/.exec(page.url())![1]);
}

/**
 * Creates a subscriber group labelled `label` in both languages from /en/manage/subscriptions (the
 * page must be signed in as an admin); returns the new group's page path.
 */
export async function createGroup(page: Page, label: string) {
  await page.goto("/en/manage/subscriptions");
  // With no group yet, the "New group" form is already open: a click would close it.
  const first = main(page).getByLabel("Label (Français)", { exact: true });
  if (!(await first.isVisible())) await main(page).getByText("New group", { exact: true }).click();
  await first.fill(label);
  await main(page).getByLabel("Label (English)", { exact: true }).fill(label);
  await main(page).getByRole("button", { name: "Create the group" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/subscriptions\/\d+/, { timeout: 30_000 });
  return new URL(page.url()).pathname;
}

/** Pastes `emails` (added as confirmed) into the group whose page is open. */
export async function pasteIntoGroup(page: Page, emails: string[]) {
  const paste = main(page).locator("form", { has: page.getByRole("heading", { name: "Paste addresses" }) });
  await paste.getByLabel("Addresses", { exact: true }).fill(emails.join("\n"));
  await paste.getByRole("button", { name: "Add these addresses" }).click();
  await expect(paste.getByRole("status")).toBeVisible();
}

/** Someone an admin adds to a group by hand: confirmed at once. */
export type Subscriber = { email: string; name?: string; phone?: string };

/** Adds `person` with the "Add one address" form of the group whose page is open. */
export async function addToGroup(page: Page, person: Subscriber) {
  const form = main(page).getByRole("form", { name: "Add one address" });
  await form.getByLabel("Email address").fill(person.email);
  await form.getByLabel("Name (optional)").fill(person.name ?? "");
  await form.getByLabel("Mobile number (optional)").fill(person.phone ?? "");
  await form.getByRole("button", { name: "Add", exact: true }).click();
  await expect(form.getByRole("status")).toContainText(person.email);
}

/**
 * A subscriber group of the calling spec's own, labelled `name` and a stamp (so no other spec's
 * group, nor a group of an earlier run, shares its label), holding `people`, each added confirmed
 * from its page. A spec that sends to a group makes it with this rather than relying on a group
 * another spec left behind, so it passes run alone. Returns the group's page path and label.
 */
export async function ownGroup(page: Page, name: string, people: Subscriber[]) {
  const label = `${name} ${Date.now().toString(36)}`;
  const path = await createGroup(page, label);
  for (const person of people) await addToGroup(page, person);
  return { path, label };
}

/** The mails the app wrote to its outbox (.eml files under DATA_DIR) for `address`. */
export async function outboxMailsTo(address: string): Promise<ParsedMail[]> {
  const root = path.join(process.env.E2E_TMP_DIR!, "data", "outbox");
  if (!existsSync(root)) return [];
  const found: ParsedMail[] = [];
  for (const site of readdirSync(root)) {
    for (const file of readdirSync(path.join(root, site))) {
      const raw = readFileSync(path.join(root, site, file));
      if (!raw.includes(address)) continue;
      const mail = await simpleParser(raw);
      if (mail.to && JSON.stringify(mail.to).includes(address)) found.push(mail);
    }
  }
  return found;
}

/**
 * Presses the queue screen's "Send pending messages" (the app runs with QUEUE_SCHEDULER=off) and
 * waits for "Sending started"; the page must be an admin's. Something must be due: with nothing
 * pending the screen says so instead, and this fails. So it is pressed once what is to go out is
 * queued (waitUntilQueued for a mail queued after the answer), never again until it is out: a
 * second press, once the first run has sent it, finds nothing pending.
 */
export async function sendPending(page: Page) {
  await page.goto("/en/manage/queue");
  await main(page).getByRole("button", { name: "Send pending messages" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "Sending started" })).toBeVisible();
}

/**
 * Reloads the queue screen until a message to `recipient` is in it; the page must be an admin's.
 * A password reset's mail is queued just after the visitor's answer (after()): pressing "Send
 * pending messages" at once could find nothing pending yet.
 */
export async function waitUntilQueued(page: Page, recipient: string) {
  await expect(async () => {
    await page.goto("/en/manage/queue");
    await expect(main(page).getByRole("link", { name: recipient })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

/** Opens or closes self-registration on the default site (localhost); the page must be a superuser's. */
export async function setRegistration(page: Page, open: boolean) {
  await page.goto("/en/manage/sites");
  await main(page).getByRole("link", { name: "localhost", exact: true }).click();
  await main(page).getByLabel("Visitors may create an account").setChecked(open);
  await main(page).getByRole("button", { name: "Save" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "Site saved." })).toBeVisible();
}

/**
 * Saves the default site's (localhost) SMS transport: an SMSC's URL, or "" for the outbox
 * default. `sender`, when given, replaces the site's SMS sender ("" clears it); left out, the
 * sender stays as it is. The page must be a superuser's.
 */
export async function setSmsTransport(page: Page, url: string, sender?: string) {
  await page.goto("/en/manage/sites");
  await main(page).getByRole("link", { name: "localhost", exact: true }).click();
  await main(page).getByLabel("SMS transport").fill(url);
  if (sender !== undefined) await main(page).getByLabel("SMS sender").fill(sender);
  await main(page).getByRole("button", { name: "Save" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: /saved/i })).toBeVisible();
}

/**
 * Waits until the inbound SMS holding `text` is stored, and returns its row on the SMS replies
 * screen (left open there). The listener stores it in the background: looked for by reloading,
 * as a person would, until exactly one row holds it.
 */
export async function waitForReply(page: Page, text: string) {
  const row = main(page).getByRole("row").filter({ hasText: text });
  await expect
    .poll(async () => {
      await page.goto("/en/manage/sms-replies");
      return row.count();
    }, { timeout: 30_000 })
    .toBe(1);
  return row;
}

/** Runs `steps` in a browser session of its own, `width` pixels wide, signed in as `who`. */
export async function atWidth(browser: Browser, baseURL: string | undefined, width: number, who: { email: string; password: string }, steps: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ baseURL, locale: "en-GB", viewport: { width, height: 900 } });
  try {
    const page = await context.newPage();
    await signIn(page, "en", who);
    await steps(page);
  } finally {
    await context.close();
  }
}

/** Each table of the page (by its name) that reaches past its box, and by how many pixels. */
export function tableOverflows(page: Page) {
  return main(page)
    .locator("[role=region]")
    .evaluateAll((regions) => regions.filter((r) => r.scrollWidth > r.clientWidth).map((r) => `${r.getAttribute("aria-label")}: ${r.scrollWidth - r.clientWidth} px too wide`));
}

/** The controls `offScreen` looks at unless told otherwise: links, buttons and fields. */
export const screenControls = "a, button, input, select";

/** The page's `controls` (a CSS selector) that lie (partly) off the screen's width. */
export function offScreen(page: Page, controls = screenControls) {
  return main(page)
    .locator(controls)
    .evaluateAll((elements) =>
      elements
        .filter((e) => {
          const box = e.getBoundingClientRect();
          return box.width > 0 && !e.closest(".sr-only") && (box.left < 0 || box.right > document.documentElement.clientWidth);
        })
        .map((e) => `${e.tagName.toLowerCase()} “${(e.textContent || e.getAttribute("aria-label") || "").trim().slice(0, 40)}”`),
    );
}

/** Soft-asserts that no table of the page overflows its box and none of its `controls` is off screen; `what` names the page in a failure. */
export async function expectFits(page: Page, what: string, controls = screenControls) {
  expect.soft(await tableOverflows(page), what).toEqual([]);
  expect.soft(await offScreen(page, controls), what).toEqual([]);
}

/** What the server answers the page's form posts (server actions), recorded to check that no password is in them. */
export function postAnswers(page: Page) {
  // Counted when each answer arrives, read in full when checked: a body still being read must
  // neither be missed nor delay the count.
  const answers: Promise<string>[] = [];
  page.on("response", (response) => {
    if (response.request().method() === "POST") answers.push(response.text().catch(() => ""));
  });
  return answers;
}

/** No recorded answer carried any of `secrets`; the page posted at least `atLeast` times. */
export async function expectNoPasswordIn(answers: Promise<string>[], secrets: string[], atLeast: number) {
  expect(answers.length).toBeGreaterThanOrEqual(atLeast);
  const bodies = await Promise.all(answers);
  for (const secret of secrets) expect(bodies.filter((a) => a.includes(secret)), secret).toEqual([]);
}

/**
 * Asks for a password-reset link for `email` on `visitor` (signed out), has `admin` (a superuser's
 * page) send it, and returns the link read from the outbox. The mail is queued just after the
 * answer (after()): Send pending is pressed once it is in the queue (pressed again after the run
 * sent it, the button would find nothing pending).
 */
export async function emailedResetLink(visitor: Page, admin: Page, email: string): Promise<URL> {
  await visitor.goto("/en/forgot-password");
  await main(visitor).getByLabel("Email", { exact: true }).fill(email);
  await main(visitor).getByRole("button", { name: "Send me a link" }).click();
  await expect(main(visitor).getByRole("status")).toContainText("If an account uses this address");
  await waitUntilQueued(admin, email);
  await sendPending(admin);
  await expect.poll(() => outboxMailsTo(email).then((m) => m.length), { timeout: 20_000 }).toBe(1);
  const [mail] = await outboxMailsTo(email);
  return new URL(/https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? "")![0]);
}
