import { beforeAll, describe, expect, it } from "vitest";
import type { Site, User } from "@/db/schema";
import { createUserAction, updateUserAction } from "@/app/[locale]/manage/users/actions";
import { actAs } from "../helpers/request";
import { makeSite, makeUser, TEST_PASSWORD } from "../helpers/factories";
import { run } from "../helpers/actions";

/**
 * lib/auth/registration.ts: emails are unique across the installation, and "this site's
 * administrators ... must not learn ... whether an address has an account elsewhere" (another
 * organisation's site). The users screen tells them all the same: creating a member, or changing
 * a member's address, with an address that has an account on another site answers
 * "errors.emailTaken" on the email field, and a free address does not. An administrator of one
 * site can so test any address against every other site of the installation.
 */
let siteA: Site;
let siteB: Site;
let adminA: User;
let memberA: User;
let memberB: User;

beforeAll(async () => {
  siteA = await makeSite({ domain: "probe-a-review.example.org" });
  siteB = await makeSite({ domain: "probe-b-review.example.org" });
  adminA = await makeUser(siteA.id, "admin");
  memberA = await makeUser(siteA.id, "member");
  memberB = await makeUser(siteB.id, "member", { email: "client-of-b@example.net" });
});

const keyOf = (outcome: Awaited<ReturnType<typeof run>>) =>
  "redirect" in outcome ? "created" : outcome.ok ? "saved" : `${outcome.error.key}/${outcome.fieldErrors?.email?.key ?? ""}`;

describe("an administrator of site A and an address with an account on site B", () => {
  it("creating a member with it answers as for an address nobody uses on site A's side", async () => {
    actAs(adminA.id, siteA.domain);
    const create = (email: string) =>
      run(createUserAction, { name: "New", email, locale: "en", role: "member", password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD, back: "/en/manage/users" });
    const taken = keyOf(await create(memberB.email));
    const free = keyOf(await create("nobody-anywhere@example.net"));
    expect(taken, "the answer tells site A's admin that the address has an account on another site").toBe(free);
  });

  it("changing a member's address to it likewise", async () => {
    actAs(adminA.id, siteA.domain);
    const update = (email: string) => run(updateUserAction, { id: String(memberA.id), name: memberA.name, email, locale: "en", role: "member" });
    const taken = keyOf(await update(memberB.email));
    const free = keyOf(await update("someone-new@example.net"));
    expect(taken, "the answer tells site A's admin that the address has an account on another site").toBe(free);
  });
});
