// The Host check against DNS rebinding: a page on any site can make a browser send requests to a
// name that resolves to 127.0.0.1, and the browser then treats tfgate as that site's own origin.
// Such requests carry the foreign name in Host (:authority), so only names the operator allows are
// served, as dev servers (Vite, Jupyter) do. Clients that send no Host (HTTP/1.0) are not browsers.

/** The names a loopback-bound server answers to by default (any port). */
export const loopbackHostNames: readonly string[] = ["localhost", "127.0.0.1", "::1"];

/** The host name of a Host or :authority value, without port or IPv6 brackets, lower-cased. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") === -1 ? undefined : h.indexOf("]"));
  const colon = h.indexOf(":");
  return colon === -1 || h.indexOf(":", colon + 1) !== -1 ? h : h.slice(0, colon);
}

/**
 * Whether a request's Host is allowed. `allowed` undefined accepts every name; "*" in the list too;
 * a name starting with "." matches that domain and its subdomains.
 */
export function isAllowedHost(header: string | undefined, allowed: readonly string[] | undefined): boolean {
  if (allowed === undefined || header === undefined || allowed.includes("*")) return true;
  const name = hostName(header);
  return allowed.some((a) => {
    const want = a.toLowerCase();
    if (want.startsWith(".")) return name === want.slice(1) || name.endsWith(want);
    return name === want;
  });
}
