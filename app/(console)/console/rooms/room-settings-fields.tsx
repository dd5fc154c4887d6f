import { Field } from "@/app/_components/form";

type Settings = {
  title: string;
  description: string;
  membersOnly: boolean;
  public: boolean;
  archiving: boolean;
  maxUsers: number;
};

function Check({
  name,
  label,
  hint,
  checked,
}: {
  name: string;
  label: string;
  hint: string;
  checked: boolean;
}) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" name={name} defaultChecked={checked} className="mt-1" />
      <span>
        <span className="font-medium">{label}</span>
        <span className="block text-xs text-slate-500">{hint}</span>
      </span>
    </label>
  );
}

export function RoomSettingsFields({ settings }: { settings?: Settings }) {
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Title"
          name="title"
          defaultValue={settings?.title}
          placeholder="Family chat"
        />
        <Field
          label="Most people at once"
          name="maxUsers"
          type="number"
          min={2}
          max={200}
          defaultValue={settings?.maxUsers ?? 100}
        />
      </div>
      <Field label="Description" name="description" defaultValue={settings?.description} />
      <div className="grid gap-3 sm:grid-cols-3">
        <Check
          name="membersOnly"
          label="Members only"
          hint="Only people on the member list can join."
          checked={settings?.membersOnly ?? true}
        />
        <Check
          name="public"
          label="Listed"
          hint="Shown in the server's room directory."
          checked={settings?.public ?? false}
        />
        <Check
          name="archiving"
          label="Keep history"
          hint="Messages archived on the server, per the plan's retention."
          checked={settings?.archiving ?? true}
        />
      </div>
    </>
  );
}
