export { EjabberdAdapter, type EjabberdAdapterOptions } from "./adapter";
export { EjabberdApi, EjabberdApiError, EjabberdAuthError, EjabberdUnavailableError, type EjabberdApiOptions, type FetchLike } from "./http-api";
export { roomConfigToOptions, roomOptionsToConfig, parseAffiliations, DEFAULT_SERVICE_MAX_USERS } from "./room-options";
