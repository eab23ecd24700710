import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // `npm start` builds with CHORA_SKIP_TYPECHECK=1: types are checked by `npm run typecheck` and
  // CI, and a newcomer's first start should not wait for them.
  typescript: { ignoreBuildErrors: process.env.CHORA_SKIP_TYPECHECK === "1" },
  // PGlite ships WASM and data files it loads from its own folder; postgres opens sockets.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
};

export default withNextIntl(nextConfig);
