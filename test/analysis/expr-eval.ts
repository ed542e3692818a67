/**
 * A small evaluator for the subset of Argo Rollouts' condition language (antonmedv/expr) the library generates:
 * number literals, `result[i]`, `len(result)`, `isNaN(x)`, `!`, comparisons, `&&` / `||` (short-circuit, as in expr),
 * parentheses. Indexing past the end throws, as expr does at run time (the controller then records an Error
 * measurement). Plus the controller's verdict table (utils/evaluate/evaluate.go).
 */

type Value = number | boolean | number[];

class IndexOutOfRange extends Error {}

export function evaluateCondition(expr: string, result: number[]): boolean {
  const tokens = expr.match(/\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|&&|\|\||==|!=|>=|<=|[()[\]!<>])/g);
  if (!tokens || tokens.join('').replace(/\s/g, '') !== expr.replace(/\s/g, '')) throw new Error(`cannot tokenize ${expr}`);
  const t = tokens.map(x => x.trim());
  let i = 0;
  const peek = () => t[i];
  const eat = (x?: string) => {
    const v = t[i++];
    if (x !== undefined && v !== x) throw new Error(`expected ${x} at ${i - 1} in ${expr}, got ${v}`);
    return v;
  };
  // Lazy evaluation: each parse function returns a thunk so && / || can short-circuit.
  type Thunk = () => Value;
  const or = (): Thunk => {
    let left = and();
    while (peek() === '||') {
      eat();
      const l = left;
      const r = and();
      left = () => (l() as boolean) || (r() as boolean);
    }
    return left;
  };
  const and = (): Thunk => {
    let left = not();
    while (peek() === '&&') {
      eat();
      const l = left;
      const r = not();
      left = () => (l() as boolean) && (r() as boolean);
    }
    return left;
  };
  const not = (): Thunk => {
    if (peek() === '!') {
      eat();
      const inner = not();
      return () => !(inner() as boolean);
    }
    return cmp();
  };
  const cmp = (): Thunk => {
    const left = primary();
    const op = peek();
    if (['==', '!=', '>=', '<=', '>', '<'].includes(op)) {
      eat();
      const right = primary();
      return () => {
        const a = left() as number;
        const b = right() as number;
        switch (op) {
          case '==': return a === b;
          case '!=': return a !== b;
          case '>=': return a >= b;
          case '<=': return a <= b;
          case '>': return a > b;
          default: return a < b;
        }
      };
    }
    return left;
  };
  const primary = (): Thunk => {
    const tok = eat();
    if (tok === '(') {
      const inner = or();
      eat(')');
      return inner;
    }
    if (/^\d/.test(tok)) {
      const n = Number(tok);
      return () => n;
    }
    if (tok === 'result') {
      if (peek() === '[') {
        eat('[');
        const idx = Number(eat());
        eat(']');
        return () => {
          if (idx >= result.length) throw new IndexOutOfRange(`index out of range: ${idx} (array length is ${result.length})`);
          return result[idx];
        };
      }
      return () => result;
    }
    if (tok === 'len' || tok === 'isNaN') {
      eat('(');
      const arg = or();
      eat(')');
      return tok === 'len' ? () => (arg() as number[]).length : () => Number.isNaN(arg() as number);
    }
    throw new Error(`unsupported token ${tok} in ${expr}`);
  };
  const thunk = or();
  if (i !== t.length) throw new Error(`trailing tokens in ${expr}`);
  const v = thunk();
  if (typeof v !== 'boolean') throw new Error(`expected bool, but got ${typeof v}`);
  return v;
}

export type Verdict = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** The controller's EvaluateResult: failure true → Failed; success true → Successful; else Inconclusive (both set). */
export function verdict(successCondition: string | undefined, failureCondition: string | undefined, result: number[]): Verdict {
  try {
    const failed = failureCondition !== undefined ? evaluateCondition(failureCondition, result) : undefined;
    const succeeded = successCondition !== undefined ? evaluateCondition(successCondition, result) : undefined;
    if (failed === undefined && succeeded === undefined) return 'Successful';
    if (failed === undefined) return succeeded ? 'Successful' : 'Failed';
    if (succeeded === undefined) return failed ? 'Failed' : 'Successful';
    if (failed) return 'Failed';
    if (succeeded) return 'Successful';
    return 'Inconclusive';
  } catch (e) {
    if (e instanceof IndexOutOfRange) return 'Error';
    throw e;
  }
}
