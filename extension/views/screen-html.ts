// The CGA screen as webview HTML: a static page (no scripts) re-rendered on every refresh.
// Colours are classes in one nonce'd <style>, so the page's CSP allows no inline styles at all.
// The text shrinks to fit 80 columns in the side bar, down to 8px; below that it scrolls.
import { CGA_COLOUR_NAMES, CGA_PALETTE, type ScreenModel, type ScreenSpan } from '../model/screen.js';

export interface ScreenPage {
  model?: ScreenModel;
  /** Shown instead of (or above) the screen: no session, guest running, a request error. */
  notice?: string;
  /** The webview's CSP source and a fresh nonce for the <style> element. */
  cspSource: string;
  nonce: string;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function spanHtml(s: ScreenSpan): string {
  const classes = [`f${s.fg}`, `b${s.bg}`];
  if (s.blink) classes.push('blink');
  if (s.cursor) classes.push('cursor');
  const title = `${CGA_COLOUR_NAMES[s.fg]} on ${CGA_COLOUR_NAMES[s.bg]}${s.blink ? ', blinking' : ''}${s.cursor ? ' (cursor)' : ''}`;
  return `<span class="${classes.join(' ')}" title="${title}">${escapeHtml(s.text)}</span>`;
}

function styles(): string {
  const colours = CGA_PALETTE.map((c, i) => `.f${i}{color:${c}}.b${i}{background:${c}}`).join('');
  return `
body{padding:4px;margin:0;overflow-x:auto;color:var(--vscode-foreground);font-family:var(--vscode-font-family)}
.screen{font-family:var(--vscode-editor-font-family),monospace;line-height:1.15;white-space:pre;background:#000;
  display:inline-block;padding:2px;font-size:clamp(8px,calc((100vw - 16px) / 49),14px)}
.notice{opacity:.8;margin:4px 0}
.cursor{text-decoration:underline;text-decoration-thickness:2px;outline:1px solid #aaaaaa}
.blink{animation:blink 1s steps(1) infinite}
@keyframes blink{50%{opacity:0}}
${colours}`;
}

export function screenHtml(page: ScreenPage): string {
  const csp = `default-src 'none'; style-src ${page.cspSource} 'nonce-${page.nonce}';`;
  let body = '';
  if (page.notice) body += `<p class="notice">${escapeHtml(page.notice)}</p>`;
  const m = page.model;
  if (m?.kind === 'blank') body += `<p class="notice">${escapeHtml(m.message)}</p>`;
  else if (m?.kind === 'text') {
    const rows = m.lines.map((spans) => spans.map(spanHtml).join('')).join('\n');
    const label = `CGA text screen, 80 by 25; cursor at row ${m.cursor.row + 1}, column ${m.cursor.column + 1}${m.cursor.visible ? '' : ' (hidden)'}`;
    body += `<div class="screen" title="${escapeHtml(label)}">${rows}</div>`;
  }
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style nonce="${page.nonce}">${styles()}</style><title>CGA screen</title></head>
<body>${body}</body></html>`;
}
