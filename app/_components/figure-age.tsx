import { formatDistanceStrict } from "date-fns";
import type { Figure } from "@/lib/stats/cached-figure";

// Says how old a cached figure is; a live one needs no note.
export function FigureAge({
  figure,
  what,
  at = new Date(),
}: {
  figure: Pick<Figure<unknown>, "cached" | "computedAt">;
  what: string;
  at?: Date;
}) {
  if (!figure.cached) return null;
  const seconds = Math.max(0, at.getTime() - figure.computedAt.getTime()) / 1000;
  const age = seconds < 5 ? "just now" : `${formatDistanceStrict(figure.computedAt, at)} ago`;
  return (
    <p className="mt-2 text-xs text-slate-500" data-testid="figure-age">
      {what} as of{" "}
      <time dateTime={figure.computedAt.toISOString()}>
        {figure.computedAt.toISOString().slice(11, 19)} UTC
      </time>{" "}
      ({age}; at this size they are recounted in the background).
    </p>
  );
}
