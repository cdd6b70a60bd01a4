/**
 * markMilestone records a named point on the page's performance timeline
 * ("meet:<name>"), so the way into a call can be measured from the browser's
 * developer tools or by the end-to-end tests without any logging.
 */
export function markMilestone(name: string): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') {
    performance.mark(`meet:${name}`);
  }
}
