export function othersMayEnter(path: string): boolean;
