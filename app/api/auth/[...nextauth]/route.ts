import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// Sign-in, sign-out and session endpoints; callers are checked by next-auth itself
// (CSRF token + credentials), and the credentials path runs lib/auth/sign-in.ts.
const handler = NextAuth(authOptions);
export { handler as GET, handler as POST };
