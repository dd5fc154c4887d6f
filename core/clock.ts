// One injectable clock so lockouts, token expiry and later the scheduler can be tested.
let current: () => Date = () => new Date();

export function now(): Date {
  return current();
}

export function setClock(clock: () => Date): void {
  current = clock;
}

export function resetClock(): void {
  current = () => new Date();
}
