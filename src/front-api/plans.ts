// Front's plans and each one's company-wide rate limit (requests per minute; front-api-NOTES
// "Rate limits"): a fact about Front that the client's pacing and the sandbox's limiter both use.

export const PLANS = ['starter', 'professional', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];
export const PLAN_RPM: Record<Plan, number> = { starter: 50, professional: 100, enterprise: 200 };
