import { randomBytes } from "node:crypto";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { env } from "@/lib/env";
import { siteForRequest } from "@/lib/sites/resolve";
import { clientIp, verifyCredentials } from "./credentials";
import { SESSION_MAX_AGE_S } from "./ended-sessions";
import { sessionAccount } from "./session-account";
import { identityOf } from "./session-token";
import { sessionStamp } from "./session-stamp";

declare module "next-auth" {
  interface User {
    stamp?: string;
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    stamp?: string;
    /** This session's id: signing out records it (lib/auth/ended-sessions.ts). */
    sid?: string;
    /** When the session ends (seconds since the epoch), set at sign-in and never renewed. */
    end?: number;
  }
}

class InvalidCredentials extends CredentialsSignin {
  code = "invalid";
}
class RateLimited extends CredentialsSignin {
  code = "rate_limited";
}

const credentialsInput = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });

// No `auth` export: the session is read with getToken from cookies() (lib/auth/session.ts), which
// sees a cookie a server action just set; auth() reads the request's header and would not.
export const { handlers, signIn, signOut } = NextAuth({
  secret: env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const site = await siteForRequest(request.headers);
        const result = await verifyCredentials({ ...parsed.data, ip: clientIp(request.headers), siteId: site.id });
        if (!result.ok) throw result.reason === "rate_limited" ? new RateLimited() : new InvalidCredentials();
        return { id: String(result.user.id), email: result.user.email, name: result.user.name, stamp: sessionStamp(result.user.passwordHash) };
      },
    }),
  ],
  callbacks: {
    // Only the user id, the password stamp, a session id and its end travel in the token; role, site, disabled state
    // and the current password's stamp are read from the database on every request
    // (lib/auth/actor.ts), so a change takes effect at once. The stamp is set at sign-in only:
    // an "update" call (which a browser can make) never refreshes it.
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.stamp = user.stamp;
        token.sid = randomBytes(16).toString("base64url");
        token.end = Math.floor(Date.now() / 1000) + SESSION_MAX_AGE_S;
        // To the millisecond, as users.sessions_ended_at: `end` is in whole seconds.
        token.opened = Date.now();
        return token;
      }
      // Read back by next-auth's own session endpoint, which also renews the cookie: only for a
      // session that still opens its account (null clears the cookie). The app's pages and
      // actions check the same through lib/auth/actor.ts.
      const identity = identityOf(token);
      return identity && (await sessionAccount(identity)) ? token : null;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});
