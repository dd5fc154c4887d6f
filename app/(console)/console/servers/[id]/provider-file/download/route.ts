import { guardRoute } from "@/lib/auth/route-guard";
import { buildProviderFile } from "@/lib/provider-file/build-provider-file";
import { providerFileResponse } from "@/lib/provider-file/serve";
import { ZId } from "@/lib/validation/common";

// The server's provider file as a download (the same document the public address serves), for
// staff who publish it on their own web server.
export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await guardRoute("servers.read");
  if (user instanceof Response) return user;
  const id = ZId.safeParse((await context.params).id);
  const built = id.success ? await buildProviderFile(id.data) : null;
  if (!built) return Response.json({ message: "That server does not exist." }, { status: 404 });
  return providerFileResponse(built, {
    "content-disposition": 'attachment; filename="xmpp-provider-v2.json"',
    "cache-control": "no-store",
  });
}
