import { describe, expect, it } from "vitest";
import { readImport } from "@/lib/newsletters/import/read";

/**
 * The import takes the first column whose header is one of its email names, and "Adresse" /
 * "Address" are among them. A members' list as associations keep it (name, postal address, town,
 * phone, e-mail) has its postal "Adresse" before its "E-mail": the import reads the street as
 * the address and refuses every row as an invalid email, though the file has a column named
 * "E-mail" full of addresses.
 */
const csv = [
  "Nom;Prénom;Adresse;Code postal;Ville;Téléphone;E-mail",
  "Dupont;Jean;12 rue de la Paix;75002;Paris;06 12 34 56 78;jean.dupont@example.org",
  "Martin;Anne;3 place Bellecour;69002;Lyon;;anne.martin@example.org",
].join("\r\n");

describe("a CSV with a postal address column before its e-mail column", () => {
  it("reads the addresses from the e-mail column", () => {
    const { columns, rows } = readImport(csv, "auto", "FR");
    expect(columns.labels.email).toBe("E-mail");
    expect(rows.map((r) => [r.email, r.name, r.problem])).toEqual([
      ["jean.dupont@example.org", "Jean Dupont", null],
      ["anne.martin@example.org", "Anne Martin", null],
    ]);
  });

  it("also in English: Name, Address, City, Email", () => {
    const { columns, rows } = readImport("Name,Address,City,Email\nAnn Smith,1 High Street,Leeds,ann@example.org\n", "auto", "GB");
    expect(columns.labels.email).toBe("Email");
    expect(rows.map((r) => [r.email, r.problem])).toEqual([["ann@example.org", null]]);
  });
});
