import NextLink from "next/link";
import type { ComponentProps } from "react";

// next/link that does not prefetch. Parley's pages are dynamic and have no loading boundary,
// so a prefetch brings only layouts the browser already holds, yet costs the server a render
// with its queries: one view of a 25-row list made about 100 of them (every row, sort header,
// page link and menu item), 700 ms of server CPU against 30 ms for the page itself. Links
// still navigate without a page load; the request is made on click.
export default function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}

// Inside a Link: whether its navigation is under way (the request is made on click).
export { useLinkStatus } from "next/link";
