import { withAuth } from "next-auth/middleware";

// Optimistic redirect to sign-in only; pages, actions and routes check the caller themselves.
export default withAuth({ pages: { signIn: "/login" } });

export const config = { matcher: ["/console/:path*", "/portal/:path*"] };
