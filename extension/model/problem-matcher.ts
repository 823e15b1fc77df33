// The problem matcher of the Ringside build tasks: gcc's diagnostics, "file:line:column: error:
// message". package.json contributes it (problemMatchers) with this same regular expression; the
// tests check that package.json says what this file says, and apply it to real gcc output.

/** Groups: 1 file, 2 line, 3 column, 4 severity, 5 message. */
export const GCC_DIAGNOSTIC_REGEXP = '^(.*?):(\\d+):(\\d+):\\s+(warning|error|fatal error|note):\\s+(.*)$';

/** File names relative to the workspace folder (or absolute): own programs, and samples opened as the workspace. */
export const PROBLEM_MATCHER = 'ringside-gcc';
/** File names relative to the workspace folder's samples/ (make -C samples runs gcc there). */
export const SAMPLES_PROBLEM_MATCHER = 'ringside-gcc-samples';

export interface GccDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
}

/** Applies the matcher's regular expression to one line of output, as VS Code does. */
export function matchGccDiagnostic(line: string): GccDiagnostic | undefined {
  const m = new RegExp(GCC_DIAGNOSTIC_REGEXP).exec(line);
  if (!m) return undefined;
  return { file: m[1]!, line: Number(m[2]), column: Number(m[3]), severity: m[4]!, message: m[5]! };
}
