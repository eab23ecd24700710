import { beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { db } from "@/db/client";
import { smsReplies, type Site, type User } from "@/db/schema";
import { GET as exportReplies } from "@/app/api/sms/replies/export/route";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";

/**
 * CSV exports guard a cell that starts like a formula (lib/csv.ts) and quote a cell holding a
 * comma, a quote or a line break. They do not quote a semicolon. A spreadsheet set up for
 * French (Excel takes the separator of a .csv from the regional list separator, ";" in France,
 * the product's first language; the import screen itself reads ";" files) splits every line at
 * ";" instead: a cell "Bonjour;=1+1;" becomes three, the middle one a formula the guard never saw.
 * SMS replies are written by anyone with a phone; self-registered names and imported names
 * travel the same way. Quoting the cell is not enough: the quote is in the middle of a
 * ";"-separated field (the line's earlier comma-separated cells come before it), where a
 * spreadsheet reads it as a plain character.
 */

/** Fields of one line as a ";"-separated reader sees them (RFC 4180 quoting, ";" as the separator). */
function semicolonFields(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ";") {
      out.push(field);
      field = "";
    }
    else field += c;
  }
  out.push(field);
  return out;
}
const formula = /^[=+\-@\t\r]/;

let site: Site;
let admin: User;
beforeAll(async () => {
  site = await makeSite({ domain: "csv-semicolon-review.example.org" });
  admin = await makeUser(site.id, "admin");
  await db.insert(smsReplies).values({ siteId: site.id, phone: "+33612349876", text: "Bonjour;=1+1;" });
});

describe("a cell holding a semicolon", () => {
  it("the SMS replies export, read by a ';'-separated spreadsheet, has no cell that starts like a formula", async () => {
    actAs(admin.id, site.domain);
    const res = await exportReplies(new NextRequest(`http://${site.domain}/api/sms/replies/export`));
    const lines = (await res.text()).replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
    const reply = lines.find((l) => l.includes("Bonjour"))!;
    expect(reply).toBeDefined();
    const starting = semicolonFields(reply).filter((f) => formula.test(f));
    expect(starting).toEqual([]);
  });
});
