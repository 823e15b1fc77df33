// Line-ending translation between the guest's serial console and a VS Code terminal: the
// terminal needs CRLF to return the cursor; the guest's line discipline expects LF for Enter.

/** Guest output -> terminal: bare LF becomes CRLF (an existing CRLF stays as it is). */
export function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Terminal input -> guest: Enter (CR) becomes LF, DEL (backspace key) becomes BS. */
export function toGuest(data: string): string {
  return data.replace(/\r\n?/g, '\n').replace(/\x7f/g, '\b');
}
