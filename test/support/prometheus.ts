// A strict parser of the Prometheus text exposition format, for the /metrics tests.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

// The npm parsers at hand drop labels of labelled histograms, so this is a strict parser of
// the text exposition format (0.0.4): every line is a HELP, a TYPE or a sample of the family
// declared just before it; values are floats; histograms are cumulative and end at +Inf = count.
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)/;
// Prometheus reads values with Go's ParseFloat, for which Inf and NaN are case-insensitive
// (prom-client writes an event loop lag it has not measured yet as "Nan").
const VALUE = /^(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?inf|nan)$/i;
const SUFFIXES: Record<string, string[]> = {
  counter: [""],
  gauge: [""],
  untyped: [""],
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

export function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new Error("body must end with a newline");
  const families = new Map<string, Family>();
  let current: Family | undefined;
  for (const line of text.slice(0, -1).split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = "", rest = ""] = meta;
      if (!NAME.test(name)) throw new Error(`bad metric name: ${line}`);
      if (current?.name !== name) {
        if (families.has(name)) throw new Error(`family ${name} declared twice`);
        current = { name, type: "untyped", help: "", samples: [] };
        families.set(name, current);
      }
      if (kind === "TYPE") {
        if (!(rest in SUFFIXES)) throw new Error(`bad type: ${line}`);
        if (current.samples.length > 0) throw new Error(`TYPE after samples: ${line}`);
        current.type = rest;
      } else current.help = rest;
      continue;
    }
    if (line.startsWith("#")) continue; // a comment
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`bad sample line: ${line}`);
    const [, name = "", labelText = "", value = ""] = m;
    if (!VALUE.test(value)) throw new Error(`bad value: ${line}`);
    const labels: Record<string, string> = {};
    for (let rest = labelText; rest.length > 0; ) {
      const l = LABEL.exec(rest);
      if (!l) throw new Error(`bad labels: ${line}`);
      const [all, key = "", v = ""] = l;
      if (key in labels) throw new Error(`label ${key} twice: ${line}`);
      labels[key] = v;
      rest = rest.slice(all.length);
    }
    if (!current || !(SUFFIXES[current.type] ?? []).some((suffix) => name === `${current?.name}${suffix}`))
      throw new Error(`sample outside its family: ${line}`);
    current.samples.push({ name, labels, value: Number(value) });
  }
  for (const f of families.values()) {
    if (f.type !== "histogram") continue;
    const series = new Map<string, Sample[]>();
    for (const s of f.samples) {
      const { le, ...rest } = s.labels;
      const key = JSON.stringify(rest);
      series.set(key, [...(series.get(key) ?? []), s]);
    }
    for (const samples of series.values()) {
      const buckets = samples.filter((s) => s.name.endsWith("_bucket"));
      const count = samples.find((s) => s.name.endsWith("_count"));
      if (buckets.at(-1)?.labels.le !== "+Inf" || !count || !samples.some((s) => s.name.endsWith("_sum")))
        throw new Error(`histogram ${f.name} incomplete`);
      for (let i = 1; i < buckets.length; i++) {
        const [a, b] = [buckets[i - 1] as Sample, buckets[i] as Sample];
        if (Number(a.labels.le) >= Number(b.labels.le) || a.value > b.value)
          throw new Error(`histogram ${f.name} not cumulative`);
      }
      if (buckets.at(-1)?.value !== count.value) throw new Error(`histogram ${f.name}: +Inf bucket != count`);
    }
  }
  return families;
}
