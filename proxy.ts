import { NextResponse, type NextFetchEvent } from "next/server";
import { withAuth, type NextRequestWithAuth } from "next-auth/middleware";
import { rejectMalformedRequest } from "@/lib/http/malformed-request";

// Optimistic redirect to sign-in only; pages, actions and routes check the caller themselves.
const signInFirst = withAuth({ pages: { signIn: "/login" } });
const SIGNED_IN_AREAS = /^\/(console|portal)(\/|$)/;

// Every request first: malformed addresses and form posts get a 4xx here instead of a 500 later.
export default async function proxy(request: NextRequestWithAuth, event: NextFetchEvent) {
  const malformed = await rejectMalformedRequest(request);
  if (malformed) return malformed;
  if (SIGNED_IN_AREAS.test(request.nextUrl.pathname)) return signInFirst(request, event);
  return NextResponse.next();
}

export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };
