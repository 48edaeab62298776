// Who a call comes from, as the gateway's authentication decided (auth/authenticator.ts), carried
// from the HTTP request to the service implementations in Connect's context values.

import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import { ANONYMOUS } from "../engine/master/master.js";

/** The authenticated principal of a call; calls that reach a handler always have one. */
export const principalKey = createContextKey<string>(ANONYMOUS, { description: "tfgate principal" });

export function principalOf(ctx: HandlerContext): string {
  return ctx.values.get(principalKey);
}
