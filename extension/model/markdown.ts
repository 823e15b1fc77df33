// Small helpers for the Markdown the hovers show (VS Code's MarkdownString dialect).

/** Escapes text so Markdown shows it as written: `<main>` stays visible, `[user, write]` is no link. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~]/g, (c) => '\\' + c);
}

/** Inline code; backticks inside are impossible in what the adapter sends, but are kept safe. */
export function code(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

/**
 * A link that runs a VS Code command with arguments (a "command URI"). The hover must list the
 * command in its trusted commands for VS Code to run it.
 */
export function commandLink(label: string, command: string, args: unknown[], title?: string): string {
  const uri = `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
  return `[${escapeMarkdown(label)}](${uri}${title ? ` "${title.replace(/"/g, "'")}"` : ''})`;
}

/** Decodes what commandLink put in a link (for tests and for checking a hover's links). */
export function parseCommandLink(markdown: string): { command: string; args: unknown[] } | undefined {
  const m = /\]\(command:([\w.]+)\?([^ )]+)/.exec(markdown);
  if (!m) return undefined;
  return { command: m[1]!, args: JSON.parse(decodeURIComponent(m[2]!)) as unknown[] };
}

/** A two-column Markdown table. */
export function table(rows: ReadonlyArray<readonly [string, string]>): string {
  return ['| | |', '|:--|:--|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}
