import { describe, expect, it } from "vitest";
import { lifecycleFields, plannedState } from "@/lib/billing/planned-state";

// A webhook skips the lifecycle sync when the status and lifecycleFields(status) are unchanged,
// so for every status no other field may change plannedState's answer. Checked over a grid of
// dates around the moment asked about: before, at and after it, far and near, and none.
const STATUSES = [
  "TRIALING",
  "ACTIVE",
  "INCOMPLETE",
  "INCOMPLETE_EXPIRED",
  "PAST_DUE",
  "UNPAID",
  "CANCELED",
  "PAUSED",
] as const;
const FIELDS = ["pastDueSince", "canceledAt", "currentPeriodEnd"] as const;
const at = new Date("2027-03-01T12:00:00Z");
const DAY = 86_400_000;
const DATES = [
  null,
  ...[-60, -31, -30, -8, -7, -3, -1, 0, 1, 3, 7, 30, 60].map(
    (d) => new Date(at.getTime() + d * DAY),
  ),
];

describe("lifecycleFields names every field plannedState reads", () => {
  it.each(STATUSES)("%s", (status) => {
    const read = lifecycleFields(status);
    const ignored = FIELDS.filter((f) => !read.includes(f));
    for (const a of DATES)
      for (const b of DATES)
        for (const c of DATES) {
          const sub = { status, pastDueSince: a, canceledAt: b, currentPeriodEnd: c };
          const expected = plannedState(sub, at);
          for (const field of ignored)
            for (const other of DATES)
              expect(plannedState({ ...sub, [field]: other }, at), `${field} = ${other}`).toEqual(
                expected,
              );
        }
  });

  it("and names only fields that can change it", () => {
    for (const status of STATUSES)
      for (const field of lifecycleFields(status)) {
        const matters = DATES.some((a) =>
          DATES.some((b) => {
            const sub = { status, pastDueSince: a, canceledAt: a, currentPeriodEnd: a };
            return (
              JSON.stringify(plannedState(sub, at)) !==
              JSON.stringify(plannedState({ ...sub, [field]: b }, at))
            );
          }),
        );
        expect(matters, `${status}.${field}`).toBe(true);
      }
  });
});
