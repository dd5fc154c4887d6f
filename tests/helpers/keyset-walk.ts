import { expect } from "vitest";

type Page = { rows: { id: string }[]; next: string | null; prev: string | null };

// Follows "next" from a list's first page to the end, then "previous" back to the start: the
// ids in display order both ways and the number of pages.
export async function walk(list: (cursor: { after?: string; before?: string }) => Promise<Page>) {
  const forward: string[][] = [];
  let page = await list({});
  forward.push(page.rows.map((r) => r.id));
  expect(page.prev).toBeNull();
  while (page.next) {
    page = await list({ after: page.next });
    forward.push(page.rows.map((r) => r.id));
  }
  const backward: string[][] = [page.rows.map((r) => r.id)];
  while (page.prev) {
    page = await list({ before: page.prev });
    backward.unshift(page.rows.map((r) => r.id));
  }
  return { forward: forward.flat(), backward: backward.flat(), pages: forward.length };
}
