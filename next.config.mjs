import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // `npm start` builds with CHORA_SKIP_TYPECHECK=1: types are checked by `npm run typecheck` and
  // CI, and a newcomer's first start should not wait for them.
  typescript: { ignoreBuildErrors: process.env.CHORA_SKIP_TYPECHECK === "1" },
  // PGlite ships WASM and data files it loads from its own folder; postgres opens sockets;
  // date-holidays carries 800 kB of holiday rules, read once from node_modules rather than bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "date-holidays"],
};

export default withNextIntl(nextConfig);
