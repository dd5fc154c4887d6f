import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { requireSecret } from "@/core/config";
import { logError } from "@/core/log";
import { safeRedirectUrl } from "@/lib/auth/return-path";
import {
  SECOND_FACTOR_FAILED,
  SECOND_FACTOR_REQUIRED,
  SIGN_IN_FAILED,
  signIn,
} from "@/lib/auth/sign-in";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export const authOptions: NextAuthOptions = {
  // NEXT_PHASE is Next's own variable: the build renders pages without the generated secrets.
  secret:
    process.env.NEXT_PHASE === "phase-production-build"
      ? "build-time-placeholder"
      : sessionSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        code: { label: "Code", type: "text" },
      },
      async authorize(credentials) {
        const result = await signIn(credentials);
        if (result.ok)
          return {
            id: result.user.id,
            email: result.user.email,
            name: result.user.name,
            sessionVersion: result.user.sessionVersion,
          };
        // next-auth passes a thrown message back to signIn() as `error`.
        if (result.reason === "second_factor_required") throw new Error(SECOND_FACTOR_REQUIRED);
        if (result.reason === "second_factor_failed") throw new Error(SECOND_FACTOR_FAILED);
        throw new Error(SIGN_IN_FAILED);
      },
    }),
  ],
  callbacks: {
    // Sign-in and sign-out only ever return to this console (lib/auth/return-path.ts).
    async redirect({ url, baseUrl }) {
      return safeRedirectUrl(url, baseUrl);
    },
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = user.sessionVersion;
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user && token.uid) {
        session.user.id = token.uid;
        session.user.sessionVersion = token.sv ?? 0;
      }
      return session;
    },
  },
  logger: {
    // next-auth's default logger can print request metadata; keep only the code.
    error(code) {
      logError("auth", String(code));
    },
    warn(code) {
      if (code !== "NEXTAUTH_URL") logError("auth", String(code));
    },
    debug() {},
  },
};

function sessionSecret(): string | undefined {
  try {
    return requireSecret("sessionSecret");
  } catch {
    return undefined;
  }
}
