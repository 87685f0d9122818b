// The names of the rate-limiter models the sandbox plays (company-limit.ts), alone in a module that
// imports nothing, so the `sandbox --limiter` flag can list them without loading the sandbox.

export const LIMITER_MODELS = ['fixed', 'sliding-log', 'sliding-window', 'token-bucket'] as const;
export type LimiterModel = (typeof LIMITER_MODELS)[number];
