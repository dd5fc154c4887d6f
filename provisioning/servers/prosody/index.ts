export { ProsodyAdapter, type ProsodyAdapterOptions } from "./adapter";
export { ProsodyShellError, parseShellOutput } from "./shell";
export { luaString } from "./lua";
