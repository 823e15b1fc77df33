// A tree row as the views need it, independent of the VS Code API so the models that build rows
// can be tested against real adapter responses without a VS Code instance. views/tree.ts turns a
// Row into a vscode.TreeItem.

/** Children a row gets only when expanded, because they cost another request to the adapter. */
export type LazyChildren = { kind: 'pageTable'; pde: number };

export interface Row {
  /** Unique and stable across refreshes, so expansion state survives and reveal() can find it. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id ("lock", "unlock", "warning" ...). */
  icon?: string;
  /** A theme colour id for the icon ("charts.red" ...). */
  iconColor?: string;
  /** Lets package.json menus target kinds of rows. */
  contextValue?: string;
  /** Eager children, already known. */
  children?: Row[];
  lazy?: LazyChildren;
  /** Start expanded (e.g. the group that holds CR2's page). */
  expanded?: boolean;
  /** A source line a click on the row opens (an IDT gate's handler). */
  open?: { path: string; line: number };
}

export const hex8 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');
export const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

/** Depth-first search, for tests and for reveal(). */
export function findRow(rows: readonly Row[], pred: (r: Row) => boolean): Row | undefined {
  for (const r of rows) {
    if (pred(r)) return r;
    const inner = r.children && findRow(r.children, pred);
    if (inner) return inner;
  }
  return undefined;
}
