import type { ObservedFinding } from './attribute-finding.js';

/**
 * Reads the analyzer's findings the way any client would, through `GET /api/findings`, so the demo
 * shows what the API serves rather than peeking into the analyzer's memory.
 */
export async function fetchFindings(apiUrl: string, timeoutMillis = 3000): Promise<ObservedFinding[]> {
  const response = await fetch(`${apiUrl}/api/findings?limit=1000`, {
    signal: AbortSignal.timeout(timeoutMillis),
  });
  if (!response.ok) throw new Error(`GET /api/findings answered ${response.status}`);
  const body = (await response.json()) as { findings?: ObservedFinding[] } | ObservedFinding[];
  const findings = Array.isArray(body) ? body : (body.findings ?? []);
  // Oldest first, so findings print in the order they opened.
  return [...findings].sort((a, b) => a.firstSeen - b.firstSeen);
}
