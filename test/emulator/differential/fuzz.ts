// Command line for long differential campaigns:
//   npm run fuzz:cpu -- --cases 100000 --seed 42
// Options: --cases N (total), --batch N (cases per native build, default 2000), --seed S,
// --only item[,item] (generator items by name prefix), --min-items/--max-items, --single
// (one item per case: failures then name the instruction form), --case K (rerun one case of a
// batch, with --seed and --cases as printed in its report), --detailed N, --keep.
import { formatBatch, runBatch, type BatchResult } from './batch.js';
import { missingFlagInfo } from './flags.js';

interface Args {
  cases: number;
  batch: number;
  seed: number;
  only: string[];
  minItems?: number;
  maxItems?: number;
  onlyCase?: number;
  detailed: number;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { cases: 10_000, batch: 2000, seed: Date.now() % 1_000_000_007, only: [], detailed: 2, keep: false };
  for (let k = 0; k < argv.length; k++) {
    const opt = argv[k];
    const next = (): string => {
      const v = argv[++k];
      if (v === undefined) throw new Error(`${opt} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(next());
      if (!Number.isInteger(v) || v < 0) throw new Error(`${opt} needs a whole number`);
      return v;
    };
    switch (opt) {
      case '--cases': a.cases = num(); break;
      case '--batch': a.batch = Math.max(1, num()); break;
      case '--seed': a.seed = num(); break;
      case '--only': a.only = next().split(','); break;
      case '--min-items': a.minItems = num(); break;
      case '--max-items': a.maxItems = num(); break;
      case '--single': a.minItems = 1; a.maxItems = 1; break;
      case '--case': a.onlyCase = num(); break;
      case '--detailed': a.detailed = num(); break;
      case '--keep': a.keep = true; break;
      case '--help': case '-h':
        console.log('usage: npm run fuzz:cpu -- [--cases N] [--batch N] [--seed S] [--only items] [--single] [--min-items N] [--max-items N] [--case K] [--detailed N] [--keep]');
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${opt} (try --help)`);
    }
  }
  return a;
}

function main(): number {
  const a = parseArgs(process.argv.slice(2));
  const missing = missingFlagInfo();
  if (missing.length) console.log(`opcode table lacks flag information for:\n  ${missing.join('\n  ')}`);
  // With --case the batch is the one the report named: same seed, same size, one case run.
  const batches: Array<{ seed: number; cases: number }> = [];
  if (a.onlyCase !== undefined) batches.push({ seed: a.seed, cases: a.cases });
  else for (let done = 0, k = 0; done < a.cases; done += a.batch, k++) batches.push({ seed: a.seed + k, cases: Math.min(a.batch, a.cases - done) });
  console.log(`differential CPU fuzz: ${a.cases} cases in ${batches.length} batches, first seed ${a.seed}`);
  let failures = 0, executed = 0, ran = 0;
  const start = Date.now();
  for (const b of batches) {
    const r: BatchResult = runBatch({
      seed: b.seed, cases: b.cases, only: a.only, minItems: a.minItems, maxItems: a.maxItems,
      onlyCase: a.onlyCase, detailed: a.detailed, keepFiles: a.keep,
    });
    failures += r.failures.length;
    executed += r.executed;
    ran += r.cases;
    const ms = r.millis;
    console.log(`seed ${b.seed}: ${r.cases} cases, ${r.executed} instructions executed, ${r.failures.length} failed ` +
      `(gen ${ms.generate} ms, build ${ms.build} ms, native ${ms.native} ms, emulator ${ms.emulate} ms)${r.dir ? ` files in ${r.dir}` : ''}`);
    const text = formatBatch(r);
    if (text) console.log(text);
  }
  console.log(`done: ${ran} cases, ${executed} instructions, ${failures} failures, ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return failures === 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
}
