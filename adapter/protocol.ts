// Custom DAP requests and events between the adapter and the extension. The extension imports this
// file for the types; the adapter implements them.

/** Sent whenever the machine's state may have changed (a stop, a step, a memory or register write). */
export const CUSTOM_EVENT_STATE_CHANGED = 'ringside/stateChanged';

/** Request "consoleInput": bytes typed into the guest console (its serial port). */
export interface ConsoleInputArguments {
  text: string;
}
