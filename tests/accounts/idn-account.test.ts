import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users, type Site, type User } from "@/db/schema";
import { createUserAction } from "@/app/[locale]/manage/users/actions";
import { verifyCredentials } from "@/lib/auth/credentials";
import { siteFields } from "@/lib/sites/schema";
import { templateFields } from "@/lib/newsletters/templates";
import { userFields } from "@/lib/users/schemas";
import { actAs } from "../helpers/request";
import { makeSite, makeUser, TEST_PASSWORD } from "../helpers/factories";
import { expectFailure, run, type AnyAction } from "../helpers/actions";

// An account, a site's sender or a template's From on an accented domain (crème.fr): typed as
// people write it, stored in the ASCII form mail uses (xn--crme-6oa.fr), and the same person
// whichever form they type at sign-in. z.email() alone refused every such address.
let site: Site;
let admin: User;

beforeAll(async () => {
  site = await makeSite();
  admin = await makeUser(site.id, "superuser");
});

describe("addresses on an accented domain", () => {
  it("create an account stored in ASCII, which signs in with either form", async () => {
    actAs(admin.id, site.domain);
    const created = await run(createUserAction as AnyAction, {
      name: "Zoé", email: " Zoe@Crème.FR ", locale: "fr", role: "member", password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD, back: "/fr/manage/users",
    });
    expect(created).toMatchObject({ redirect: expect.stringMatching(/^\/fr\/manage\/users\/\d+\?created=1$/) });
    const [user] = await db.select().from(users).where(eq(users.email, "zoe@xn--crme-6oa.fr"));
    expect(user?.name).toBe("Zoé");
    for (const typed of ["zoe@crème.fr", "ZOE@xn--crme-6oa.fr"]) {
      expect(await verifyCredentials({ email: typed, password: TEST_PASSWORD, ip: "203.0.113.50", siteId: site.id }), typed).toMatchObject({ ok: true });
    }
  });

  it("still refuse what is no address, with the email error", async () => {
    for (const bad of ["zoe@crème", "zoe@@crème.fr", "crème.fr", `${"a".repeat(320)}@crème.fr`]) {
      expect(userFields.email.safeParse(bad).success, bad).toBe(false);
    }
    actAs(admin.id, site.domain);
    const refused = await run(createUserAction as AnyAction, { name: "X", email: "zoe@crème", locale: "fr", role: "member", password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD, back: "/fr/manage/users" });
    expect(expectFailure(refused).fieldErrors?.email).toEqual({ key: "errors.email" });
  });

  it("take a site's sender and a template's From and Reply-To", () => {
    expect(siteFields.shape.senderEmail.parse("news@Crème.fr")).toBe("news@xn--crme-6oa.fr");
    expect(siteFields.shape.senderEmail.parse("")).toBe("");
    const fields = templateFields;
    expect(fields.fromAddress.parse("Club@crème.fr")).toBe("club@xn--crme-6oa.fr");
    expect(fields.replyTo.parse("")).toBe("");
    expect(fields.replyTo.safeParse("club@").success).toBe(false);
  });
});
