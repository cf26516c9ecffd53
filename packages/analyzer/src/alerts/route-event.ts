import type { AlertRoute, RouteMatch } from '../config/alerts-config.js';
import type { AlertEvent } from '../findings/alert-event.js';

/** The channel names an event goes to: the first matching route's, or every channel without routes. */
export function routeEvent(
  event: AlertEvent,
  routes: readonly AlertRoute[],
  allChannels: readonly string[],
): string[] {
  if (routes.length === 0) return [...allChannels];
  const route = routes.find((r) => matchesRoute(r.match, event));
  return route ? [...route.channels] : [];
}

/** Whether an event fits a route's `match`; no match fits every event. */
export function matchesRoute(match: RouteMatch | undefined, event: AlertEvent): boolean {
  if (!match) return true;
  const { finding } = event;
  const values: Record<keyof RouteMatch, string | undefined> = {
    type: finding.type,
    severity: finding.severity,
    service: finding.subject.service,
    queue: finding.subject.queue,
    monitor: finding.subject.monitor,
  };
  return (Object.keys(values) as (keyof RouteMatch)[]).every((field) => {
    const allowed = match[field] as string[] | undefined;
    return allowed === undefined || (values[field] !== undefined && allowed.includes(values[field]));
  });
}
