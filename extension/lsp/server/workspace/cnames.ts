// Where a C file names an identifier (outside comments, strings and character constants), so that
// "Find All References" on an assembly entry point also finds the C code that calls it or takes
// its address (trap.c installing `divide_error` in the IDT, env.c calling `trapret_iret`).

export interface CName {
  name: string;
  line: number;
  start: number;
  end: number;
}

/** Every identifier occurrence in `text`, in order. */
export function cIdentifiers(text: string): CName[] {
  const out: CName[] = [];
  const lines = text.split(/\r?\n/);
  let inBlock = false;
  lines.forEach((line, n) => {
    let i = 0;
    while (i < line.length) {
      if (inBlock) {
        const end = line.indexOf('*/', i);
        if (end < 0) return;
        inBlock = false;
        i = end + 2;
        continue;
      }
      const c = line[i];
      if (c === '/' && line[i + 1] === '*') {
        inBlock = true;
        i += 2;
      } else if (c === '/' && line[i + 1] === '/') {
        return;
      } else if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < line.length && line[j] !== c) j += line[j] === '\\' ? 2 : 1;
        i = j + 1;
      } else if (/[A-Za-z_]/.test(c)) {
        let j = i + 1;
        while (j < line.length && /\w/.test(line[j])) j++;
        out.push({ name: line.slice(i, j), line: n, start: i, end: j });
        i = j;
      } else if (/\d/.test(c)) {
        while (i < line.length && /[\w.]/.test(line[i])) i++; // a number, with any suffix
      } else {
        i++;
      }
    }
  });
  return out;
}

/** The identifier under a position in C text, if any. */
export function cIdentifierAt(text: string, line: number, character: number): CName | undefined {
  return cIdentifiers(text).find((c) => c.line === line && character >= c.start && character <= c.end);
}
