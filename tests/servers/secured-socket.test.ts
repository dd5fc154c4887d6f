import { afterAll, beforeAll, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { secure, streamHeader } from "@/provisioning/evaluation/xmpp-stream";
import { securedSocketClass } from "@/provisioning/evaluation/xmpp-session";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { createTestPki, type TestPki } from "../harness/test-pki";

// The feature probe hands @xmpp/client a connection Parley secured itself. That client listens
// for the server's stream header only once its own header's write has called back, so the
// callback must come before any answer is delivered, even when the server answers while the
// console's process is held up (a loaded machine): otherwise sign-in fails on the client's
// timeout, as it did now and then against ejabberd 24.12.

let pki: TestPki;
let ej: EjabberdInstance;

beforeAll(async () => {
  pki = createTestPki();
  const good = pki.issue("good", { names: ["example.test"], days: 30 });
  ej = await startEjabberd({ certfile: good.pem });
}, 120_000);

afterAll(async () => {
  await ej?.stop();
  pki?.remove();
});

it("acknowledges the client's write before it delivers the server's answer", async () => {
  const { socket } = await secure(
    { host: "127.0.0.1", port: ej.c2sPort, domain: ej.vhost, service: "c2s", mode: "starttls" },
    { ca: [readFileSync(pki.caFile, "utf8")] },
  );
  try {
    const Socket = securedSocketClass(socket);
    const client = new Socket();
    const order: string[] = [];
    const answered = new Promise<void>((resolve) =>
      client.on("data", () => {
        order.push("answer");
        resolve();
      }),
    );
    // As @xmpp/connection does: connect, then write the stream header once connected.
    const connected = new Promise<void>((resolve) => client.once("connect", () => resolve()));
    client.connect();
    await connected;
    client.write(streamHeader(ej.vhost, "c2s"), () => order.push("written"));
    // Held up for half a second, while ejabberd answers.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    await answered;
    expect(order).toEqual(["written", "answer"]);
  } finally {
    socket.destroy();
  }
});
