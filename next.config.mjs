import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // PGlite ships WASM and data files it loads from its own folder; postgres opens sockets.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
};

export default withNextIntl(nextConfig);
