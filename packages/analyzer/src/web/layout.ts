import { html, type SafeHtml, trusted } from './html.js';

const STYLE = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f6f7f9; }
body { margin: 0; }
header { background: #1d2330; color: #fff; padding: 10px 20px; display: flex; gap: 24px; align-items: baseline; }
header a { color: #cfd6e4; text-decoration: none; } header a.current { color: #fff; font-weight: 600; }
header .brand { font-weight: 700; color: #fff; }
main { padding: 16px 20px; max-width: 1200px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e6eb; vertical-align: top; font-size: 14px; }
th { background: #eef0f4; font-weight: 600; }
.muted { color: #6b7280; }
.sev-critical { color: #b91c1c; font-weight: 600; } .sev-warning { color: #b45309; font-weight: 600; } .sev-info { color: #1d4ed8; }
.status-open { color: #b91c1c; } .status-resolved { color: #15803d; }
.state-down, .state-grace { color: #b91c1c; font-weight: 600; } .state-up { color: #15803d; } .state-running { color: #1d4ed8; }
form.filters { display: flex; gap: 10px; flex-wrap: wrap; margin-bottom: 12px; align-items: end; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: #4b5563; }
code { background: #eef0f4; padding: 1px 4px; border-radius: 3px; }
section { margin-bottom: 20px; }
svg.timeline { background: #fff; border: 1px solid #e3e6eb; }
svg .lane { fill: #fafbfc; stroke: #e3e6eb; } svg .lane-label { font-size: 12px; font-weight: 600; fill: #1d2330; }
svg .lane-error { font-size: 11px; fill: #b91c1c; } svg .axis { font-size: 10px; fill: #6b7280; text-anchor: middle; }
svg .tick { stroke: #eef0f4; } svg .attempt { fill: #93c5fd; } svg .attempt.failed { fill: #fca5a5; } svg .attempt.live { fill: #fde68a; }
svg .step rect { fill: #3b82f6; } svg .step.failed rect { fill: #dc2626; } svg .step.live rect { fill: #f59e0b; }
svg .step-label { font-size: 10px; fill: #fff; pointer-events: none; }
svg .gap { fill: rgba(220, 38, 38, 0.18); stroke: #dc2626; stroke-dasharray: 4 2; }
svg .hang { fill: rgba(245, 158, 11, 0.22); stroke: #d97706; stroke-dasharray: 4 2; }
svg .event line { stroke: #111827; stroke-width: 1.5; }
`;

export type Section = 'findings' | 'workers' | 'monitors';

/** The page frame. Refreshes itself every `refreshSeconds` so an open tab follows a live incident. */
export function renderLayout(title: string, current: Section, body: SafeHtml, refreshSeconds = 10): string {
  const nav = (section: Section, href: string, label: string) =>
    html`<a href="${href}" class="${section === current ? 'current' : ''}">${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${refreshSeconds}">
<link rel="icon" href="data:,">
<title>${title} · joblens</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<header><span class="brand">joblens</span>${nav('findings', '/', 'Findings')}${nav('workers', '/workers', 'Workers')}${nav('monitors', '/monitors', 'Monitors')}</header>
<main>${body}</main>
</body>
</html>`.value;
}
