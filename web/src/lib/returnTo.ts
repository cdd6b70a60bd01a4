// After a local sign-in reached through authenticate/?returnTo=… (the server
// sends the browser to "/?returnTo=…" when there is no OIDC provider), go
// back where the client wanted. The server already checked returnTo; this
// only follows same-origin targets, so a hand-made link cannot send a
// freshly signed-in user elsewhere.
export function returnToAfterSignIn(search: string, origin: string): string | null {
  const raw = new URLSearchParams(search).get('returnTo');
  if (!raw) return null;
  let target: URL;
  try {
    target = new URL(raw, origin);
  } catch {
    return null;
  }
  if (target.origin !== origin) return null;
  const path = target.pathname + target.search + target.hash;
  return path === '/' ? null : path;
}
