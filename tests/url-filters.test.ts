import { describe, expect, it } from "vitest";
import { parseQueueFilters } from "@/lib/queue/filters";
import { parseSubscriptionFilters } from "@/lib/newsletters/subscriptions/filters";
import { parseReplyFilters } from "@/lib/sms/replies";
import { urlBigId, urlId } from "@/lib/url-filters";
import { parseUserFilters } from "@/lib/users/list";

describe("ids in list URLs", () => {
  it("an integer column's id stops at 2147483647; beyond, it is not an id", () => {
    expect(urlId.safeParse("2147483647").data).toBe(2_147_483_647);
    for (const v of ["2147483648", "99999999999", "999999999999999", "0", "-1", "1e3", " 7", "0x1"]) expect(urlId.safeParse(v).success, v).toBe(false);
  });

  it("a bigint column's id goes on to the largest safe integer", () => {
    expect(urlBigId.safeParse("2147483648").data).toBe(2_147_483_648);
    expect(urlBigId.safeParse("999999999999999").data).toBe(999_999_999_999_999);
    for (const v of ["0", "1234567890123456", "1.5"]) expect(urlBigId.safeParse(v).success, v).toBe(false);
  });

  it("each list reads a too-large id as a filter it cannot read, or keeps it when its column is a bigint", () => {
    const big = "2147483648";
    expect(parseUserFilters({ site: big, after: big, role: "admin" })).toEqual({ filters: { role: "admin" }, invalid: ["site", "after"] });
    // Queue rows, subscriptions and SMS replies have bigint ids: their cursor may pass 2^31.
    expect(parseQueueFilters({ site: "99999999999", after: big })).toEqual({ filters: { after: 2_147_483_648 }, invalid: ["site"] });
    expect(parseSubscriptionFilters({ after: big }).filters).toEqual({ after: 2_147_483_648 });
    expect(parseReplyFilters({ after: big }, "FR").filters).toEqual({ after: 2_147_483_648 });
  });
});
