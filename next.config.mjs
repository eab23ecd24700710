import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

// Server actions take 1 MB by default, but the subscriber import sends up to MAX_CSV_BYTES of CSV
// as a JSON string, where quotes and line breaks take two bytes each: a legitimate 900 kB file
// could fail as "unexpected error". This is ACTION_BODY_LIMIT of lib/newsletters/import-limits.ts,
// worked out the same way (this file cannot import TypeScript; a test checks the two agree):
// twice MAX_CSV_BYTES, plus 64 kB for the action's other fields.
const MAX_CSV_BYTES = 900_000;
export const ACTION_BODY_LIMIT = 2 * MAX_CSV_BYTES + 64 * 1024;

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // `npm start` builds with CHORA_SKIP_TYPECHECK=1: types are checked by `npm run typecheck` and
  // CI, and a newcomer's first start should not wait for them.
  typescript: { ignoreBuildErrors: process.env.CHORA_SKIP_TYPECHECK === "1" },
  // PGlite ships WASM and data files it loads from its own folder; postgres opens sockets;
  // date-holidays carries 800 kB of holiday rules, read once from node_modules rather than bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "date-holidays"],
  // authInterrupts: forbidden() (lib/auth/guard.ts), so a signed-in visitor without the role gets a 403.
  experimental: { serverActions: { bodySizeLimit: ACTION_BODY_LIMIT }, authInterrupts: true },
};

export default withNextIntl(nextConfig);
