import { richText } from './rich-text';
import type { ActionSpec, Bubble, FlowDefinition, InputSpec } from './flow-types';

export interface CompiledItem {
  id: string;
  content?: string;
  value?: string;
  pictureSrc?: string;
  title?: string;
  description?: string;
  /** Step index chosen by this item (single choice). */
  next?: number;
}

export interface CompiledInput {
  id: string;
  spec: InputSpec;
  variable: string;
  variableId: string;
  items: CompiledItem[];
}

export interface CompiledStep {
  id: string;
  bubbles: Array<{ id: string; bubble: Bubble }>;
  actions: ActionSpec[];
  input?: CompiledInput;
  /** Index of the step that follows, or undefined when the flow ends after this one. */
  next?: number;
}

export interface CompiledFlow {
  publicId: string;
  typebotId: string;
  definition: FlowDefinition;
  steps: CompiledStep[];
  /** Variable name -> id, in declaration order. */
  variableIds: Map<string, string>;
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';

/** Resolves ids and `next` targets once, so a typo in a flow fails at addFlow instead of mid-conversation. */
export function compileFlow(publicId: string, def: FlowDefinition): CompiledFlow {
  const fail = (msg: string): never => {
    throw new Error(`Typebot fake flow '${publicId}': ${msg}`);
  };
  if (!Array.isArray(def.steps)) fail('steps must be an array');
  const ids = def.steps.map((s, i) => s.id ?? `step-${i}`);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) fail(`duplicate step id '${id}'`);
  });
  const target = (id: string | undefined, from: string): number | undefined => {
    if (id === undefined) return undefined;
    const i = ids.indexOf(id);
    return i >= 0 ? i : fail(`step '${from}' points to unknown step '${id}'`);
  };

  const variableIds = new Map<string, string>();
  const declare = (name: string): string => {
    if (!name || typeof name !== 'string') fail('a variable needs a non-empty name');
    if (!variableIds.has(name)) variableIds.set(name, `v-${slug(name)}-${variableIds.size + 1}`);
    return variableIds.get(name) as string;
  };
  for (const name of def.variables ?? []) declare(name);

  const steps = def.steps.map((step, i): CompiledStep => {
    const id = ids[i];
    const bubbles = (step.bubbles ?? []).map((b, j): { id: string; bubble: Bubble } => ({
      id: `${id}-bubble-${j + 1}`,
      bubble: typeof b === 'string' ? { type: 'text', richText: richText(b) } : b,
    }));
    const next = step.end ? undefined : step.next !== undefined ? target(step.next, id) : i + 1 < ids.length ? i + 1 : undefined;
    let input: CompiledInput | undefined;
    if (step.input) {
      const spec = step.input;
      const inputId = spec.id ?? `${id}-input`;
      input = {
        id: inputId,
        spec,
        variable: spec.variable,
        variableId: declare(spec.variable),
        items: compileItems(spec, inputId, (t) => target(t, id)),
      };
      if ((spec.type === 'choice' || spec.type === 'picture choice') && input.items.length === 0)
        fail(`step '${id}' has a choice input without items`);
    }
    return { id, bubbles, actions: step.actions ?? [], input, next };
  });

  return { publicId, typebotId: def.typebotId ?? `typebot-${publicId}`, definition: def, steps, variableIds };
}

function compileItems(spec: InputSpec, inputId: string, target: (id: string | undefined) => number | undefined): CompiledItem[] {
  if (spec.type === 'choice') {
    return spec.items.map((item, k) => {
      const it = typeof item === 'string' ? { content: item } : item;
      return { id: it.id ?? `${inputId}-item-${k + 1}`, content: it.content, value: it.value, next: target(it.next) };
    });
  }
  if (spec.type === 'picture choice') {
    return spec.items.map((it, k) => ({
      id: it.id ?? `${inputId}-item-${k + 1}`,
      pictureSrc: it.pictureSrc,
      title: it.title,
      description: it.description,
      value: it.value,
      next: target(it.next),
    }));
  }
  return [];
}
