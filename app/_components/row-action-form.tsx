"use client";
import { useActionState, useEffect, useRef } from "react";
import { useFormStatus } from "react-dom";
import { ActionResult, confirmFirst, type Action } from "./form";

// One form for a whole table's rows: each row renders plain buttons with `form={id}` and its
// row's id as the button's name and value, instead of a form of its own (two forms a row made
// a 25-row page a third heavier to render). The answer shows here and is scrolled into view.
export function RowActionForm({
  id,
  action,
  confirm,
}: {
  id: string;
  action: Action;
  confirm?: string;
}) {
  const [state, formAction] = useActionState(action, undefined);
  const answer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state) answer.current?.scrollIntoView({ block: "nearest" });
  }, [state]);
  return (
    <form id={id} action={formAction} onSubmit={confirmFirst(confirm)}>
      <div ref={answer} aria-live="polite" className="mb-4 space-y-3 empty:hidden">
        <Pending />
        <ActionResult state={state} />
      </div>
    </form>
  );
}

function Pending() {
  const { pending } = useFormStatus();
  return pending ? <p className="text-sm text-slate-600">Working…</p> : null;
}
