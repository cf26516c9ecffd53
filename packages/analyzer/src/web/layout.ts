import { html, type SafeHtml } from './html.js';
import { PAGE_SCRIPT_PATH, PAGE_STYLE_PATH } from './page-assets.js';

export type Section = 'findings' | 'jobs' | 'workers' | 'monitors' | 'alerts';

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
<link rel="stylesheet" href="${PAGE_STYLE_PATH}">
<script src="${PAGE_SCRIPT_PATH}" defer></script>
</head>
<body>
<header><span class="brand">joblens</span>${nav('findings', '/', 'Findings')}${nav('jobs', '/jobs', 'Jobs')}${nav('workers', '/workers', 'Workers')}${nav('monitors', '/monitors', 'Monitors')}${nav('alerts', '/alerts', 'Alerts')}</header>
<main>${body}</main>
</body>
</html>`.value;
}
