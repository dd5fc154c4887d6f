"use client";
import { useActionState, useEffect, useState } from "react";
import type { ActionState } from "@/lib/actions/action-state";
import type { BulkChoice } from "@/lib/bulk/bulk-actions";
import { FormMessage, SubmitButton } from "@/app/_components/form";

// The bulk bar above a list: what to work on (the ticked rows, or every row matching the
// filter) and what to do. Row checkboxes live in the table and join this form by its id.

export const BULK_FORM_ID = "bulk-form";
const FIELD = "rounded-md border border-slate-300 px-3 py-2 text-sm";
const LABEL = "flex flex-col gap-1 text-xs font-medium text-slate-600";
const rowBoxes = () =>
  Array.from(
    document.querySelectorAll<HTMLInputElement>(`input[form="${BULK_FORM_ID}"][name="ids"]`),
  );

type Option = { value: string; label: string };

function Choice({
  id,
  label,
  options,
  error,
}: {
  id: string;
  label: string;
  options: Option[];
  error?: string[];
}) {
  return (
    <div className={LABEL}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={id.replace("bulk-", "")}
        className={FIELD}
        aria-invalid={Boolean(error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? <span className="text-rose-700">{error[0]}</span> : null}
    </div>
  );
}

export function BulkBar({
  action,
  choices,
  filter,
  matching,
  reasons,
  plans,
  expiries,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  choices: BulkChoice[];
  filter: string;
  matching: string;
  reasons: Option[];
  plans: Option[];
  expiries: Option[];
}) {
  const [state, formAction] = useActionState(action, undefined);
  const [selected, setSelected] = useState(0);
  const [scope, setScope] = useState<"selected" | "filter">("selected");
  const [chosen, setChosen] = useState(choices[0]?.name ?? "");
  useEffect(() => {
    const count = () => setSelected(rowBoxes().filter((b) => b.checked).length);
    document.addEventListener("change", count);
    count();
    return () => document.removeEventListener("change", count);
  }, []);
  if (choices.length === 0) return null;
  const choice = choices.find((c) => c.name === chosen) ?? choices[0];
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form
      id={BULK_FORM_ID}
      action={formAction}
      aria-label="Bulk action"
      className="mb-4 space-y-3 rounded-xl border border-slate-200 bg-slate-50 p-4"
    >
      <input type="hidden" name="filter" value={filter} />
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="sr-only">Rows to work on</legend>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="scope"
            value="selected"
            checked={scope === "selected"}
            onChange={() => setScope("selected")}
          />
          Ticked rows ({selected})
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="scope"
            value="filter"
            checked={scope === "filter"}
            onChange={() => setScope("filter")}
          />
          All {matching} matching this view
        </label>
      </fieldset>
      <div className="flex flex-wrap items-end gap-3">
        <div className={LABEL}>
          <label htmlFor="bulk-action">Action</label>
          <select
            id="bulk-action"
            name="action"
            className={FIELD}
            value={choice.name}
            onChange={(e) => setChosen(e.target.value)}
          >
            {choices.map((c) => (
              <option key={c.name} value={c.name}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        {choice.fields === "suspension" ? (
          <>
            <Choice id="bulk-reason" label="Reason" options={reasons} error={errors?.reason} />
            <div className={LABEL}>
              <label htmlFor="bulk-note">Note for the audit trail</label>
              <input id="bulk-note" name="note" maxLength={500} className={`w-56 ${FIELD}`} />
            </div>
          </>
        ) : null}
        {choice.fields === "plan" ? (
          <Choice id="bulk-planId" label="New plan" options={plans} error={errors?.planId} />
        ) : null}
        {choice.fields === "expiry" ? (
          <Choice
            id="bulk-expiry"
            label="Links work for"
            options={expiries}
            error={errors?.expiry}
          />
        ) : null}
        {choice.confirmWord ? (
          <div className={LABEL}>
            <label htmlFor="bulk-confirm">Type “{choice.confirmWord}” to confirm</label>
            <input
              id="bulk-confirm"
              name="confirm"
              autoComplete="off"
              required
              className={`w-40 ${FIELD}`}
              aria-invalid={Boolean(errors?.confirm)}
            />
          </div>
        ) : null}
        <SubmitButton variant={choice.confirmWord ? "danger" : "primary"} pendingText="Starting…">
          {scope === "filter"
            ? `${choice.label}: all ${matching}`
            : `${choice.label}: ${selected} ticked`}
        </SubmitButton>
      </div>
      <FormMessage state={state} />
    </form>
  );
}

// "Tick every row on this page", in the table's header.
export function SelectPageBox() {
  const [all, setAll] = useState(false);
  useEffect(() => {
    const sync = () => {
      const boxes = rowBoxes();
      setAll(boxes.length > 0 && boxes.every((b) => b.checked));
    };
    document.addEventListener("change", sync);
    return () => document.removeEventListener("change", sync);
  }, []);
  return (
    <input
      type="checkbox"
      aria-label="Tick every row on this page"
      checked={all}
      onChange={(e) => {
        for (const box of rowBoxes()) box.checked = e.target.checked;
        setAll(e.target.checked);
        document.dispatchEvent(new Event("change"));
      }}
    />
  );
}
