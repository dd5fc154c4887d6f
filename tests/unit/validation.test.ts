import { describe, expect, it } from "vitest";
import { ZPlanInput } from "@/lib/validation/plans";
import { ZCustomerInput } from "@/lib/validation/customers";
import { ZNewPassword } from "@/lib/validation/common";
import { redactLinks } from "@/lib/notifications/send-email";

describe("validation", () => {
  it("coerces plan numbers from form strings and says what is wrong", () => {
    const ok = ZPlanInput.parse({
      name: "Family",
      seats: "6",
      rooms: "3",
      retentionDays: "30",
      price: "",
      currency: "eur",
    });
    expect(ok).toMatchObject({
      seats: 6,
      rooms: 3,
      retentionDays: 30,
      price: undefined,
      currency: "EUR",
    });
    const bad = ZPlanInput.safeParse({ name: "F", seats: "0", rooms: "-1", retentionDays: "x" });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: .*at least 2/),
        expect.stringMatching(/^seats: .*at least 1 seat/),
        expect.stringMatching(/^rooms: .*negative/),
        expect.stringMatching(/^retentionDays: .*number/),
      ]),
    );
  });

  it("normalises customer emails and treats an empty plan as none", () => {
    const c = ZCustomerInput.parse({
      name: "Acme",
      kind: "COMPANY",
      contactEmail: "  Ops@Example.ORG ",
      planId: "",
    });
    expect(c.contactEmail).toBe("ops@example.org");
    expect(c.planId).toBeUndefined();
  });

  it("wants passwords of at least 12 characters with some variety", () => {
    expect(ZNewPassword.safeParse("short").success).toBe(false);
    expect(ZNewPassword.safeParse("aaaaaaaaaaaaaaaa").success).toBe(false);
    expect(ZNewPassword.safeParse("a fine passphrase").success).toBe(true);
  });
});

describe("outbox redaction", () => {
  it("removes the token of every one-time link before an email is stored", () => {
    const text =
      "Choose your password:\nhttps://console.example.org/welcome/AbC_123-xyz\nor http://x.test/account/reset/Q-9_z\nThanks";
    expect(redactLinks(text)).toBe(
      "Choose your password:\nhttps://console.example.org/welcome/[one-time link, not stored]\nor http://x.test/account/reset/[one-time link, not stored]\nThanks",
    );
  });
});

import { ZServerInput } from "@/lib/validation/servers";

describe("the live evaluation's address and ports", () => {
  const base = {
    name: "Main",
    kind: "EJABBERD",
    domain: "chat.example.org",
    apiUrl: "http://127.0.0.1:5280/api",
  };
  const issues = (extra: Record<string, string>) => {
    const r = ZServerInput.safeParse({ ...base, ...extra });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("takes a host name or an IP address and ports 1–65535, each once", () => {
    expect(issues({ xmppHost: "127.0.0.1", c2sPort: "5222", s2sPort: "5269" })).toEqual([]);
    expect(issues({ xmppHost: "::1", c2sDirectTlsPort: "5223" })).toEqual([]);
    expect(issues({ xmppHost: "Chat.Example.org", c2sPort: "" })).toEqual([]);
    expect(issues({ xmppHost: "bad host", c2sPort: "5222" })).toEqual([
      "xmppHost: Enter a host name or an IP address, e.g. 127.0.0.1",
    ]);
    expect(issues({ xmppHost: "300.1.1.1" })).toHaveLength(1);
    expect(issues({ c2sPort: "5222" })).toEqual([
      "xmppHost: Enter the address the ports are reached at",
    ]);
    expect(issues({ xmppHost: "127.0.0.1", c2sPort: "70000" })).toEqual([
      "c2sPort: Ports are 1 to 65535",
    ]);
    expect(issues({ xmppHost: "127.0.0.1", c2sPort: "5222", s2sDirectTlsPort: "5222" })).toEqual([
      "s2sDirectTlsPort: Each port can be entered once",
    ]);
  });
});
