import type { BaseType, CType } from './ctype.js';

/** Every node knows its source span (0-based offsets, end exclusive) for error messages. */
interface Span {
  readonly start: number;
  readonly end: number;
}

export type BinaryOp = '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&' | '^' | '|' | '@';
export type UnaryOp = '-' | '+' | '!' | '~' | '*' | '&';
export type AssignOp = '=' | '*=' | '/=' | '%=' | '+=' | '-=' | '<<=' | '>>=' | '&=' | '^=' | '|=';

export type Node =
  | (Span & { readonly k: 'num'; readonly value: bigint; readonly type: BaseType })
  | (Span & { readonly k: 'ident'; readonly name: string })
  | (Span & { readonly k: 'reg'; readonly name: string })
  | (Span & { readonly k: 'unary'; readonly op: UnaryOp; readonly operand: Node })
  | (Span & { readonly k: 'sizeofType'; readonly type: CType })
  | (Span & { readonly k: 'sizeofExpr'; readonly operand: Node })
  | (Span & { readonly k: 'cast'; readonly type: CType; readonly operand: Node })
  | (Span & { readonly k: 'binary'; readonly op: BinaryOp; readonly left: Node; readonly right: Node })
  | (Span & { readonly k: 'logical'; readonly op: '&&' | '||'; readonly left: Node; readonly right: Node })
  | (Span & { readonly k: 'cond'; readonly test: Node; readonly then: Node; readonly otherwise: Node })
  | (Span & { readonly k: 'assign'; readonly op: AssignOp; readonly target: Node; readonly value: Node })
  | (Span & { readonly k: 'comma'; readonly left: Node; readonly right: Node })
  | (Span & { readonly k: 'index'; readonly base: Node; readonly index: Node })
  | (Span & { readonly k: 'member'; readonly base: Node; readonly name: string; readonly arrow: boolean });
