export { prosodyKind } from "./kind";
export { ProsodyAdapter, type ProsodyAdapterOptions } from "./adapter";
export {
  ProsodyShellError,
  ShellRunner,
  parseShellOutput,
  type ShellLike,
  type ShellReply,
} from "./shell";
export { luaString } from "./lua";
export {
  ProsodyCompliance,
  prosodyReloader,
  type ProsodyComplianceOptions,
  type ProsodyReloadTarget,
} from "./compliance";
export { renderProsodyInclude, type ProsodyIncludeOptions } from "./include";
export { purgeProsodyArchives, prosodyExpiryLua, type ProsodyPurgeResult } from "./expiry";
