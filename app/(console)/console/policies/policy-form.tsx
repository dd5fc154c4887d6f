import { ActionForm, Field } from "@/app/_components/form";
import type { ActionState } from "@/lib/actions/action-state";
import { DEFAULT_FORBIDDEN_MODULES, LOG_LEVELS } from "@/lib/validation/policies";

type Policy = {
  id: string;
  name: string;
  mamRetentionDays: number;
  mucRetentionDays: number;
  uploadExpiryDays: number;
  noIpLogging: boolean;
  noPasswordLogging: boolean;
  maxLogLevel: string;
  modules: string[];
};

export function PolicyForm({
  action,
  policy,
  submit,
}: {
  action: (s: ActionState, f: FormData) => Promise<ActionState>;
  policy?: Policy;
  submit: string;
}) {
  return (
    <ActionForm action={action} submit={submit} hidden={policy ? { id: policy.id } : undefined}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Name"
          name="name"
          required
          defaultValue={policy?.name}
          placeholder="Standard: 30 days, no IP logging"
        />
        <Field
          label="Most verbose log level"
          name="maxLogLevel"
          defaultValue={policy?.maxLogLevel ?? "warning"}
          options={LOG_LEVELS.map((l) => ({ value: l, label: l }))}
          hint="Debug logging records client addresses on both servers."
        />
        <Field
          label="Keep one-to-one messages (days)"
          name="mamRetentionDays"
          type="number"
          min={0}
          required
          defaultValue={policy?.mamRetentionDays ?? 30}
          hint="0: not archived on the server."
        />
        <Field
          label="Keep group chat messages (days)"
          name="mucRetentionDays"
          type="number"
          min={0}
          required
          defaultValue={policy?.mucRetentionDays ?? 30}
        />
        <Field
          label="Delete uploaded files after (days)"
          name="uploadExpiryDays"
          type="number"
          min={0}
          required
          defaultValue={policy?.uploadExpiryDays ?? 7}
        />
        <Field
          label="Modules that must not be loaded"
          name="forbiddenModules"
          defaultValue={(policy?.modules ?? DEFAULT_FORBIDDEN_MODULES).join(" ")}
          hint="Separated by spaces; these record client addresses."
        />
      </div>
      <div className="flex flex-wrap gap-6 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" name="noIpLogging" defaultChecked={policy?.noIpLogging ?? true} />{" "}
          No client IP addresses in logs
        </label>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            name="noPasswordLogging"
            defaultChecked={policy?.noPasswordLogging ?? true}
          />{" "}
          No passwords in logs
        </label>
      </div>
    </ActionForm>
  );
}
