// Reading a submitted modal: every input's action_id equals its block_id, so
// state.values becomes { field: value } for the core's zod schema.
type StateValue = {
  type?: string;
  value?: string | null;
  selected_date?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_user?: string | null;
};

export type FormValues = Record<string, string | string[] | null>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** A string, or null for anything else (a forged state may carry any JSON). */
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
const optionValue = (o: unknown): string | null => (isObject(o) ? text(o.value) : null);

export function readViewState(state: unknown): FormValues {
  const values = isObject(state) && isObject(state.values) ? state.values : {};
  const out: FormValues = {};
  for (const [blockId, actions] of Object.entries(values)) {
    if (!isObject(actions)) continue;
    const found = actions[blockId] ?? Object.values(actions)[0];
    if (!isObject(found)) continue;
    const element = found as StateValue;
    if (Array.isArray(element.selected_options)) {
      out[blockId] = element.selected_options.map(optionValue).filter((v): v is string => v !== null);
    } else if (element.selected_option !== undefined) out[blockId] = optionValue(element.selected_option);
    else if (element.selected_date !== undefined) out[blockId] = text(element.selected_date);
    else if (element.selected_user !== undefined) out[blockId] = text(element.selected_user);
    else out[blockId] = text(element.value);
  }
  return out;
}

export function parseMetadata<T>(raw: unknown): Partial<T> {
  if (typeof raw !== "string" || raw === "") return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as Partial<T>) : {};
  } catch {
    return {};
  }
}
