import { checkInviteUsername } from "@/lib/invites/username-check";

// Public, but only for holders of a valid invite (the token is the authorization).
export async function GET(
  request: Request,
  context: { params: Promise<{ token: string }> },
): Promise<Response> {
  const { token } = await context.params;
  const name = new URL(request.url).searchParams.get("name") ?? "";
  const { status, body } = await checkInviteUsername(token, name);
  return Response.json(body, {
    status,
    headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
  });
}
