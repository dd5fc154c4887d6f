export { ejabberdKind } from "./kind";
export { EjabberdAdapter, type EjabberdAdapterOptions } from "./adapter";
export {
  EjabberdApi,
  EjabberdApiError,
  EjabberdAuthError,
  EjabberdUnavailableError,
  type EjabberdApiOptions,
  type FetchLike,
} from "./http-api";
export {
  roomConfigToOptions,
  roomOptionsToConfig,
  parseAffiliations,
  DEFAULT_SERVICE_MAX_USERS,
} from "./room-options";
export { EjabberdCompliance, ejabberdReloader, type EjabberdComplianceOptions } from "./compliance";
export { renderEjabberdInclude, type EjabberdIncludeOptions } from "./include";
export { ejabberdModulesInYaml, ejabberdC2sRequiresTls } from "./config-yaml";
export { purgeArchives, type EjabberdPurgeOptions, type EjabberdPurgeResult } from "./purge";
