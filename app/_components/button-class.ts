// A submit button's look, for client forms and for plain buttons a server component renders
// (a row's buttons that submit a form elsewhere on the page).
export type ButtonVariant = "primary" | "secondary" | "danger";

const STYLES: Record<ButtonVariant, string> = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500",
  secondary: "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
  danger: "bg-rose-600 text-white hover:bg-rose-500",
};

export function submitButtonClass(variant: ButtonVariant = "primary"): string {
  return `inline-flex items-center gap-2 rounded-md px-3 py-2 text-sm font-semibold shadow-sm disabled:opacity-60 ${STYLES[variant]}`;
}
