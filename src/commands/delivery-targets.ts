// The destinations of the subscriptions a command delivers to, opened together and closed together.

import type { CommandContext } from '../context/index.js';
import type { Subscription } from '../config/types.js';
import { destinationKey } from '../destinations/identity.js';
import type { DeliveryTarget } from '../pipeline/deliver-all.js';

export interface OpenTargets {
  targets: DeliveryTarget[];
  close(): Promise<void>;
}

export async function openTargets(ctx: Pick<CommandContext, 'destination'>, subscriptions: readonly Subscription[]): Promise<OpenTargets> {
  const targets: DeliveryTarget[] = [];
  const close = async () => {
    await Promise.all(targets.map((t) => t.destination.close()));
  };
  try {
    for (const s of subscriptions) {
      targets.push({ name: s.name, key: destinationKey(s.destination), destination: await ctx.destination(s.destination) });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { targets, close };
}
