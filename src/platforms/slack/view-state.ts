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

export function readViewState(state: unknown): FormValues {
  const values = (state as { values?: Record<string, Record<string, StateValue>> } | undefined)?.values ?? {};
  const out: FormValues = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const element = actions[blockId] ?? Object.values(actions)[0];
    if (!element) continue;
    if (Array.isArray(element.selected_options)) out[blockId] = element.selected_options.map((o) => o.value);
    else if (element.selected_option !== undefined) out[blockId] = element.selected_option?.value ?? null;
    else if (element.selected_date !== undefined) out[blockId] = element.selected_date ?? null;
    else if (element.selected_user !== undefined) out[blockId] = element.selected_user ?? null;
    else out[blockId] = element.value ?? null;
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
